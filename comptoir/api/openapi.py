"""What the OpenAPI document says each operation answers (API.md §2), for clients and for the
schemathesis run of `.ci/run`.

The views build their JSON themselves (the shapes of API.md); the models below only describe
it. They are not used to serialise, so a field added to a view is never dropped: add it here
too, and schemathesis (which checks every answer against these schemas) keeps both in step.
Every error is `application/problem+json` (`Problem`).
"""

from typing import Annotated, Any, Literal

from ninja import NinjaAPI
from pydantic import BaseModel, Field, WithJsonSchema
from pydantic.json_schema import models_json_schema

from comptoir.quotes import states as quote_states

REF = "#/components/schemas/{model}"

# Quantities are read by the views themselves, so that a bad one is a 422 `invalid_quantity`
# (API.md), not a framework 400; the document still says what a good one is.
Quantity = Annotated[
    Any,
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 1_000_000, "examples": [24]}),
]
QuantityText = Annotated[
    str,
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 1_000_000, "examples": [24]}),
]
# Identifiers of the demo store (demo/store.json), as examples.
SKU_EXAMPLE = "VIS-4040-B200"
ORDER_EXAMPLE = "CMD-2026-000006"

# Why each error status can come back, for the OpenAPI descriptions.
ERROR_DESCRIPTIONS = {
    400: "Malformed request: not JSON, wrong types, a value out of range (`invalid_request`); "
    "an invitation link that is expired, used, tampered with or another company's "
    "(`invitation_invalid`).",
    401: "No valid credentials where they are needed (`login_required`, `invalid_credentials`).",
    403: "The company may not order (`company_not_approved`), the caller's role lacks the "
    "permission (`permission_denied`), a requester decides on their own approval request "
    "(`self_approval`), or a session-authenticated write without its CSRF token "
    "(`csrf_failed`).",
    404: "Unknown, or not visible to the caller (`not_found`): the two are not told apart.",
    409: "The approval request is no longer waiting (`approval_not_open`) or its prices no "
    "longer hold (`approval_expired`); the quote has expired (`quote_expired`) or is not at a "
    "step that allows this (`quote_not_open`): already accepted, ordered, rejected or "
    "cancelled.",
    422: "The request breaks a business rule; `errors` says which.",
    429: "Too many token requests from this address, or too many failed logins for this "
    "e-mail and address (`too_many_requests`). `Retry-After` may say when to retry.",
    503: "The database is briefly unreachable (`service_unavailable`, with `Retry-After`) or "
    "the store is not set up yet (`store_not_configured`).",
}


class ProblemItem(BaseModel):
    """One thing wrong: with `sku` (a line) or `field` (a request field)."""

    code: str
    message: str
    sku: str | None = None
    field: str | None = None


class Problem(BaseModel):
    """An error (RFC 9457) with a stable `code`."""

    type: str
    status: int
    title: str
    detail: str
    code: str
    errors: list[ProblemItem]


class Rules(BaseModel):
    min_qty: int
    max_qty: int | None
    qty_step: int


class Tier(BaseModel):
    min_qty: int
    unit_price: str


class ProductPrice(BaseModel):
    currency: str
    unit_price: str
    tiers: list[Tier]


class Availability(BaseModel):
    status: Literal["in_stock", "low_stock", "backorder", "out_of_stock"]
    left: int | None = Field(description="units left, given for low_stock only")


class ProductPackaging(BaseModel):
    unit: str = Field(description="the code to order it by: `{qty, unit}` in the cart")
    factor: int = Field(description="how many of the product's units it holds")
    min_qty: int | None = Field(description="in packagings; null: the product's rule applies")
    max_qty: int | None
    qty_step: int | None


class Product(BaseModel):
    sku: str
    name: str
    category: str | None
    unit: str
    pack_size: int
    rules: Rules
    packagings: list[ProductPackaging] = Field(
        description="the packagings it may be ordered in besides its unit "
        "(docs/units-of-measure.md)"
    )
    price: ProductPrice | None = Field(description="null where prices are hidden or on request")
    availability: Availability = Field(description="shown to every caller, prices hidden or not")


class ProductImage(BaseModel):
    url: str = Field(
        description="the picture (absolute, WebP), 1,200 px at most on its longer side"
    )
    alt: str = Field(description="what it shows, for buyers who cannot see it")
    width: int
    height: int
    thumbnail_url: str = Field(description="the same, 400 px at most on its longer side")
    thumbnail_width: int
    thumbnail_height: int


class ProductDocument(BaseModel):
    url: str = Field(description="the PDF file (absolute)")
    title: str
    kind: Literal["datasheet", "safety", "manual", "certificate", "other"]
    size: int = Field(description="in bytes")


