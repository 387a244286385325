"""The shape of each item of a store bundle (API.md §1 and docs/bundle.md).

Each item is validated on its own as it streams past, so a bundle of any size is checked
with bounded memory; cross-references are checked afterwards (see `checks.py`).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from comptoir.core.absent import NullIsAbsent
from comptoir.core.money import ZERO, parse_decimal, round2
from comptoir.core.validators import CODE_RE, validate_bic, validate_iban
from comptoir.payments import invoice_rules
from comptoir.quotes import states as quote_states


def _decimal(places: int):
    def check(value: Any) -> Decimal:
        try:
            number = parse_decimal(value)
        except ValueError:
            raise ValueError('not a decimal: write it as a string such as "12.50"') from None
        if -number.as_tuple().exponent > places:
            raise ValueError(f"more than {places} decimal places")
        return number

    return BeforeValidator(check)


def _date(value: Any) -> datetime.date:
    if not isinstance(value, str):
        raise ValueError("not a date: write it as a string YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f'not a date: "{value}" (YYYY-MM-DD)') from None


def _datetime(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise ValueError("not a date-time: write it as an ISO 8601 string")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f'not a date-time: "{value}" (ISO 8601)') from None
    if moment.tzinfo is None:
        raise ValueError("a date-time needs its UTC offset, e.g. 2026-03-04T10:15:00+01:00")
    return moment


def _code(value: Any) -> str:
    if not isinstance(value, str) or not CODE_RE.match(value):
        raise ValueError(
            "not a code: 1 to 64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit"
        )
    return value


Price = Annotated[Decimal, _decimal(4)]
Amount = Annotated[Decimal, _decimal(2)]
Percent = Annotated[Decimal, _decimal(4)]
Date = Annotated[datetime.date, BeforeValidator(_date)]
DateTime = Annotated[datetime.datetime, BeforeValidator(_datetime)]
Code = Annotated[str, BeforeValidator(_code)]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
RegionCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,8}$")]
TaxClassName = Literal["standard", "reduced", "zero", "exempt"]
Language = Annotated[str, Field(min_length=1, max_length=10)]
Translations = dict[Language, dict[str, str]] | None
"""Language to field to text (docs/bundle.md, "Translations"), checked by
translation_bundle.py; None (absent): the row's translations are left as they are."""


def _django_validator(check):
    """A model field's validator as a pydantic one (blank allowed), e.g. for an IBAN."""

    def run(value: Any) -> Any:
        if isinstance(value, str) and value:
            try:
                check(value)
            except DjangoValidationError as exc:
                raise ValueError(exc.messages[0]) from None
        return value

    return BeforeValidator(run)


Iban = Annotated[str, Field(max_length=42), _django_validator(validate_iban)]
Bic = Annotated[str, Field(max_length=11), _django_validator(validate_bic)]


class Item(NullIsAbsent):
    """An item of a bundle: unknown keys refused, `null` for an optional field is absent."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StoreItem(Item):
    name: Text
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    country: CountryCode
    region: RegionCode | None = None
    access_mode: Literal["public", "prices_hidden", "login_required"] = "public"
    min_order_amount: Amount = Decimal("0.00")
    default_group: Code
    base_price_list: Code | None = None
    time_zone: Annotated[str, Field(max_length=64)] = "Europe/Paris"
    legal_notice: LongText = ""
    invoice_on: Literal["placed", "shipped"] = "placed"
    block_overdue_invoice_terms: StrictBool = False
    return_window_days: Annotated[StrictInt, Field(ge=0, le=3650)] = 30
    legal_address: Annotated[str, Field(max_length=2000)] = ""
    vat_number: Annotated[str, Field(max_length=32)] = ""
    iban: Iban = ""
    bic: Bic = ""
    late_payment_penalty_rate: Annotated[Percent, Field(ge=0, le=100)] | None = None
    approval_valid_days: Annotated[StrictInt, Field(ge=1, le=365)] = 14
    language: Language | None = None
    """The language of the catalogue's own text; None (absent): left as it is."""
    # The header's logo: a picture file beside the bundle, like a product's (docs/bundle.md);
    # left out or null, the store keeps the logo it has.
    logo: Annotated[str, Field(min_length=1, max_length=500)] | None = None


class TaxRateItem(Item):
    country: CountryCode
    region: RegionCode | None = None
    tax_class: TaxClassName
    rate: Percent


