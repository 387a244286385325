"""A cart as the buyer sees it at checkout: priced lines, rule violations, shipping, tax, total.

`quote_cart` is the one place that turns (product, quantity) pairs into money. The cart page,
the API, quick order, reorder and order placement all call it, in a number of queries that
does not depend on the number of lines.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.catalog.models import Packaging, Product
from comptoir.catalog.selectors import visible_products
from comptoir.core.money import ZERO
from comptoir.core.selectors import store_today
from comptoir.core.units import quantity_label
from comptoir.customers.models import Address
from comptoir.ordering import rules
from comptoir.ordering.messages import violation_message
from comptoir.ordering.selectors import order_rules
from comptoir.payments import rules as method_rules
from comptoir.payments.messages import refusal_message
from comptoir.payments.rules import MethodFacts
from comptoir.payments.selectors import credit_of, payment_methods, shipping_methods
from comptoir.pricing.engine import (
    PricedLine,
    QuantityRules,
    Step,
    price_cart,
)
from comptoir.pricing.selectors import (
    category_ancestors,
    packaging_data,
    pricing_context,
    product_data,
)
from comptoir.tax import engine as tax
from comptoir.tax.engine import Jurisdiction, TaxLine, line_rate, tax_lines
from comptoir.tax.selectors import exemptions_of, jurisdiction_rates


@dataclass(frozen=True)
class Destination:
    """Where the order ships: a company address (by code) or an address typed at checkout."""

    line1: str
    city: str
    postal_code: str
    country: str
    region: str = ""
    line2: str = ""
    code: str = ""

    @property
    def jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(self.country, self.region)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "line1": self.line1,
            "line2": self.line2,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "region": self.region,
        }


@dataclass(frozen=True)
class FixedPrice:
    """A line's price decided before today: the snapshot of an approval request (issue 16), a
    quote (issue 17). `quote_cart` takes it instead of pricing the line; everything else of
    the cart (visibility, quantity rules, stock, shipping, taxes, payment, credit) is still
    decided today. `steps` explain the price, the step that fixed it last."""

    unit_price: Decimal
    gross: Decimal
    promotion_percent: Decimal | None
    promotion: Decimal
    volume_percent: Decimal | None
    volume: Decimal
    net: Decimal
    steps: tuple[Step, ...]

    @property
    def discount(self) -> Decimal:
        return self.promotion + self.volume


@dataclass
class QuotedLine:
    product: Product
    quantity: int
    rules: QuantityRules
    priced: PricedLine | FixedPrice | None
    tax_rate: Decimal | None
    tax_reason: str | None
    violations: list[rules.Violation]
    messages: list[str]
    packaging: Packaging | None = None
    """What `quantity` counts when not the product's unit; the unit price is then per packaging."""

    @property
    def base_quantity(self) -> int:
        """The quantity in the product's unit: what stock, tiers and volume discounts count."""
        return self.quantity * self.packaging.factor if self.packaging else self.quantity

    @property
    def unit(self) -> str:
        return self.packaging.unit if self.packaging else self.product.unit

    @property
    def quantity_label(self) -> str:
        """ "3 cases (432 pieces)" in a packaging, "3 boxes" in the product's unit."""
        if self.packaging is None:
            return quantity_label(self.quantity, self.product.unit)
        return quantity_label(self.quantity, self.unit, self.base_quantity, self.product.unit)

    @property
    def unit_price(self) -> Decimal | None:
        return self.priced.unit_price if self.priced else None

    @property
    def gross(self) -> Decimal:
        return self.priced.gross if self.priced else ZERO

    @property
    def promotion_percent(self) -> Decimal | None:
        return self.priced.promotion_percent if self.priced else None

    @property
    def promotion(self) -> Decimal:
        return self.priced.promotion if self.priced else ZERO

    @property
    def volume_percent(self) -> Decimal | None:
        return self.priced.volume_percent if self.priced else None

    @property
    def volume(self) -> Decimal:
        return self.priced.volume if self.priced else ZERO

    @property
    def discount(self) -> Decimal:
        return self.priced.discount if self.priced else ZERO

    @property
    def net(self) -> Decimal:
        return self.priced.net if self.priced else ZERO

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.priced.steps if self.priced else ()