class ProductAttribute(BaseModel):
    code: str
    label: str
    type: Literal["text", "number", "choice"]
    value: str = Field(description="a number is written with a dot, without exponent")
    unit: str = Field(description="for numbers, e.g. mm; may be empty")


class ProductTranslation(BaseModel):
    name: str | None = Field(None, description="absent: not translated")
    description: str | None = Field(None, description="absent: not translated")


class AxisValue(BaseModel):
    name: str = Field(description="the axis, e.g. Colour")
    value: str = Field(description="the product's value on it as written, e.g. Bleu")
    label: str = Field(
        description="the value in the caller's language, e.g. Blue (the value untranslated)"
    )


class FamilyPlace(BaseModel):
    code: str
    name: str
    axes: list[AxisValue] = Field(description="the product's cell: one value per axis")


class ProductDetail(Product):
    description: str
    translations: dict[str, ProductTranslation] = Field(
        description="the name and description by language (`en`, `fr`): the store's language "
        "always, the others where the merchant translated them"
    )
    family: FamilyPlace | None = Field(
        description="the product family it is a variant of (`GET /families/{code}`), or null"
    )
    images: list[ProductImage] = Field(description="in the order the store shows them")
    documents: list[ProductDocument] = Field(description="in the order the store shows them")
    attributes: list[ProductAttribute] = Field(
        description="its specifications, as its category defines them"
    )


class FacetValue(BaseModel):
    value: str = Field(description="filter by it with `attr.<code>=value`")
    label: str = Field(
        description="the value in the answer's language: a number in its format, a choice "
        "translated, a text as the products having it translate it the most, else as stored"
    )
    count: int = Field(description="the products with it among those the other filters leave")
    selected: bool


class AttributeFacet(BaseModel):
    code: str = Field(description="filter by it with `attr.<code>=value`")
    label: str
    type: str = Field(description="`text`, `number` or `choice`")
    unit: str
    values: list[FacetValue]


class ProductFacets(BaseModel):
    attributes: list[AttributeFacet] = Field(
        description="the category's attributes (empty without `category`)"
    )
    in_stock: int = Field(description="the products in stock the other filters leave")
    price_filter_refused: bool = Field(
        description="true: over 1,000 products to price, the price filter was not applied"
    )


class FamilyAxis(BaseModel):
    name: str
    values: list[str] = Field(
        description="in the order of the grid, as written: the variants' `axis_values`"
    )
    labels: list[str] = Field(
        description="the values in the caller's language, one for each of `values` (the value "
        "untranslated)"
    )


class FamilyVariantItem(Product):
    axis_values: list[str] = Field(description="its value on each axis, in the order of `axes`")
    axis_labels: list[str] = Field(
        description="its value on each axis in the caller's language, in the order of `axes`"
    )


class ProductFamilyDetail(BaseModel):
    code: str
    name: str
    description: str
    category: str | None
    axes: list[FamilyAxis] = Field(description="one or two: rows, then columns")
    variants: list[FamilyVariantItem] = Field(
        description="the variants the caller may see, in the grid's order, rows first"
    )


class ProductPage(BaseModel):
    items: list[Product]
    count: int
    page: int
    page_size: int
    sort: str = Field(description="the sort applied (`name` when a price sort was refused)")
    facets: ProductFacets


class ExplanationStep(BaseModel):
    step: str
    source: str
    detail: str
    unit_price: str | None


class PriceQuote(BaseModel):
    currency: str
    quantity: int
    unit: str = Field(description="what `quantity` counts: the product's unit or a packaging's")
    base_qty: int = Field(description="the quantity in the product's unit (price tiers count it)")
    unit_price: str
    promotion_percent: str | None
    line_total: str
    explanation: list[ExplanationStep]


class LineError(BaseModel):
    code: str
    message: str
    sku: str | None


class CartLine(BaseModel):
    sku: str
    name: str
    qty: int
    unit: str = Field(description="what `qty` counts: the product's unit or a packaging's")
    base_qty: int = Field(description="the quantity in the product's unit (stock, tiers, volume)")
    unit_price: str | None = Field(description="null for a product without a price")
    gross: str
    discount: str
    line_total: str
    tax_rate: str | None
    errors: list[LineError]


class TaxLine(BaseModel):
    rate: str
    base: str
    amount: str
    reason: str | None


class MethodChoice(BaseModel):
    code: str
    name: str


class ShippingChoice(BaseModel):
    code: str
    name: str
    price: str