class AttributeItem(Item):
    """An attribute the category's products and its subcategories' may have."""

    code: Code
    label: Annotated[str, Field(min_length=1, max_length=100)]
    type: Literal["text", "number", "choice"] = "text"
    unit: Annotated[str, Field(max_length=20)] = ""
    choices: list[Annotated[str, Field(min_length=1, max_length=200)]] = []
    position: Annotated[StrictInt, Field(ge=0)] = 0
    translations: dict[Language, dict[str, str | list[str]]] | None = None
    """`label`, `unit` and `choices` (a list as long as `choices`) by language."""


class CategoryItem(Item):
    code: Code
    name: Text
    parent: Code | None = None
    position: Annotated[StrictInt, Field(ge=0)] = 0
    attributes: list[AttributeItem] | None = None
    """None (absent): the category's attributes are left as they are."""
    translations: Translations = None


class PackagingItem(Item):
    """A packaging of a product (docs/units-of-measure.md): `factor` base units each."""

    unit: Annotated[str, Field(min_length=1, max_length=20)]
    factor: Annotated[StrictInt, Field(ge=2, le=1_000_000)]
    enabled: StrictBool = True
    percent_off: Annotated[Percent, Field(ge=0, lt=100)] | None = None
    min_qty: Quantity | None = None
    max_qty: Quantity | None = None
    qty_step: Quantity | None = None


class ProductImageItem(Item):
    """A picture of a product: a file beside the bundle (docs/bundle.md, "Pictures")."""

    path: Annotated[str, Field(min_length=1, max_length=500)]
    """Relative to the bundle file's folder, with `/` between folders."""
    alt: Annotated[str, Field(min_length=1, max_length=200)]
    translations: Translations = None


class ProductDocumentItem(Item):
    """A PDF about a product: a file beside the bundle (docs/bundle.md, "Pictures")."""

    path: Annotated[str, Field(min_length=1, max_length=500)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["datasheet", "safety", "manual", "certificate", "other"] = "datasheet"


class ProductItem(Item):
    sku: Code
    name: Annotated[str, Field(min_length=1, max_length=255)]
    description: LongText = ""
    category: Code | None = None
    tax_class: TaxClassName = "standard"
    unit: Annotated[str, Field(min_length=1, max_length=20)] = "piece"
    pack_size: Quantity = 1
    min_qty: Quantity = 1
    max_qty: Quantity | None = None
    qty_step: Quantity = 1
    stock: Annotated[StrictInt, Field(ge=0, le=2_000_000_000)] = 0
    backorder: StrictBool = False
    active: StrictBool = True
    visibility: Literal["all", "groups", "companies"] = "all"
    groups: list[Code] = []
    companies: list[Code] = []
    packagings: list[PackagingItem] | None = None
    """None (absent): the product's packagings are left as they are."""
    images: list[ProductImageItem] | None = None
    """None (absent): the product's pictures are left as they are; in the order shown."""
    documents: list[ProductDocumentItem] | None = None
    """None (absent): the product's documents are left as they are; in the order shown."""
    attributes: dict[Code, Annotated[str, Field(max_length=200)]] | None = None
    """Attribute code to value; None (absent): the product's values are left as they are."""
    attribute_translations: Translations = None
    """Language to attribute code to text: the text values in other languages (given with
    `attributes`); None (absent): a value whose text is unchanged keeps its translations."""
    translations: Translations = None


AxisValue = Annotated[str, Field(min_length=1, max_length=50)]


class FamilyAxisItem(Item):
    name: Annotated[str, Field(min_length=1, max_length=50)]
    values: Annotated[list[AxisValue], Field(min_length=1, max_length=30)]


class FamilyVariantEntry(Item):
    sku: Code
    values: Annotated[list[AxisValue], Field(min_length=1, max_length=2)]
    """Its value on each axis of the family, in the order of `axes`."""


class FamilyItem(Item):
    """A product family (docs/bundle.md, "Families"): rows × columns of variants."""

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=255)]
    description: LongText = ""
    category: Code | None = None
    axes: Annotated[list[FamilyAxisItem], Field(min_length=1, max_length=2)]
    variants: Annotated[list[FamilyVariantEntry], Field(max_length=900)] = []
    translations: dict[Language, dict[str, str | list[str]]] | None = None
    """name, description, row_axis and column_axis by language; row_values and column_values,
    the axes' values as lists as long as theirs, in order."""


