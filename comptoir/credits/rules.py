"""What a credit note takes back from its invoice (issue 21), pure: no ORM, no request.

An issued invoice is never changed: it is corrected by credit notes, each one taking back
part of what the invoice charged, per tax group (rate, reason) exactly as the invoice
grouped it. Nothing here can take back more than remains: per invoice line (quantity and
net), per tax group (base and tax) and for the shipping, what earlier credit notes took is
subtracted first, so the credit notes of an invoice never add up to more than it.

Three kinds (docs/credit-notes-and-returns.md):

- whole: everything that remains, to the cent (a cancelled order);
- lines: quantities of invoice lines. A line's net is taken back in proportion,
  round2(net × quantity / invoiced quantity), and its last units take exactly what remains
  of it. Each tax group takes back round2(Σ nets taken × rate), capped by the tax that
  remains in the group; when the group's whole remaining base goes, its remaining tax goes
  with it, so the lines of an invoice credited one by one give back its tax to the cent;
- amount: a sum, tax included, split across the tax groups in proportion to what remains
  in each (largest remainder to the cent, groups in the invoice's order breaking ties, so
  no group ever gives more than it holds); in a group, the tax is what the share contains,
  round2(share × rate / (100 + rate)), and the base the rest.

The invoice's reasons (reverse_charge, certificate:...) stay on the credit note's tax lines.
"""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import ZERO, round2

HUNDRED = Decimal(100)
NUMBER_PREFIX = "AV"
WHOLE = "whole"
LINES = "lines"
AMOUNT = "amount"
KINDS = (WHOLE, LINES, AMOUNT)
REASON_MAX_LENGTH = 200


class CreditRefused(Exception):
    """A credit note that cannot be issued: a stable code and the figures its sentence shows."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Group:
    """A tax group of the invoice: what it charged, then what is left to take back."""

    rate: Decimal
    reason: str
    base: Decimal
    amount: Decimal

    @property
    def key(self) -> tuple[Decimal, str]:
        return (self.rate, self.reason)

    @property
    def total(self) -> Decimal:
        return self.base + self.amount


@dataclass
class LineLeft:
    """An invoice line and how much of it remains to take back."""

    index: int
    line: dict
    quantity: int
    net: Decimal


@dataclass
class Remaining:
    lines: list[LineLeft]
    groups: list[Group]
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.groups), ZERO)


@dataclass(frozen=True)
class Credit:
    """What one credit note takes back, as it will be stored (JSON-ready lines)."""

    lines: list[dict]
    tax_lines: list[dict]
    shipping: Decimal
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    kind: str


def credit_number(year: int, sequence: int) -> str:
    """AV-<year>-<6 digits>: the `sequence`-th credit note of `year` ("avoir" in French)."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def remaining(
    *, lines: list[dict], tax_lines: list[dict], shipping: Decimal, credited: list[dict]
) -> Remaining:
    """What of the invoice (`lines`, `tax_lines`, `shipping` as it stores them) is left once
    the earlier credit notes (`credited`: dicts with lines, tax_lines and shipping) took
    their part."""
    taken_quantity: dict[int, int] = {}
    taken_net: dict[int, Decimal] = {}
    taken_base: dict[tuple[Decimal, str], Decimal] = {}
    taken_tax: dict[tuple[Decimal, str], Decimal] = {}
    taken_shipping = ZERO
    for note in credited:
        for line in note["lines"]:
            index = int(line["line"])
            taken_quantity[index] = taken_quantity.get(index, 0) + int(line["quantity"])
            taken_net[index] = taken_net.get(index, ZERO) + Decimal(line["net"])
        for tax in note["tax_lines"]:
            key = (Decimal(tax["rate"]), tax.get("reason") or "")
            taken_base[key] = taken_base.get(key, ZERO) + Decimal(tax["base"])
            taken_tax[key] = taken_tax.get(key, ZERO) + Decimal(tax["amount"])
        taken_shipping += Decimal(note["shipping"])
    groups = []
    for tax in tax_lines:
        key = (Decimal(tax["rate"]), tax.get("reason") or "")
        groups.append(
            Group(
                rate=key[0],
                reason=key[1],
                base=Decimal(tax["base"]) - taken_base.get(key, ZERO),
                amount=Decimal(tax["amount"]) - taken_tax.get(key, ZERO),
            )
        )
    return Remaining(
        lines=[
            LineLeft(
                index=index,
                line=line,
                quantity=int(line["quantity"]) - taken_quantity.get(index, 0),
                net=Decimal(line["net"]) - taken_net.get(index, ZERO),
            )
            for index, line in enumerate(lines)
        ],
        groups=groups,
        shipping=Decimal(shipping) - taken_shipping,
    )