class BudgetOut(BaseModel):
    scope: Literal["company", "location", "user"]
    location: str | None
    period: Literal["month", "quarter", "year"]
    first_day: str
    last_day: str
    amount: str
    spent: str = Field(description="orders placed in the period and not cancelled + open requests")
    left: str
    exceeded: bool = Field(description="this cart would take the period over the budget")
    over_budget: Literal["refuse", "approval"]
    message: str


class ApprovalPreviewRule(BaseModel):
    name: str
    level: int
    reasons: list[str]
    approvers: list[str]


class ApprovalPreview(BaseModel):
    required: bool = Field(description="checkout will send this cart for approval")
    rules: list[ApprovalPreviewRule]


class Cart(BaseModel):
    currency: str
    lines: list[CartLine]
    subtotal: str
    discount_total: str
    shipping_total: str
    tax_lines: list[TaxLine]
    tax_total: str
    total: str
    errors: list[LineError]
    can_checkout: bool
    payment_methods: list[MethodChoice]
    shipping_methods: list[ShippingChoice]
    location: str | None = Field(
        None, description="code of the company location the cart is for; null: at checkout"
    )
    budgets: list[BudgetOut] = Field(
        [], description="the budgets this cart counts against, empty where prices are hidden"
    )
    approval: ApprovalPreview | None = None


class Row(BaseModel):
    """What became of one quick-order row: `status` is `added` or `error`."""

    row: int
    sku: str
    qty: int | None
    status: str
    code: str | None
    message: str | None


class RowsAndCart(BaseModel):
    rows: list[Row]
    cart: Cart


class ListSummary(BaseModel):
    id: int
    name: str
    sharing: Literal["private", "company", "location"]
    location: str | None = Field(description="the location's code when shared with one")
    owner: str
    entered_by: str | None = Field(
        description="name of the merchant's staff user who entered it for the buyer (a sales "
        "representative acting as the buyer); null when the buyer did"
    )
    line_count: int
    updated_at: str
    manageable: bool = Field(description="the caller may rename, re-share or delete it")


class ListPage(BaseModel):
    items: list[ListSummary]
    count: int
    page: int
    page_size: int


class ListAvailability(BaseModel):
    status: str
    left: int | None


class ListLineOut(BaseModel):
    sku: str
    name: str | None = Field(description="null for a product the caller may no longer see")
    qty: int = Field(description="counted in `unit`")
    unit: str = Field(description="the packaging the line counts, else the product's unit")
    base_qty: int = Field(description="the quantity in the product's unit")
    note: str
    available: bool
    availability: ListAvailability | None
    unit_price: str | None
    line_total: str | None
    errors: list[LineError] = Field(description="the rules the line breaks, as the cart says")


class ListDetail(ListSummary):
    currency: str
    lines: list[ListLineOut]


class ListRowsAndList(BaseModel):
    rows: list[Row]
    list: ListDetail


class ShippingAddress(BaseModel):
    line1: str
    city: str
    postal_code: str
    country: str
    region: str | None


class Order(BaseModel):
    number: str
    status: str
    placed_at: str
    location: str | None = Field(description="code of the company's location it was placed for")
    currency: str
    po_number: str
    placed_by: str | None = Field(
        description="name of the merchant's staff user who placed it for the buyer (a sales "
        "representative acting as the buyer, or an order entered in the back office); null "
        "when the buyer placed it"
    )
    payment_method: str
    shipping_method: str
    shipping_address: ShippingAddress
    lines: list[CartLine]
    subtotal: str
    discount_total: str
    shipping_total: str
    tax_lines: list[TaxLine]
    tax_total: str
    total: str
    payment_status: str


class ApprovalRuleOut(BaseModel):
    name: str
    level: int
    reasons: list[str] = Field(description="why the order matched the rule")
    approvers: list[str] = Field(description="who may approve it (the requester never)")
    approved: bool


class ApprovalRequestOut(BaseModel):
    number: str = Field(examples=["APR-2026-000001"])
    status: Literal["pending", "ordered", "rejected", "expired", "cancelled"]
    submitted_at: str
    valid_until: str = Field(description="the last day the snapshot's prices hold")
    requester: str
    entered_by: str | None = Field(
        description="name of the merchant's staff user who entered it for the buyer (a sales "
        "representative acting as the buyer); null when the buyer did"
    )
    location: str | None
    currency: str
    po_number: str
    payment_method: str
    shipping_method: str
    shipping_address: ShippingAddress
    lines: list[CartLine]
    subtotal: str | None
    discount_total: str | None
    shipping_total: str | None
    tax_lines: list[TaxLine]
    tax_total: str | None
    total: str | None
    rules: list[ApprovalRuleOut]
    rejection_reason: str
    placement_problem: str = Field(description="why the last approval could not place it")
    order: str | None = Field(description="the order's number once placed")
    quote: str | None = Field(description="the number of the quote the order is placed from")