class PriceEntryItem(Item):
    sku: Code
    min_qty: Quantity = 1
    price: Annotated[Price, Field(ge=0)]
    unit: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    """A packaging of the product: the price is then per packaging, `min_qty` in base units."""


class PriceListHeader(Item):
    code: Code
    name: Text = ""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    priority: Annotated[StrictInt, Field(ge=-1_000_000, le=1_000_000)] = 0
    parent: Code | None = None
    adjustment_percent: Annotated[Percent, Field(ge=-100, le=1000)] | None = None
    valid_from: Date | None = None
    valid_until: Date | None = None


class PriceListItem(PriceListHeader):
    entries: list[PriceEntryItem] = []


class VolumeDiscountItem(Item):
    min_total_qty: Quantity
    percent: Annotated[Percent, Field(gt=0, le=100)]


class OrderRuleItem(Item):
    sku: Code
    min_qty: Quantity | None = None
    max_qty: Quantity | None = None
    qty_step: Quantity | None = None


class GroupItem(Item):
    code: Code
    name: Text
    price_lists: list[Code] = []
    min_order_amount: Annotated[Amount, Field(ge=0)] | None = None
    tax_exempt: StrictBool = False
    catalog_categories: list[Code] | None = None
    volume_discounts: list[VolumeDiscountItem] = []
    order_rules: list[OrderRuleItem] = []


class PromotionItem(Item):
    code: Code
    name: Text = ""
    groups: Annotated[list[Code], Field(min_length=1)]
    percent: Annotated[Percent, Field(gt=0, le=100)]
    skus: list[Code] = []
    categories: list[Code] = []
    valid_from: Date | None = None
    valid_until: Date | None = None
    translations: Translations = None
    """`name` by language."""


class BannerItem(Item):
    code: Code
    kind: Literal["banner", "notice"] = "banner"
    title: Text
    body: LongText = ""
    link_url: Annotated[str, Field(max_length=300, pattern=r"^(|/([^/].*)?|https://.+)$")] = ""
    groups: list[Code] = []
    language: Literal["", "en", "fr"] = ""
    valid_from: Date | None = None
    valid_until: Date | None = None
    position: Annotated[StrictInt, Field(ge=0)] = 0
    active: StrictBool = True


class OrderAddressItem(Item):
    """An address as an order keeps it (a snapshot, without a code)."""

    line1: Annotated[str, Field(min_length=1, max_length=200)]
    line2: Text = ""
    city: Annotated[str, Field(min_length=1, max_length=100)]
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: CountryCode
    region: RegionCode | None = None


class AddressItem(OrderAddressItem):
    code: Code


class CertificateItem(Item):
    number: Annotated[str, Field(min_length=1, max_length=64)]
    country: CountryCode
    region: RegionCode | None = None
    issued_on: Date
    expires_on: Date | None = None
    status: Literal["pending", "approved", "rejected", "expired"] = "pending"
    rejection_reason: LongText = ""


class RoleItem(Item):
    """A store role; the built-in ones (admin, buyer, approver, requester, viewer) are not."""

    code: Code
    name: Text
    permissions: list[Annotated[str, Field(max_length=64)]] = []


class LocationItem(Item):
    """A site of the company; `addresses` are the codes of the company addresses it ships to."""

    code: Code
    name: Text
    addresses: list[Code] = []
    billing_address: Code | None = None


Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
ConditionKind = Literal[
    "total_above",
    "contains_category",
    "contains_product",
    "payment_method",
    "shipping_method",
    "requester_role",
    "requester",
    "location",
    "budget_exceeded",
]
ApprovalLevel = Annotated[StrictInt, Field(ge=1, le=9)]
RoleCode = Annotated[str, Field(min_length=1, max_length=64)]


class UserItem(Item):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    password_hash: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    role: Code = "buyer"
    locations: list[Code] | None = None
    first_name: Annotated[str, Field(max_length=150)] = ""
    last_name: Annotated[str, Field(max_length=150)] = ""


class ApprovalConditionItem(Item):
    """`values`: codes (categories, SKUs, methods, roles, locations) or, for `requester`,
    e-mails of the company's users; `amount` for `total_above` only."""

    kind: ConditionKind
    values: list[Annotated[str, Field(min_length=1, max_length=254)]] = []
    amount: Amount | None = None


