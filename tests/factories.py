"""factory-boy factories for every model, with realistic data.

A hardware wholesaler in France selling to French, Belgian, German and US companies.
Natural keys (code, sku, email...) come from sequences, and factories get-or-create on
them, so `ProductFactory(sku="SCR-100")` twice gives the same product.

    company = CompanyFactory(belgian=True, group=group)
    order = create_order(company=company, items=[(product, 24, Decimal("9.50"))])
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from factory.random import randgen
from faker import Faker
from stdnum import luhn
from stdnum.iso7064 import mod_11_10

from comptoir.accounts.models import User
from comptoir.accounts.permissions import BUYER
from comptoir.approvals.models import ApprovalEvent, ApprovalLine, ApprovalRequest
from comptoir.catalog.models import Category, Product, TaxClass
from comptoir.core.models import AccessMode, Store
from comptoir.core.money import round2
from comptoir.customers.models import (
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    Operator,
    ProfileField,
    SegmentationCondition,
    SegmentationRule,
)
from comptoir.customers.services import locations_ensure
from comptoir.ordering.models import (
    GroupOrderRule,
    Order,
    OrderLine,
    OrderStatus,
    OrderTaxLine,
    PaymentStatus,
)
from comptoir.payments.invoicing import order_snapshot
from comptoir.payments.models import (
    Invoice,
    InvoicePayment,
    InvoiceStatus,
    PaymentMethod,
    PaymentType,
    ShippingMethod,
    TermRule,
)
from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier
from comptoir.tax.models import CertificateStatus, TaxCertificate, TaxRate

# Faker instances share one random generator, which factory.random.reseed_random seeds.
FAKERS = {
    "FR": Faker("fr_FR"),
    "BE": Faker("nl_BE"),
    "DE": Faker("de_DE"),
    "US": Faker("en_US"),
}


def faker_for(country):
    return FAKERS.get(country, FAKERS["FR"])


def _digits(count):
    return "".join(str(randgen.randint(0, 9)) for _ in range(count))


def french_vat():
    """FR + 2-digit key + SIREN (Luhn); e.g. FR40303265045."""
    siren = str(randgen.randint(1, 9)) + _digits(7)
    siren += luhn.calc_check_digit(siren)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def belgian_vat():
    """BE + 10-digit enterprise number ending with its mod-97 check; e.g. BE0403019261."""
    base = "0" + str(randgen.randint(2, 9)) + _digits(6)
    return f"BE{base}{97 - int(base) % 97:02d}"


def german_vat():
    """DE + 8 digits + ISO 7064 Mod 11,10 check digit; e.g. DE136695976."""
    base = str(randgen.randint(1, 9)) + _digits(7)
    return f"DE{base}{mod_11_10.calc_check_digit(base)}"


def today():
    return timezone.localdate()


def address_snapshot(address):
    """An address as orders keep it (the bundle's shape)."""
    return {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
        "region": address.region or None,
    }


def _pick(choices):
    """A sequence-driven choice whose first rounds give plain codes, then numbered ones."""

    def code(n):
        base = choices[n % len(choices)][0]
        return base if n < len(choices) else f"{base}-{n // len(choices)}"

    def label(n):
        return choices[n % len(choices)][1]

    return code, label


# Customers (groups first: the store and companies need one)

GROUPS = [
    ("PRO", "Professionals"),
    ("WHOLESALE", "Wholesalers"),
    ("INSTALLERS", "Installers"),
    ("RESELLERS", "Resellers"),
    ("KEY-ACCOUNTS", "Key accounts"),
]
_group_code, _group_name = _pick(GROUPS)


class CustomerGroupFactory(DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(_group_code)
    name = factory.Sequence(_group_name)
    min_order_amount = None
    tax_exempt = False


# Catalog

CATEGORIES = [
    ("FASTENERS", "Fasteners"),
    ("HAND-TOOLS", "Hand tools"),
    ("POWER-TOOLS", "Power tools"),
    ("ADHESIVES", "Adhesives and sealants"),
    ("SAFETY", "Safety equipment"),
    ("ELECTRICAL", "Electrical supplies"),
    ("PLUMBING", "Plumbing"),
    ("PAINT", "Paint and coatings"),
]
_category_code, _category_name = _pick(CATEGORIES)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(_category_code)
    name = factory.Sequence(_category_name)
    parent = None
    position = factory.Sequence(lambda n: n % len(CATEGORIES))


# (SKU prefix, name, selling unit, items per unit, tax class)
PRODUCTS = [
    ("SCR", "Wood screws 4 × 40 mm, zinc-plated", "box", 200, TaxClass.STANDARD),
    ("BLT", "Hex bolts M8 × 50, grade 8.8", "box", 100, TaxClass.STANDARD),
    ("PLG", "Nylon wall plugs 8 mm", "box", 100, TaxClass.STANDARD),
    ("GLV", "Nitrile work gloves, size 9", "case", 12, TaxClass.STANDARD),
    ("DRL", "Cordless drill 18 V with two batteries", "piece", 1, TaxClass.STANDARD),
    ("SIL", "Sanitary silicone, white, 310 ml", "case", 12, TaxClass.STANDARD),
    ("TAP", "PTFE thread seal tape 12 mm × 12 m", "box", 10, TaxClass.STANDARD),
    ("CBL", "Copper cable H07V-U 2.5 mm², 100 m reel", "reel", 1, TaxClass.STANDARD),
    ("PRM", "Acrylic primer, white, 10 L", "bucket", 1, TaxClass.STANDARD),
    ("HMR", "Claw hammer 500 g, fibreglass handle", "piece", 1, TaxClass.STANDARD),
    ("MNL", "Safety data sheets binder (printed)", "piece", 1, TaxClass.REDUCED),
]


def _product(n):
    return PRODUCTS[n % len(PRODUCTS)]


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("sku",)
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"{_product(n)[0]}-{100 + n}")
    name = factory.Sequence(lambda n: _product(n)[1])
    description = factory.LazyAttribute(
        lambda o: f"{o.name}. Sold by the {o.unit} of {o.pack_size}."
    )
    category = factory.SubFactory(CategoryFactory)
    tax_class = factory.Sequence(lambda n: _product(n)[4])
    unit = factory.Sequence(lambda n: _product(n)[2])
    pack_size = factory.Sequence(lambda n: _product(n)[3])
    min_qty = 1
    max_qty = None
    qty_step = 1
    stock = factory.Faker("random_int", min=0, max=2500)
    backorder = False
    active = True

    class Params:
        # Sold by cases of 12 only: 12, 24, 36...
        by_the_case = factory.Trait(unit="case", pack_size=12, min_qty=12, qty_step=12)

    @factory.post_generation
    def visible_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.visible_groups.set(extracted)

    @factory.post_generation
    def visible_companies(self, create, extracted, **kwargs):
        if create and extracted:
            self.visible_companies.set(extracted)


# Pricing


class PriceListFactory(DjangoModelFactory):
    class Meta:
        model = PriceList
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"PL-{today().year}-{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Price list {o.code}")
    currency = "EUR"
    priority = factory.Sequence(lambda n: 10 * (n + 1))

    @factory.post_generation
    def customer_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.customer_groups.set(extracted)

    @factory.post_generation
    def companies(self, create, extracted, **kwargs):
        if create and extracted:
            self.companies.set(extracted)