class ApprovalRequired(ApprovalRequestOut):
    """202 from checkout: the cart became an approval request instead of an order."""

    code: Literal["approval_required"]
    message: str


class ApprovalPage(BaseModel):
    items: list[ApprovalRequestOut]
    count: int
    page: int
    page_size: int


class OrderPage(BaseModel):
    items: list[Order]
    count: int
    page: int
    page_size: int


class AccountCompany(BaseModel):
    code: str
    name: str
    group: str
    status: str
    country: str
    vat_number: str


class Credit(BaseModel):
    """All null for a role that does not see invoices and prices."""

    limit: str | None
    open_balance: str | None
    available: str | None = Field(description="null when there is no credit limit")


class AccountCertificate(BaseModel):
    number: str
    country: str
    region: str | None
    issued_on: str
    expires_on: str
    status: str


class Account(BaseModel):
    company: AccountCompany
    credit: Credit
    tax_certificates: list[AccountCertificate]


class TeamMember(BaseModel):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    locations: list[str] | None = Field(description="null: every location")
    active: bool


class Invitation(BaseModel):
    id: int
    email: str
    role: str
    locations: list[str] | None
    sent_at: str
    expires_days: int


class TeamUsers(BaseModel):
    items: list[TeamMember]
    invitations: list[Invitation]


class LocationOut(BaseModel):
    code: str
    name: str
    addresses: list[str]
    billing_address: str | None


class LocationList(BaseModel):
    items: list[LocationOut]


class RoleOut(BaseModel):
    code: str
    name: str
    builtin: bool
    permissions: list[str]


class PermissionOut(BaseModel):
    code: str
    name: str


class RoleList(BaseModel):
    items: list[RoleOut]
    permissions: list[PermissionOut]


class QuoteLineOut(BaseModel):
    sku: str
    name: str
    qty: int
    unit_price: str | None = Field(description="the unit price offered; null until sent")


class QuoteRoundOut(BaseModel):
    position: int
    buyer_message: str
    merchant_message: str = Field(description="empty until the round is sent")
    opened_at: str
    sent_at: str | None
    expires_on: str | None = Field(description="null until the round is sent")
    shipping_price: str | None = Field(description="null until sent, or priced at checkout")
    promotions_apply: bool | None = Field(description="null until the round is sent")
    lines: list[QuoteLineOut]


class QuotedLineOut(BaseModel):
    sku: str
    name: str
    qty: int
    unit_price: str | None
    gross: str | None
    discount: str | None
    line_total: str | None
    explanation: list[ExplanationStep]


class QuoteOffer(BaseModel):
    """The latest offer sent (the round in force: a round being prepared shows once sent),
    with an estimate of taxes: they are decided at order time."""

    round: int
    expires_on: str | None = Field(description="the last day it may be accepted")
    promotions_apply: bool
    lines: list[QuotedLineOut]
    subtotal: str | None
    discount_total: str | None
    shipping_total: str | None = Field(description="null: priced at checkout as any order")
    tax_lines: list[TaxLine]
    tax_total: str | None
    total: str | None
    estimate: bool


QuoteState = Literal[quote_states.STATES]


class QuoteSummary(BaseModel):
    number: str = Field(examples=["DEV-2026-000001"])
    state: QuoteState
    requested_at: str
    requester: str
    entered_by: str | None = Field(
        description="name of the merchant's staff user who entered it for the buyer (a sales "
        "representative acting as the buyer); null when the buyer did"
    )
    location: str | None
    wished_delivery_date: str | None
    expires_on: str | None
    currency: str


class QuoteOut(QuoteSummary):
    promotions_apply: bool
    actions: list[Literal["accept", "reject", "revise"]]
    offer: QuoteOffer | None
    rounds: list[QuoteRoundOut]
    order: str | None


class QuotePage(BaseModel):
    items: list[QuoteSummary]
    count: int
    page: int
    page_size: int


class InvoiceBuyer(BaseModel):
    code: str
    name: str
    vat_number: str


class InvoiceLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit: str
    unit_price: str
    gross: str
    discount: str
    net: str
    tax_rate: str