class ApprovalRuleItem(Item):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    level: ApprovalLevel = 1
    approver_roles: list[RoleCode] = []
    approvers: list[Email] = []
    active: StrictBool = True
    conditions: list[ApprovalConditionItem] = []


class BudgetItem(Item):
    """A budget of the whole company, or of one location (its code) or user (e-mail)."""

    location: Code | None = None
    user: Email | None = None
    period: Literal["month", "quarter", "year"] = "month"
    amount: Amount
    over_budget: Literal["refuse", "approval"] = "approval"
    active: StrictBool = True


class CompanyItem(Item):
    code: Code
    name: Text
    group: Code | None = None
    status: Literal["pending", "approved", "suspended", "rejected"] = "approved"
    rejection_reason: LongText = ""
    country: CountryCode
    region: RegionCode | None = None
    vat_number: Annotated[str, Field(max_length=32)] = ""
    pinned_group: StrictBool = False
    price_lists: list[Code] = []
    credit_limit: Annotated[Amount, Field(ge=0)] | None = None
    addresses: list[AddressItem] = []
    locations: Annotated[list[LocationItem], Field(min_length=1)] | None = None
    tax_certificates: list[CertificateItem] = []
    users: list[UserItem] = []
    approval_rules: list[ApprovalRuleItem] | None = None
    budgets: list[BudgetItem] | None = None
    representatives: list[Annotated[str, Field(min_length=3, max_length=254)]] | None = None


class ConditionsItem(Item):
    countries: list[CountryCode] | None = None
    groups: list[Code] | None = None
    companies: list[Code] | None = None
    excluded_companies: list[Code] | None = None
    min_total: Annotated[Amount, Field(ge=0)] | None = None
    max_total: Annotated[Amount, Field(ge=0)] | None = None


class PaymentMethodItem(Item):
    code: Code
    type: Literal[
        "bank_transfer", "cheque", "invoice", "purchase_order", "cash_on_delivery", "card"
    ]
    name: Text
    net_days: Annotated[StrictInt, Field(ge=0, le=3650)] | None = None
    term_rule: Literal["net", "end_of_month"] = "net"
    without_credit_limit: StrictBool = False
    active: StrictBool = True
    position: Annotated[StrictInt, Field(ge=0)] = 0
    instructions: LongText = ""
    conditions: ConditionsItem = ConditionsItem()
    translations: Translations = None


class ShippingMethodItem(Item):
    code: Code
    name: Text
    price: Annotated[Amount, Field(ge=0)]
    free_above: Annotated[Amount, Field(ge=0)] | None = None
    active: StrictBool = True
    position: Annotated[StrictInt, Field(ge=0)] = 0
    conditions: ConditionsItem = ConditionsItem()
    translations: Translations = None


class SegmentationConditionItem(Item):
    field: Literal[
        "country",
        "region",
        "order_volume_12m",
        "order_count_12m",
        "avg_days_between_orders",
        "units_12m",
        "categories_bought",
        "days_since_last_order",
    ]
    op: Literal["=", "!=", "<", "<=", ">", ">=", "in"]
    value: (
        Annotated[str, Field(min_length=1, max_length=500)]
        | list[Annotated[str, Field(min_length=1, max_length=100)]]
    )


class SegmentationRuleItem(Item):
    position: Annotated[StrictInt, Field(ge=1)]
    group: Code
    active: StrictBool = True
    conditions: Annotated[list[SegmentationConditionItem], Field(min_length=1)]


class OrderLineItem(Item):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    category: Code | None = None
    qty: Quantity
    unit: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    """The packaging the line was bought in (docs/units-of-measure.md); null: the product's."""
    base_qty: Annotated[StrictInt, Field(ge=1, le=1_000_000_000)] | None = None
    unit_price: Annotated[Price, Field(ge=0)]
    promotion_percent: Annotated[Percent, Field(gt=0, le=100)] | None = None
    promotion: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    volume_percent: Annotated[Percent, Field(gt=0, le=100)] | None = None
    volume: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    tax_class: TaxClassName | None = None
    tax_rate: Annotated[Percent, Field(ge=0, le=100)]