class PriceEntryFactory(DjangoModelFactory):
    class Meta:
        model = PriceEntry
        django_get_or_create = ("price_list", "product", "min_qty")

    price_list = factory.SubFactory(PriceListFactory)
    product = factory.SubFactory(ProductFactory)
    min_qty = 1
    price = factory.Faker("pydecimal", left_digits=3, right_digits=2, min_value=1, max_value=400)


class PromotionFactory(DjangoModelFactory):
    class Meta:
        model = Promotion
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"PROMO-{n:03d}")
    name = factory.Iterator(["Spring sale", "Trade fair offer", "Year-end clearance"])
    percent = Decimal("10.00")
    valid_from = factory.LazyFunction(lambda: today().replace(day=1))
    valid_until = factory.LazyAttribute(lambda o: o.valid_from + datetime.timedelta(days=60))

    @factory.post_generation
    def customer_groups(self, create, extracted, **kwargs):
        if create:
            self.customer_groups.set(extracted or [CustomerGroupFactory()])

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class VolumeDiscountTierFactory(DjangoModelFactory):
    class Meta:
        model = VolumeDiscountTier
        django_get_or_create = ("customer_group", "min_total_qty")

    customer_group = factory.SubFactory(CustomerGroupFactory)
    min_total_qty = factory.Sequence(lambda n: 100 * (n + 1))
    percent = Decimal("2.00")