@dataclass
class CartQuote:
    currency: str
    lines: list[QuotedLine]
    subtotal: Decimal
    discount_total: Decimal
    merchandise: Decimal
    destination: Destination | None
    shipping: MethodFacts | None
    shipping_total: Decimal
    shipping_options: list[tuple[MethodFacts, Decimal]]
    payment_options: list[MethodFacts]
    tax_lines: list[TaxLine]
    tax_total: Decimal
    total: Decimal
    violations: list[rules.Violation]
    messages: list[str]
    refusal: tuple[str, str] | None
    """Why the viewer may not order at all (login, company status), or None."""
    minimum: Decimal = ZERO
    problems: list[str] = field(default_factory=list)
    refused_methods: dict[str, tuple[method_rules.Refusal, str]] = field(default_factory=dict)
    """By method code, case folded: codes are matched without regard to case (API.md §2.1)."""
    """Methods not offered, by code: why (code and sentence), for checkout and the back office."""
    tax_exemption: str | None = None
    tax_warnings: list[str] = field(default_factory=list)

    @property
    def tax_mention(self) -> str:
        """The legal mention an order and its invoice must carry, if any."""
        return tax.REVERSE_CHARGE_MENTION if self.tax_exemption == tax.REVERSE_CHARGE else ""

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @property
    def has_line_errors(self) -> bool:
        return any(line.violations for line in self.lines)

    @property
    def can_checkout(self) -> bool:
        return (
            bool(self.lines)
            and self.refusal is None
            and not self.violations
            and not self.has_line_errors
            and self.shipping is not None
        )


def quote_cart(
    viewer: Viewer,
    items: list[tuple[Product, int]],
    *,
    destination: Destination | None = None,
    shipping_code: str | None = None,
    today=None,
    fixed: dict[int, FixedPrice] | None = None,
    waived: dict[int, frozenset[str]] | None = None,
    shipping_price: Decimal | None = None,
    packagings: dict[int, Packaging] | None = None,
) -> CartQuote:
    """Price, check and total `items` for the viewer; nothing is written.

    `fixed` (by product id) replaces the price of those lines: they are neither priced today
    nor counted for the volume tier of the others, but still checked as any line is.
    `waived` (by product id) names the violation codes a quote let that line break (its
    minimum, its multiple), explicitly; every other rule still holds.
    `shipping_price` (a quote's) replaces the price of every eligible shipping method, its
    free-above threshold included; which methods are eligible is decided as for any cart, and
    the shipping price is taxed as any order's.
    `packagings` (by product id) names the packaging a line's quantity counts
    (docs/units-of-measure.md); the others count the product's unit.
    """
    store, company = viewer.store, viewer.company
    fixed = fixed or {}
    waived = waived or {}
    packagings = packagings or {}
    products = [product for product, _quantity in items]
    ids = [product.pk for product in products]
    visible = _visible_ids(viewer, ids)
    quantity_rules = order_rules(group=viewer.group, products=products)
    to_price = [pk for pk in ids if pk not in fixed]
    context = pricing_context(
        store=store,
        company=company,
        product_ids=to_price,
        today=today,
        packaging_ids=[packaging.pk for packaging in packagings.values()],
    )
    data = product_data(products, category_ancestors() if to_price else {})
    # Lines the buyer may no longer see are neither priced nor counted for volume tiers.
    priced = price_cart(
        context,
        [
            (item, quantity)
            for item, (product, quantity) in zip(data, items, strict=True)
            if product.pk in visible and product.pk not in fixed
        ],
        {pk: packaging_data(packaging) for pk, packaging in packagings.items()},
    )
    by_product: dict[int, PricedLine | FixedPrice] = {
        line.quote.product.id: line for line in priced.lines
    }
    by_product |= fixed
    destination = destination or default_destination(viewer)
    jurisdiction = destination.jurisdiction if destination else _company_jurisdiction(viewer)
    rates = jurisdiction_rates(jurisdiction)
    day = today or store_today(store)
    exemptions = exemptions_of(store=store, company=company, group=viewer.group)
    exemption = tax.order_exemption(exemptions, jurisdiction, day)

    lines = []
    for product, quantity in items:
        line = by_product.get(product.pk) if product.pk in visible else None
        rate, reason = (ZERO, exemption) if exemption else line_rate(product.tax_class, rates)
        packaging = packagings.get(product.pk)
        facts = rules.LineFacts(
            sku=product.sku,
            quantity=quantity,
            rules=quantity_rules[product.pk],
            stock=product.stock,
            backorder=product.backorder,
            priced=line is not None,
            available=product.pk in visible and (packaging is None or packaging.enabled),
            factor=packaging.factor if packaging else 1,
            packaging_rules=packaging.rules if packaging else None,
        )
        found = [
            violation
            for violation in rules.line_violations(facts)
            if violation.code not in waived.get(product.pk, ())
        ]
        lines.append(
            QuotedLine(
                product=product,
                quantity=quantity,
                rules=quantity_rules[product.pk],
                priced=line,
                tax_rate=rate,
                tax_reason=reason,
                violations=found,
                messages=[violation_message(v, store.currency) for v in found],
                packaging=packaging,
            )
        )

    subtotal = sum((line.gross for line in lines), ZERO)
    discount_total = sum((line.discount for line in lines), ZERO)
    merchandise = subtotal - discount_total
    group_minimum = viewer.group.min_order_amount
    minimum = rules.minimum_order_amount(group_minimum, store.min_order_amount)
    violations = rules.cart_violations(
        merchandise=merchandise, minimum=minimum, has_lines=bool(lines)
    )

    buyer = method_rules.Buyer(
        country=jurisdiction.country,
        group_id=viewer.group.pk,
        company_id=company.pk if company else None,
    )
    shipping_refusals = _refusals(shipping_methods(), buyer, merchandise)
    eligible_shipping = [method for method, refused in shipping_refusals if refused is None]
    shipping = _chosen(eligible_shipping, shipping_code) or method_rules.cheapest(
        eligible_shipping, merchandise
    )
    problems = []
    if shipping_code and _chosen(eligible_shipping, shipping_code) is None:
        problems.append("shipping_method_not_eligible")

    def price_of(method: MethodFacts) -> Decimal:
        if shipping_price is not None:
            return shipping_price
        return method_rules.shipping_price(method, merchandise)

    shipping_total = price_of(shipping) if shipping else ZERO
    taxes = tax_lines(
        [(line.net, line.product.tax_class) for line in lines],
        shipping_total,
        rates,
        order_exemption=exemption,
    )
    tax_total = sum((line.amount for line in taxes), ZERO)
    total = subtotal - discount_total + shipping_total + tax_total
    payment_refusals = _refusals(payment_methods(), buyer, total, credit_of(company))
    eligible_payment = [method for method, refused in payment_refusals if refused is None]
    return CartQuote(
        currency=store.currency,
        lines=lines,
        subtotal=subtotal,
        discount_total=discount_total,
        merchandise=merchandise,
        destination=destination,
        shipping=shipping,
        shipping_total=shipping_total,
        shipping_options=[(method, price_of(method)) for method in eligible_shipping],
        payment_options=eligible_payment,
        tax_lines=taxes,
        tax_total=tax_total,
        total=total,
        violations=violations,
        messages=[violation_message(v, store.currency) for v in violations],
        refusal=viewer.order_refusal(),
        minimum=minimum,
        problems=problems,
        refused_methods={
            method.code.casefold(): (refused, refusal_message(method, refused))
            for method, refused in (*shipping_refusals, *payment_refusals)
            if refused is not None
        },
        tax_exemption=exemption,
        tax_warnings=[
            certificate_warning(code, certificate)
            for code, certificate in tax.certificate_warnings(exemptions, jurisdiction, day)
        ],
    )