class OrderTaxLineItem(Item):
    rate: Annotated[Percent, Field(ge=0, le=100)]
    base: Amount
    amount: Annotated[Amount, Field(ge=0)]
    reason: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class InvoicePaymentItem(Item):
    amount: Annotated[Amount, Field(gt=0)]
    paid_on: Date
    method: Literal[
        "bank_transfer", "cheque", "invoice", "purchase_order", "cash_on_delivery", "card"
    ] = "bank_transfer"
    reference: Annotated[str, Field(max_length=100)] = ""


class CreditLineItem(Item):
    """An invoice line, or part of it, that a credit note took back (`line`: its index)."""

    line: Annotated[StrictInt, Field(ge=0)]
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    unit: Annotated[str, Field(max_length=16)] = ""
    unit_price: Annotated[Price, Field(ge=0)]
    net: Annotated[Amount, Field(ge=0)]
    tax_rate: Annotated[Percent, Field(ge=0, le=100)]


class CreditTaxLineItem(Item):
    rate: Annotated[Percent, Field(ge=0, le=100)]
    base: Annotated[Amount, Field(ge=0)]
    amount: Annotated[Amount, Field(ge=0)]
    reason: Annotated[str, Field(max_length=64)] | None = None


class CreditNoteItem(Item):
    """A credit note of the invoice, as issued: what it took back per tax group."""

    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    issued_on: Date
    kind: Literal["whole", "lines", "amount"]
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    lines: list[CreditLineItem] = []
    tax_lines: Annotated[list[CreditTaxLineItem], Field(min_length=1)]
    shipping: Annotated[Amount, Field(ge=0)] = Decimal("0.00")

    @property
    def net_total(self) -> Decimal:
        return sum((tax.base for tax in self.tax_lines), ZERO)

    @property
    def tax_total(self) -> Decimal:
        return sum((tax.amount for tax in self.tax_lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.net_total + self.tax_total

    @model_validator(mode="after")
    def _takes_something(self):
        if self.total <= ZERO:
            raise ValueError("a credit note takes back more than 0.00")
        return self


class InvoiceRefundItem(Item):
    amount: Annotated[Amount, Field(gt=0)]
    refunded_on: Date
    method: Literal[
        "bank_transfer", "cheque", "invoice", "purchase_order", "cash_on_delivery", "card"
    ] = "bank_transfer"
    reference: Annotated[str, Field(max_length=100)] = ""


class InvoiceItem(Item):
    """An order's invoice: its number, dates and payments (the rest is copied from the
    order, the store and the company when it is first loaded), its credit notes and the
    refunds they led to."""

    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    issued_on: Date | None = None
    due_on: Date | None = None
    payments: list[InvoicePaymentItem] = []
    credit_notes: list[CreditNoteItem] = []
    refunds: list[InvoiceRefundItem] = []

    @model_validator(mode="after")
    def _consistent(self):
        if self.issued_on and self.due_on and self.due_on < self.issued_on:
            raise ValueError("due_on is before issued_on")
        keys = [(p.paid_on, p.amount, p.method, p.reference) for p in self.payments]
        if len(set(keys)) != len(keys):
            raise ValueError("two payments with the same date, amount, method and reference")
        keys = [(r.refunded_on, r.amount, r.method, r.reference) for r in self.refunds]
        if len(set(keys)) != len(keys):
            raise ValueError("two refunds with the same date, amount, method and reference")
        numbers = [note.number for note in self.credit_notes]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two credit notes with the same number")
        return self

    @property
    def amount_paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), ZERO)

    @property
    def amount_credited(self) -> Decimal:
        return sum((note.total for note in self.credit_notes), ZERO)

    @property
    def amount_refunded(self) -> Decimal:
        return sum((refund.amount for refund in self.refunds), ZERO)