class InvoiceOut(BaseModel):
    """An invoice as issued (its snapshot), what its credit notes took back and what has been
    paid and refunded of it."""

    number: str = Field(examples=["FAC-2026-000001"])
    order: str = Field(description="the number of the invoiced order")
    status: Literal["unpaid", "partly_paid", "paid", "overdue", "credited", "cancelled"]
    issued_on: str
    due_on: str
    currency: str
    po_number: str
    payment_method: str
    buyer: InvoiceBuyer
    billing_address: dict[str, Any]
    lines: list[InvoiceLineOut]
    tax_lines: list[TaxLine]
    subtotal: str
    discount_total: str
    shipping_total: str
    tax_total: str
    total: str
    amount_credited: str = Field(description="what its credit notes take back")
    amount_paid: str
    amount_refunded: str = Field(description="what was paid back to the buyer")
    amount_due: str = Field(
        description="total - credited - paid + refunded; below 0 the merchant owes the buyer"
    )
    tax_mention: str
    updated_at: str = Field(
        description="last change (a payment, a credit note, a refund, a status), ISO 8601"
    )


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    count: int
    page: int
    page_size: int


class CreditNoteLineOut(BaseModel):
    """An invoice line, or part of one, that the credit note takes back."""

    sku: str
    name: str
    quantity: int
    unit: str
    unit_price: str
    net: str
    tax_rate: str


class CreditNoteTaxLineOut(BaseModel):
    """Per tax group of the invoice (rate, reason): the base and the tax taken back."""

    rate: str
    base: str
    amount: str
    reason: str | None


class CreditNoteSummary(BaseModel):
    number: str = Field(examples=["AV-2026-000001"])
    invoice: str = Field(examples=["FAC-2026-000001"])
    order: str
    issued_on: str
    kind: Literal["whole", "lines", "amount"]
    reason: str
    currency: str
    total: str


class CreditNoteOut(CreditNoteSummary):
    seller: dict[str, Any]
    buyer: dict[str, Any]
    lines: list[CreditNoteLineOut]
    tax_lines: list[CreditNoteTaxLineOut]
    shipping: str
    net_total: str
    tax_total: str
    tax_mention: str
    pdf_url: str


class CreditNotePage(BaseModel):
    items: list[CreditNoteSummary]
    count: int
    page: int
    page_size: int


ReturnStateName = Literal["requested", "accepted", "refused", "received", "credited", "cancelled"]


class ReturnLineOut(BaseModel):
    sku: str
    name: str
    quantity: int


class ReturnEventOut(BaseModel):
    at: str
    state: ReturnStateName
    message: str


class ReturnSummary(BaseModel):
    number: str = Field(examples=["RMA-2026-000001"])
    order: str
    state: ReturnStateName
    reason: Literal["damaged", "wrong_item", "not_as_described", "surplus", "other"]
    requested_at: str


class ReturnOut(ReturnSummary):
    comment: str
    decision: str
    restocked: bool | None
    has_photo: bool
    credit_note: str | None
    lines: list[ReturnLineOut]
    events: list[ReturnEventOut]


class ReturnPage(BaseModel):
    items: list[ReturnSummary]
    count: int
    page: int
    page_size: int


MODELS = [
    Problem,
    InvoiceOut,
    InvoicePage,
    ProductPage,
    ProductDetail,
    ProductFamilyDetail,
    PriceQuote,
    Cart,
    RowsAndCart,
    Order,
    OrderPage,
    ApprovalRequestOut,
    ApprovalRequired,
    ApprovalPage,
    Account,
    TeamMember,
    Invitation,
    TeamUsers,
    LocationList,
    RoleList,
    QuoteOut,
    QuotePage,
    ListPage,
    ListDetail,
    ListRowsAndList,
    CreditNoteOut,
    CreditNotePage,
    ReturnOut,
    ReturnPage,
]
_, _definitions = models_json_schema(
    [(model, "serialization") for model in MODELS], ref_template=REF
)
COMPONENTS: dict[str, Any] = _definitions.get("$defs", {})


def _ref(model: type[BaseModel]) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def documented(
    success: type[BaseModel] | None = None,
    *,
    status: int = 200,
    errors: tuple[int, ...] = (),
    also: dict[int, type[BaseModel]] | None = None,
    **extra: Any,
) -> dict:
    """`openapi_extra` of an operation: its success body and its problem+json errors (503,
    the database outage, always)."""
    responses: dict[Any, Any] = {}
    if success is not None:
        responses[status] = {"content": {"application/json": {"schema": _ref(success)}}}
    for other, model in (also or {}).items():
        responses[other] = {"content": {"application/json": {"schema": _ref(model)}}}
    for code in sorted({*errors, 503}):
        responses[code] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/problem+json": {"schema": _ref(Problem)}},
        }
    return {"responses": responses, **extra}


class ComptoirAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also holds the schemas of `documented` answers."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
        return schema