def certificate_warning(code: str, certificate: tax.Certificate) -> str:
    params = {"number": certificate.number, "date": certificate.expires_on.isoformat()}
    if code == "certificate_pending":
        return (
            _(
                "Your exemption certificate %(number)s is waiting for review: tax is charged "
                "until the store approves it."
            )
            % params
        )
    if code == "certificate_expired":
        return (
            _(
                "Your exemption certificate %(number)s expired on %(date)s: tax is charged. "
                "Send the renewed certificate from your account page."
            )
            % params
        )
    return _("Your exemption certificate %(number)s is not valid yet: tax is charged.") % params


def _visible_ids(viewer: Viewer, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    visible = visible_products(group=viewer.group, company=viewer.company).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))


def _refusals(methods, buyer, amount, credit=None):
    return [(method, method_rules.refusal(method, buyer, amount, credit)) for method in methods]


def _chosen(methods: list[MethodFacts], code: str | None) -> MethodFacts | None:
    return chosen_method(methods, code)


def chosen_method(methods, code: str | None):
    """The method of that code, matched without regard to case (API.md §2.1), or None."""
    if not code:
        return None
    return next((m for m in methods if m.code.casefold() == code.casefold()), None)


def default_destination(viewer: Viewer) -> Destination | None:
    """The company's first address: where orders ship unless the buyer picks another."""
    if viewer.company is None:
        return None
    address = Address.objects.filter(company=viewer.company).order_by("position", "id").first()
    return address_destination(address) if address else None


def address_destination(address: Address) -> Destination:
    return Destination(
        code=address.code,
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        postal_code=address.postal_code,
        country=address.country,
        region=address.region,
    )


def _company_jurisdiction(viewer: Viewer) -> Jurisdiction:
    if viewer.company is not None:
        return Jurisdiction(viewer.company.country, viewer.company.region)
    return Jurisdiction(viewer.store.country, viewer.store.region)