# Store


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store

    name = "Quincaillerie Martin & Fils"
    currency = "EUR"
    country = "FR"
    region = ""
    access_mode = AccessMode.PUBLIC
    min_order_amount = Decimal("150.00")
    default_group = factory.SubFactory(CustomerGroupFactory, code="RETAIL", name="Retail")
    base_price_list = factory.SubFactory(
        PriceListFactory, code="BASE", name="Base prices", priority=1000
    )
    time_zone = "Europe/Paris"


# Companies, addresses, buyers


class CompanyFactory(DjangoModelFactory):
    """A French company by default; `belgian`, `german` or `american` for the others."""

    class Meta:
        model = Company
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    class Params:
        belgian = factory.Trait(
            country="BE",
            name=factory.Faker("company", locale="nl_BE"),
            vat_number=factory.LazyFunction(belgian_vat),
        )
        german = factory.Trait(
            country="DE",
            name=factory.Faker("company", locale="de_DE"),
            vat_number=factory.LazyFunction(german_vat),
        )
        american = factory.Trait(
            country="US",
            region="NY",
            name=factory.Faker("company", locale="en_US"),
            vat_number="",
        )
        pending = factory.Trait(status=CompanyStatus.PENDING, credit_limit=None)

    code = factory.Sequence(lambda n: f"C{10001 + n}")
    name = factory.Faker("company", locale="fr_FR")
    group = factory.SubFactory(CustomerGroupFactory)
    pinned_group = False
    status = CompanyStatus.APPROVED
    country = "FR"
    region = ""
    vat_number = factory.LazyFunction(french_vat)
    credit_limit = Decimal("10000.00")

    @factory.post_generation
    def main_location(obj, create, extracted, **kwargs):
        """Every company has a location, as every writer of companies makes sure."""
        if create:
            locations_ensure(company_ids=[obj.pk])


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address
        django_get_or_create = ("company", "code")

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"SITE-{n + 1}")
    position = factory.Sequence(lambda n: n)
    line1 = factory.LazyAttribute(lambda o: faker_for(o.country).street_address())
    line2 = ""
    city = factory.LazyAttribute(lambda o: faker_for(o.country).city())
    postal_code = factory.LazyAttribute(lambda o: faker_for(o.country).postcode())
    country = factory.SelfAttribute("company.country")
    region = factory.SelfAttribute("company.region")


def _email(user, n):
    local = ".".join(part for part in (slugify(user.first_name), slugify(user.last_name)) if part)
    domain = slugify(user.company.name)[:40] if user.company else "comptoir"
    return f"{local or 'user'}.{n}@{domain}.example"


class UserFactory(DjangoModelFactory):
    """A buyer of a company; `StaffUserFactory` for the merchant's staff."""

    class Meta:
        model = User
        django_get_or_create = ("email",)

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.LazyAttribute(
        lambda o: faker_for(o.company.country if o.company else "FR").first_name()
    )
    last_name = factory.LazyAttribute(
        lambda o: faker_for(o.company.country if o.company else "FR").last_name()
    )
    email = factory.LazyAttributeSequence(_email)
    role = BUYER
    is_active = True
    is_staff = False
    password = factory.django.Password("Comptoir-2026!")


class StaffUserFactory(UserFactory):
    company = None
    is_staff = True
    email = factory.Sequence(lambda n: f"staff.{n}@comptoir.example")


class TaxRateFactory(DjangoModelFactory):
    class Meta:
        model = TaxRate
        django_get_or_create = ("country", "region", "tax_class")

    country = "FR"
    region = ""
    tax_class = TaxClass.STANDARD
    rate = Decimal("20.00")


class TaxCertificateFactory(DjangoModelFactory):
    """An approved resale certificate of a New York company, valid for a year."""

    class Meta:
        model = TaxCertificate
        django_get_or_create = ("company", "number")

    company = factory.SubFactory(CompanyFactory, american=True)
    number = factory.Sequence(lambda n: f"ST-120-{2026000 + n}")
    country = factory.SelfAttribute("company.country")
    region = factory.SelfAttribute("company.region")
    issued_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    expires_on = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=365))
    status = CertificateStatus.APPROVED
    rejection_reason = ""