class OrderItem(Item):
    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    company: Code
    buyer: str | None = None
    placed_by: str | None = None
    """E-mail of the merchant's staff user who placed it for the buyer (issue 18)."""
    location: Code | None = None
    status: Literal["placed", "confirmed", "shipped", "delivered", "cancelled"] = "placed"
    payment_status: Literal["unpaid", "partly_paid", "paid"] = "unpaid"
    placed_at: DateTime
    delivered_on: Date | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    po_number: Annotated[str, Field(max_length=64)] = ""
    comment: LongText = ""
    payment_method: Annotated[str, Field(max_length=64)] = ""
    shipping_method: Annotated[str, Field(max_length=64)] = ""
    shipping_address: OrderAddressItem
    billing_address: OrderAddressItem | None = None
    lines: Annotated[list[OrderLineItem], Field(min_length=1)]
    shipping_total: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    tax_lines: list[OrderTaxLineItem] = []
    invoice: InvoiceItem | None = None

    @property
    def total(self) -> Decimal:
        """subtotal − discounts + shipping + tax, as the loader computes it."""
        goods = sum(
            (
                round2(line.unit_price * line.qty) - line.promotion - line.volume
                for line in self.lines
            ),
            ZERO,
        )
        return goods + self.shipping_total + sum((t.amount for t in self.tax_lines), ZERO)

    @model_validator(mode="after")
    def _invoice_matches(self):
        """The order's payment status is what its invoice's payments say."""
        if self.invoice is None:
            return self
        paid, total = self.invoice.amount_paid, self.total
        credited, refunded = self.invoice.amount_credited, self.invoice.amount_refunded
        if self.status == "cancelled" and paid and credited < total:
            raise ValueError(
                "the invoice of a cancelled order takes no payment unless credit notes take "
                "back its whole total"
            )
        if paid > total:
            raise ValueError(f"the invoice's payments ({paid}) exceed the order total ({total})")
        if credited > total:
            raise ValueError(
                f"the invoice's credit notes ({credited}) exceed the order total ({total})"
            )
        if refunded > max(paid - (total - credited), ZERO):
            raise ValueError(
                f"the invoice's refunds ({refunded}) exceed what its credit notes left paid "
                "in excess"
            )
        status = invoice_rules.invoice_status(
            total=total,
            amount_paid=paid,
            due_on=datetime.date.max,
            today=datetime.date.min,
            amount_credited=credited,
            amount_refunded=refunded,
        )
        expected = invoice_rules.order_payment_status(status=status, amount_paid=paid)
        if self.payment_status != expected:
            raise ValueError(
                f'payment_status "{self.payment_status}" does not match the invoice\'s '
                f'payments ({paid} of {total}): it should be "{expected}"'
            )
        return self


class ReturnLineItem(Item):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Quantity


class ReturnItem(Item):
    """A return of a delivered order's lines (docs/bundle.md "Returns")."""

    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    order: Annotated[str, Field(min_length=1, max_length=32)]
    state: Literal["requested", "accepted", "refused", "received", "credited", "cancelled"] = (
        "requested"
    )
    reason: Literal["damaged", "wrong_item", "not_as_described", "surplus", "other"]
    comment: Annotated[str, Field(max_length=1000)] = ""
    decision: LongText = ""
    restocked: StrictBool | None = None
    credit_note: Annotated[str, Field(max_length=32)] | None = None
    requested_at: DateTime
    requested_by: Email | None = None
    lines: Annotated[list[ReturnLineItem], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self):
        if (self.credit_note is not None) != (self.state == "credited"):
            raise ValueError("a credited return names its credit note, and only it")
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("two lines with the same SKU")
        return self


class ApprovalRuleSnapshotItem(Item):
    """A rule as the request matched it when submitted, its conditions included (each reader
    is told why in their own language); `approved` once decided so."""

    name: Annotated[str, Field(min_length=1, max_length=120)]
    level: ApprovalLevel = 1
    approver_roles: list[RoleCode] = []
    approvers: list[Email] = []
    conditions: list[ApprovalConditionItem] = []
    approved: StrictBool = False


class ApprovalLineItem(Item):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    qty: Quantity
    unit_price: Annotated[Price, Field(ge=0)]
    promotion_percent: Annotated[Percent, Field(gt=0, le=100)] | None = None
    promotion: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    volume_percent: Annotated[Percent, Field(gt=0, le=100)] | None = None
    volume: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    tax_rate: Annotated[Percent, Field(ge=0, le=100)]


class ApprovalEventItem(Item):
    at: DateTime
    actor: Email | None = None
    staff: Email | None = None
    """The merchant's staff user who took the step in the actor's name (issue 18)."""
    action: Literal[
        "submitted", "approved", "rejected", "ordered", "not_ordered", "expired", "cancelled"
    ]
    level: ApprovalLevel | None = None
    message: LongText = ""