def credit_whole(left: Remaining) -> Credit:
    """Everything that remains of the invoice, to the cent. The lines left are listed when
    they are what remains; once a credit by amount took part of the bases, no line says
    what the rest is, and the credit note lists its tax lines only."""
    if left.total <= ZERO:
        raise CreditRefused("invoice_fully_credited")
    lines = [
        _credit_line(item, item.quantity, item.net) for item in left.lines if item.quantity > 0
    ]
    listed = sum((item.net for item in left.lines), ZERO) + max(left.shipping, ZERO)
    if listed != sum((group.base for group in left.groups), ZERO):
        lines = []
    taxes = [_tax(group, group.base, group.amount) for group in left.groups if group.total]
    return _credit(WHOLE, lines, taxes, shipping=max(left.shipping, ZERO))


def credit_lines(left: Remaining, quantities: dict[int, int]) -> Credit:
    """`quantities` of invoice lines (line index → quantity): see the module's docstring."""
    if not quantities:
        raise CreditRefused("credit_no_lines")
    by_index = {item.index: item for item in left.lines}
    lines = []
    bases: dict[Decimal, Decimal] = {}
    for index, quantity in sorted(quantities.items()):
        item = by_index.get(index)
        if item is None:
            raise CreditRefused("credit_unknown_line", line=index + 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise CreditRefused("credit_quantity_not_positive", sku=item.line["sku"])
        if quantity > item.quantity:
            raise CreditRefused(
                "credit_quantity_above_remaining",
                sku=item.line["sku"],
                quantity=quantity,
                remaining=item.quantity,
            )
        if quantity == item.quantity:
            net = item.net
        else:
            net = round2(Decimal(item.line["net"]) * quantity / int(item.line["quantity"]))
        lines.append(_credit_line(item, quantity, net))
        rate = Decimal(item.line["tax_rate"])
        bases[rate] = bases.get(rate, ZERO) + net
    taxes = []
    for rate, base in bases.items():
        taxes.extend(_take_base(left.groups, rate, base))
    return _credit(LINES, lines, _in_invoice_order(left.groups, taxes), shipping=ZERO)


def _take_base(groups: list[Group], rate: Decimal, base: Decimal) -> list[dict]:
    """The tax lines that take `base` of net back from the groups of `rate` (several groups
    share rate 0: exempt for different reasons), first groups first."""
    taxes = []
    rest = base
    for group in groups:
        if group.rate != rate or group.base <= ZERO or rest <= ZERO:
            continue
        part = min(rest, group.base)
        if part == group.base:
            tax = group.amount
        else:
            tax = min(round2(part * rate / HUNDRED), group.amount)
        taxes.append(_tax(group, part, tax))
        rest -= part
    if rest > ZERO:
        raise CreditRefused(
            "credit_above_remaining_base", rate=rate, base=base, remaining=base - rest
        )
    return taxes


def credit_amount(left: Remaining, amount: Decimal) -> Credit:
    """`amount`, tax included, split across the tax groups: see the module's docstring."""
    if amount <= ZERO:
        raise CreditRefused("credit_amount_not_positive")
    if amount != round2(amount):
        raise CreditRefused("credit_amount_not_in_cents")
    available = left.total
    if amount > available:
        raise CreditRefused("credit_amount_above_remaining", amount=amount, remaining=available)
    groups = [group for group in left.groups if group.total > ZERO]
    shares = split_in_proportion(amount, [group.total for group in groups])
    taxes = []
    for group, share in zip(groups, shares, strict=True):
        if share == ZERO:
            continue
        if share == group.total:
            base, tax = group.base, group.amount
        else:
            tax = round2(share * group.rate / (HUNDRED + group.rate))
            tax = min(tax, group.amount)
            base = share - tax
            if base > group.base:
                base, tax = group.base, share - group.base
        taxes.append(_tax(group, base, tax))
    return _credit(AMOUNT, [], taxes, shipping=ZERO)


def split_in_proportion(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`amount` in cents split in proportion to `weights` (all in cents, Σ >= amount):
    each part is the floor of its exact share, and the cents left go one each to the parts
    with the largest remainders, the first weights first on a tie. No part exceeds its
    weight, since an exact share never does."""
    total = sum(weights, ZERO)
    if total <= ZERO:
        return [ZERO for _weight in weights]
    cents = int(amount * HUNDRED)
    exact = [Decimal(cents) * weight / total for weight in weights]
    parts = [int(share) for share in exact]
    left = cents - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(part) / HUNDRED for part in parts]


def _credit_line(item: LineLeft, quantity: int, net: Decimal) -> dict:
    """A line bought in a packaging (3 cases of 12) also says the product's units it takes
    back, as the invoice line does."""
    line = item.line
    credited = {
        "line": item.index,
        "sku": line["sku"],
        "name": line["name"],
        "quantity": quantity,
        "unit": line.get("unit", ""),
        "unit_price": line["unit_price"],
        "net": str(net),
        "tax_rate": line["tax_rate"],
    }
    return credited | base_units(line, quantity)


def base_units(invoice_line: dict, quantity: int) -> dict:
    """`quantity` of an invoice line bought in a packaging, in the product's units
    (`base_quantity`, `base_unit`); nothing for a line in the product's own unit."""
    if invoice_line.get("base_quantity") is None:
        return {}
    return {
        "base_quantity": quantity * invoice_line["base_quantity"] // invoice_line["quantity"],
        "base_unit": invoice_line.get("base_unit", ""),
    }


def _tax(group: Group, base: Decimal, amount: Decimal) -> dict:
    return {
        "rate": str(group.rate),
        "base": str(round2(base)),
        "amount": str(round2(amount)),
        "reason": group.reason,
    }


def _in_invoice_order(groups: list[Group], taxes: list[dict]) -> list[dict]:
    order = {group.key: position for position, group in enumerate(groups)}
    return sorted(taxes, key=lambda tax: order[(Decimal(tax["rate"]), tax["reason"])])


def _credit(kind, lines, taxes, *, shipping) -> Credit:
    net_total = sum((Decimal(tax["base"]) for tax in taxes), ZERO)
    tax_total = sum((Decimal(tax["amount"]) for tax in taxes), ZERO)
    return Credit(
        lines=lines,
        tax_lines=taxes,
        shipping=round2(shipping),
        net_total=round2(net_total),
        tax_total=round2(tax_total),
        total=round2(net_total + tax_total),
        kind=kind,
    )


def refund_refusal(
    *, balance: Decimal, amount: Decimal, refunded_on, today
) -> tuple[str, dict] | None:
    """Why a refund of `amount` cannot be recorded on an invoice whose buyer balance is
    `balance` (invoice_rules.buyer_balance), or None. Only what the merchant owes can be
    refunded."""
    if amount <= ZERO:
        return ("refund_not_positive", {})
    if amount != round2(amount):
        return ("refund_not_in_cents", {})
    owed = -balance
    if amount > owed:
        return ("refund_above_credit", {"amount": amount, "owed": max(owed, ZERO)})
    if refunded_on > today:
        return ("refund_in_the_future", {"date": refunded_on.isoformat()})
    return None