# Payment and shipping


class PaymentMethodFactory(DjangoModelFactory):
    """A bank transfer by default; the `invoice` trait gives 30-day terms."""

    class Meta:
        model = PaymentMethod
        django_get_or_create = ("code",)

    class Params:
        invoice = factory.Trait(
            type=PaymentType.INVOICE,
            name="Invoice, 30 days net",
            net_days=30,
            instructions="",
        )

    code = factory.Sequence(lambda n: f"PAY-{n}")
    name = "Bank transfer"
    type = PaymentType.BANK_TRANSFER
    active = True
    position = factory.Sequence(lambda n: n)
    countries = None
    instructions = "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP"
    net_days = None


class ShippingMethodFactory(DjangoModelFactory):
    class Meta:
        model = ShippingMethod
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SHIP-{n}")
    name = "Standard delivery (48 h)"
    active = True
    position = factory.Sequence(lambda n: n)
    countries = None
    price = Decimal("15.00")
    free_above = Decimal("500.00")


# Segmentation


class SegmentationRuleFactory(DjangoModelFactory):
    class Meta:
        model = SegmentationRule
        django_get_or_create = ("position",)

    position = factory.Sequence(lambda n: 10 * (n + 1))
    group = factory.SubFactory(CustomerGroupFactory)
    active = True


class SegmentationConditionFactory(DjangoModelFactory):
    """By default: more than 10,000.00 ordered over the last 12 months."""

    class Meta:
        model = SegmentationCondition

    rule = factory.SubFactory(SegmentationRuleFactory)
    field = ProfileField.ORDER_VOLUME_12M
    op = Operator.GE
    value = "10000"


# Ordering


class GroupOrderRuleFactory(DjangoModelFactory):
    class Meta:
        model = GroupOrderRule
        django_get_or_create = ("customer_group", "product")

    customer_group = factory.SubFactory(CustomerGroupFactory)
    product = factory.SubFactory(ProductFactory)
    min_qty = 10
    max_qty = None
    qty_step = 10


class OrderFactory(DjangoModelFactory):
    """An order whose totals add up; `create_order` builds one from lines."""

    class Meta:
        model = Order
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"CMD-{today().year}-{n + 1:06d}")
    company = factory.SubFactory(CompanyFactory)
    buyer = factory.SubFactory(UserFactory, company=factory.SelfAttribute("..company"))
    status = OrderStatus.PLACED
    payment_status = PaymentStatus.UNPAID
    placed_at = factory.LazyFunction(timezone.now)
    currency = "EUR"
    customer_group_code = factory.SelfAttribute("company.group.code")
    po_number = ""
    comment = ""
    payment_method_code = "BANK"
    payment_method_name = "Bank transfer"
    shipping_method_code = "STD"
    shipping_method_name = "Standard delivery (48 h)"
    shipping_address = factory.LazyAttribute(
        lambda o: {
            "line1": faker_for(o.company.country).street_address(),
            "line2": "",
            "city": faker_for(o.company.country).city(),
            "postal_code": faker_for(o.company.country).postcode(),
            "country": o.company.country,
            "region": o.company.region or None,
        }
    )
    billing_address = factory.SelfAttribute("shipping_address")
    subtotal = Decimal("228.00")
    discount_total = Decimal("0.00")
    shipping_total = Decimal("15.00")
    tax_total = Decimal("48.60")
    total = factory.LazyAttribute(
        lambda o: o.subtotal - o.discount_total + o.shipping_total + o.tax_total
    )


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    position = factory.Sequence(lambda n: n)
    product = factory.SubFactory(ProductFactory)
    sku = factory.SelfAttribute("product.sku")
    name = factory.SelfAttribute("product.name")
    category_code = factory.LazyAttribute(
        lambda o: o.product.category.code if o.product.category else ""
    )
    quantity = 24
    unit_price = Decimal("9.5000")
    gross = factory.LazyAttribute(lambda o: round2(o.unit_price * o.quantity))
    promotion_percent = None
    promotion_amount = Decimal("0.00")
    volume_percent = None
    volume_amount = Decimal("0.00")
    net = factory.LazyAttribute(lambda o: o.gross - o.promotion_amount - o.volume_amount)
    tax_class = factory.SelfAttribute("product.tax_class")
    tax_rate = Decimal("20.00")
    explanation = factory.LazyAttribute(
        lambda o: [
            {
                "step": "price_list",
                "price_list": "BASE",
                "min_qty": 1,
                "unit_price": str(o.unit_price),
            }
        ]
    )


class OrderTaxLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderTaxLine

    order = factory.SubFactory(OrderFactory)
    rate = Decimal("20.00")
    base = Decimal("243.00")
    amount = factory.LazyAttribute(lambda o: round2(o.base * o.rate / 100))
    reason = ""


def create_order(
    *,
    company,
    items,
    buyer=None,
    shipping_total=Decimal("15.00"),
    tax_rate=Decimal("20.00"),
    volume_percent=None,
    **kwargs,
):
    """An order with one line per (product, quantity, unit price) and one tax line.

    Amounts follow DESIGN.md "Rounding": gross, then the volume discount, then net; the
    shipping is taxed with the lines. The totals add up, as the database requires.
    """
    lines = []
    for position, (product, quantity, unit_price) in enumerate(items):
        gross = round2(unit_price * quantity)
        volume = round2(gross * volume_percent / 100) if volume_percent else Decimal("0.00")
        lines.append(
            {
                "position": position,
                "product": product,
                "quantity": quantity,
                "unit_price": unit_price,
                "gross": gross,
                "volume_percent": volume_percent,
                "volume_amount": volume,
                "net": gross - volume,
                "tax_rate": tax_rate,
            }
        )
    subtotal = sum((line["gross"] for line in lines), Decimal("0.00"))
    discount_total = sum((line["volume_amount"] for line in lines), Decimal("0.00"))
    base = subtotal - discount_total + shipping_total
    tax_total = round2(base * tax_rate / 100)
    if buyer is None:
        buyer = UserFactory(company=company)
    order = OrderFactory(
        company=company,
        buyer=buyer,
        subtotal=subtotal,
        discount_total=discount_total,
        shipping_total=shipping_total,
        tax_total=tax_total,
        **kwargs,
    )
    for line in lines:
        OrderLineFactory(order=order, **line)
    OrderTaxLineFactory(order=order, rate=tax_rate, base=base, amount=tax_total)
    return order


# Invoices


class InvoiceFactory(DjangoModelFactory):
    """The invoice of an order (30 days net by default), with the order's lines, taxes and
    totals copied as `invoicing.invoice_for_order` copies them. Payments are rows of their
    own (`InvoicePaymentFactory`): `amount_paid` and `status` are given here, not derived."""

    class Meta:
        model = Invoice
        django_get_or_create = ("number",)

    # Far from the numbers `invoice_for_order` gives from 000001, which tests mix with these.
    number = factory.Sequence(lambda n: f"FAC-{today().year}-{500001 + n:06d}")
    order = factory.SubFactory(OrderFactory)
    company = factory.SelfAttribute("order.company")
    issued_on = factory.LazyFunction(today)
    due_on = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=o.net_days or 0))
    status = InvoiceStatus.UNPAID
    amount_paid = Decimal("0.00")
    payment_method_code = factory.SelfAttribute("order.payment_method_code")
    payment_method_name = factory.SelfAttribute("order.payment_method_name")
    payment_type = PaymentType.INVOICE
    net_days = 30
    term_rule = TermRule.NET
    payment_instructions = ""
    seller_name = "Quincaillerie Martin & Fils"
    seller_address = "18 rue de l'Industrie\n69200 Vénissieux\nFrance"
    seller_vat_number = "FR40303265045"
    seller_iban = "FR7630006000011234567890189"
    seller_bic = "AGRIFRPP"
    buyer_name = factory.SelfAttribute("order.company.name")
    buyer_code = factory.SelfAttribute("order.company.code")
    buyer_vat_number = factory.SelfAttribute("order.company.vat_number")
    billing_address = factory.SelfAttribute("order.billing_address")
    po_number = factory.SelfAttribute("order.po_number")
    currency = factory.SelfAttribute("order.currency")
    subtotal = factory.SelfAttribute("order.subtotal")
    discount_total = factory.SelfAttribute("order.discount_total")
    shipping_total = factory.SelfAttribute("order.shipping_total")
    tax_total = factory.SelfAttribute("order.tax_total")
    total = factory.SelfAttribute("order.total")
    tax_mention = factory.SelfAttribute("order.tax_mention")
    lines = factory.LazyAttribute(lambda o: order_snapshot(o.order)["lines"])
    tax_lines = factory.LazyAttribute(lambda o: order_snapshot(o.order)["tax_lines"])