class ApprovalRequestItem(Item):
    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    company: Code
    requester: Email
    entered_by: Email | None = None
    """The merchant's staff user who submitted it for the buyer (issue 18)."""
    location: Code | None = None
    status: Literal["pending", "ordered", "rejected", "expired", "cancelled"] = "pending"
    submitted_at: DateTime
    valid_until: Date
    decided_at: DateTime | None = None
    rules: list[ApprovalRuleSnapshotItem] = []
    requester_role: RoleCode | None = None
    """The requester's role when submitted (absent: their role now)."""
    categories: list[Code] = []
    """The categories of its lines, their ancestors included, when submitted."""
    budget_exceeded: StrictBool = False
    rejection_reason: LongText = ""
    placement_problem: LongText = ""
    order: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    quote: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    """The quote the cart came from (its prices, waivers and shipping price hold on approval)."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    customer_group: Code | None = None
    po_number: Annotated[str, Field(max_length=64)] = ""
    comment: LongText = ""
    payment_method: Annotated[str, Field(max_length=64)] = ""
    shipping_method: Annotated[str, Field(max_length=64)] = ""
    shipping_address: OrderAddressItem
    lines: Annotated[list[ApprovalLineItem], Field(min_length=1)]
    shipping_total: Annotated[Amount, Field(ge=0)] = Decimal("0.00")
    tax_lines: list[OrderTaxLineItem] = []
    events: list[ApprovalEventItem] = []


class QuoteLineItem(Item):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    qty: Quantity
    list_unit_price: Annotated[Price, Field(ge=0)] | None = None
    quoted_unit_price: Annotated[Price, Field(ge=0)] | None = None
    discount_percent: Annotated[Percent, Field(ge=0, le=100)] | None = None
    unit_price: Annotated[Price, Field(ge=0)] | None = None
    waive_min_qty: StrictBool = False
    waive_qty_step: StrictBool = False

    @model_validator(mode="after")
    def _price_or_discount(self):
        if self.quoted_unit_price is not None and self.discount_percent is not None:
            raise ValueError("a quoted_unit_price or a discount_percent, not both")
        return self


class QuoteRoundItem(Item):
    buyer_message: LongText = ""
    merchant_message: LongText = ""
    opened_at: DateTime
    sent_at: DateTime | None = None
    expires_on: Date | None = None
    shipping_price: Annotated[Amount, Field(ge=0)] | None = None
    promotions_apply: StrictBool | None = None
    lines: Annotated[list[QuoteLineItem], Field(min_length=1, max_length=500)]


QUOTE_STATES = Literal[quote_states.STATES]


class QuoteEventItem(Item):
    at: DateTime
    actor: Email | None = None
    staff: Email | None = None
    """The merchant's staff user who took the step in the actor's name (issue 18)."""
    action: Literal[
        "requested",
        "review",
        "edited",
        "send",
        "accept",
        "reject",
        "revise",
        "order",
        "expire",
        "cancel",
    ]
    from_state: QUOTE_STATES | Literal[""] = ""
    to_state: QUOTE_STATES | Literal[""] = ""
    detail: LongText = ""


class QuoteItem(Item):
    number: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._/-]+$")]
    company: Code
    requester: Annotated[str, Field(min_length=3, max_length=254)]
    entered_by: Email | None = None
    """The merchant's staff user who requested it for the buyer (issue 18)."""
    location: Code | None = None
    state: QUOTE_STATES = "requested"
    requested_at: DateTime
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    wished_delivery_date: Date | None = None
    expires_on: Date | None = None
    shipping_price: Annotated[Amount, Field(ge=0)] | None = None
    promotions_apply: StrictBool = False
    merchant_note: LongText = ""
    order: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    rounds: Annotated[list[QuoteRoundItem], Field(min_length=1, max_length=100)]
    events: Annotated[list[QuoteEventItem], Field(max_length=10_000)] | None = None


SECTIONS: dict[str, type[Item]] = {
    "tax_rates": TaxRateItem,
    "categories": CategoryItem,
    "products": ProductItem,
    "families": FamilyItem,
    "price_lists": PriceListItem,
    "groups": GroupItem,
    "promotions": PromotionItem,
    "roles": RoleItem,
    "companies": CompanyItem,
    "payment_methods": PaymentMethodItem,
    "shipping_methods": ShippingMethodItem,
    "segmentation_rules": SegmentationRuleItem,
    "banners": BannerItem,
    "orders": OrderItem,
    "approval_requests": ApprovalRequestItem,
    "quotes": QuoteItem,
    "returns": ReturnItem,
}
TOP_LEVEL_KEYS = ("store", *SECTIONS)