class InvoicePaymentFactory(DjangoModelFactory):
    class Meta:
        model = InvoicePayment

    invoice = factory.SubFactory(InvoiceFactory)
    amount = Decimal("100.00")
    paid_on = factory.LazyFunction(today)
    method = PaymentType.BANK_TRANSFER
    reference = factory.Sequence(lambda n: f"VIR-{n + 1:05d}")
    recorded_by = None


# Approval requests


def approval_rule(rule_id, *, level=1, roles=(), users=(), name=None) -> dict:
    """A rule without conditions (every order matches it) as an approval request stores it
    (`ApprovalRequest.rules`, approvals/stored.py)."""
    return {
        "id": rule_id,
        "name": name or f"Rule {rule_id}",
        "level": level,
        "approver_roles": sorted(roles),
        "approver_ids": sorted(user.pk for user in users),
        "conditions": [],
    }


def create_approval(
    *,
    company,
    requester,
    items,
    rules,
    shipping_total=Decimal("15.00"),
    tax_rate=Decimal("20.00"),
    valid_until=None,
    **kwargs,
):
    """A waiting request with one line per (product, quantity, unit price), its totals adding
    up as checkout's snapshot does, and its `submitted` event."""
    year = today().year
    number = kwargs.pop("number", None) or f"APR-{year}-{ApprovalRequest.objects.count() + 1:06d}"
    lines = []
    for position, (product, quantity, unit_price) in enumerate(items, start=1):
        gross = round2(unit_price * quantity)
        lines.append((position, product, quantity, unit_price, gross))
    subtotal = sum((line[4] for line in lines), Decimal("0.00"))
    tax_total = round2((subtotal + shipping_total) * tax_rate / 100)
    address = company.addresses.order_by("position", "id").first()
    approval = ApprovalRequest.objects.create(
        number=number,
        company=company,
        requester=requester,
        submitted_at=kwargs.pop("submitted_at", timezone.now()),
        valid_until=valid_until or today() + datetime.timedelta(days=14),
        rules=rules,
        facts={
            "total": str(subtotal + shipping_total + tax_total),
            "skus": sorted(product.sku for _position, product, *_rest in lines),
            "categories": [],
            "payment_method": "TRANSFER",
            "shipping_method": "STD",
            "requester_id": requester.pk,
            "requester_role": requester.role,
            "location": kwargs["location"].code if kwargs.get("location") else None,
            "budget_exceeded": False,
        },
        currency="EUR",
        customer_group_code=company.group.code,
        payment_method_code="TRANSFER",
        payment_method_name="Bank transfer",
        shipping_method_code="STD",
        shipping_method_name="Standard",
        shipping_address=address_snapshot(address)
        if address
        else {
            "code": "",
            "line1": "1 rue de la Paix",
            "line2": "",
            "postal_code": "75002",
            "city": "Paris",
            "country": "FR",
            "region": "",
        },
        subtotal=subtotal,
        discount_total=Decimal("0.00"),
        shipping_total=shipping_total,
        tax_total=tax_total,
        total=subtotal + shipping_total + tax_total,
        tax_lines=[
            {
                "rate": str(tax_rate),
                "base": str(subtotal + shipping_total),
                "amount": str(tax_total),
                "reason": "",
            }
        ],
        **kwargs,
    )
    ApprovalLine.objects.bulk_create(
        ApprovalLine(
            request=approval,
            position=position,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=quantity,
            unit_price=unit_price,
            gross=gross,
            net=gross,
            tax_rate=tax_rate,
            explanation=[
                {
                    "step": "list_price",
                    "source": "BASE",
                    "detail": "base list, tier from 1",
                    "unit_price": str(unit_price),
                }
            ],
        )
        for position, product, quantity, unit_price, gross in lines
    )
    ApprovalEvent.objects.create(
        request=approval, at=approval.submitted_at, actor=requester, action="submitted", level=1
    )
    return approval
