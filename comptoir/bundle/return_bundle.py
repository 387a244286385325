"""Returns in the store bundle (issue 21): checked, written and dumped after orders, by
their number (docs/bundle.md "Returns"). Kept apart from `checks.py`, `loader.py` and
`dumper.py`, which call these.

A loaded return keeps its lines and state as the bundle gives them; its trail of events is
the database's own record and is neither dumped nor loaded (as for quotes), and its photo
stays in the private storage.
"""

from collections.abc import Iterator

from comptoir.accounts.models import User
from comptoir.bundle import schema
from comptoir.bundle.sync import sync_children, upsert
from comptoir.core.numbering import raise_counters
from comptoir.credits.models import CreditNote
from comptoir.ordering.models import Order, OrderLine
from comptoir.returns.models import ReturnCounter, ReturnLine, ReturnRequest
from comptoir.returns.services import NUMBER_PREFIX

SECTION = "returns"


def _order_skus(reader, index) -> dict[str, set[str]]:
    """Per order number, the SKUs of its lines: the bundle's orders, else the database's."""
    skus: dict[str, set[str]] = {}
    if "orders" in index.present:
        for raw in reader.items("orders"):
            if isinstance(raw, dict) and isinstance(raw.get("lines"), list):
                skus[str(raw.get("number"))] = {
                    str(line.get("sku")) for line in raw["lines"] if isinstance(line, dict)
                }
    return skus


def check_returns(errors, reader, index, known, validate) -> None:
    """Each return on its own, then its order (in the bundle or the database), the SKUs of
    its lines (lines of that order), its requester and its credit note."""
    if SECTION not in index.present:
        return
    skus = _order_skus(reader, index)
    items = []
    for position, raw in enumerate(reader.items(SECTION)):
        item = validate(errors, (SECTION, position), schema.ReturnItem, raw)
        if item is not None:
            items.append((position, item))
    missing = {item.order for _p, item in items} - set(skus)
    for number, sku in OrderLine.objects.filter(order__number__in=missing).values_list(
        "order__number", "sku"
    ):
        skus.setdefault(number, set()).add(sku)
    notes = set(CreditNote.objects.values_list("number", flat=True))
    if "orders" in index.present:
        for raw in reader.items("orders"):
            invoice = raw.get("invoice") if isinstance(raw, dict) else None
            if isinstance(invoice, dict):
                notes |= {
                    str(note.get("number"))
                    for note in invoice.get("credit_notes") or []
                    if isinstance(note, dict)
                }
    numbers: dict[str, int] = {}
    for position, item in items:
        path = f"{SECTION}[{position}]"
        if item.number in numbers:
            errors.add(
                f"{path}.number",
                f"duplicate {item.number!r} (also returns[{numbers[item.number]}])",
            )
        numbers.setdefault(item.number, position)
        if item.order not in skus:
            errors.add(f"{path}.order", f"unknown order {item.order!r}")
            continue
        for line_position, line in enumerate(item.lines):
            if line.sku not in skus[item.order]:
                errors.add(
                    f"{path}.lines[{line_position}].sku",
                    f"{line.sku!r} is not a line of order {item.order!r}",
                )
        email = item.requested_by.lower() if item.requested_by else None
        if email and email not in known.emails and email not in known.user_companies:
            errors.add(f"{path}.requested_by", f"unknown user {item.requested_by!r}")
        if item.credit_note is not None and item.credit_note not in notes:
            errors.add(f"{path}.credit_note", f"unknown credit note {item.credit_note!r}")


def write_returns(reader, progress) -> int:
    items = [schema.ReturnItem.model_validate(raw) for raw in reader.items(SECTION)]
    orders = {
        number: (pk, company_id)
        for number, pk, company_id in Order.objects.filter(
            number__in={item.order for item in items}
        ).values_list("number", "id", "company_id")
    }
    lines = {
        (order_id, sku): (pk, name)
        for pk, order_id, sku, name in OrderLine.objects.filter(
            order_id__in=[pk for pk, _company in orders.values()]
        )
        .order_by("-id")
        .values_list("id", "order_id", "sku", "name")
    }
    users = {email.lower(): pk for email, pk in User.objects.values_list("email", "id")}
    notes = dict(
        CreditNote.objects.filter(
            number__in=[item.credit_note for item in items if item.credit_note]
        ).values_list("number", "id")
    )
    ids = upsert(
        ReturnRequest,
        ("number",),
        {
            (item.number,): {
                "order_id": orders[item.order][0],
                "company_id": orders[item.order][1],
                "requested_by_id": users.get(item.requested_by.lower())
                if item.requested_by
                else None,
                "state": item.state,
                "reason": item.reason,
                "comment": item.comment,
                "decision": item.decision,
                "restocked": item.restocked,
                "credit_note_id": notes.get(item.credit_note),
                "requested_at": item.requested_at,
            }
            for item in items
        },
    )
    sync_children(
        ReturnLine,
        "request_id",
        ids.values(),
        ("sku",),
        [
            {
                "request_id": ids[(item.number,)],
                "order_line_id": lines[(orders[item.order][0], line.sku)][0],
                "sku": line.sku,
                "name": lines[(orders[item.order][0], line.sku)][1],
                "quantity": line.quantity,
            }
            for item in items
            for line in item.lines
        ],
    )
    raise_counters(counter=ReturnCounter, numbered=ReturnRequest, prefix=NUMBER_PREFIX)
    progress(f"returns: {len(items)}")
    return len(items)


def dump_returns() -> Iterator[dict]:
    queryset = (
        ReturnRequest.objects.select_related("order", "requested_by", "credit_note")
        .prefetch_related("lines")
        .order_by("number")
    )
    for found in queryset.iterator(chunk_size=200):
        yield {
            "number": found.number,
            "order": found.order.number,
            "state": found.state,
            "reason": found.reason,
            "comment": found.comment,
            "decision": found.decision,
            "restocked": found.restocked,
            "credit_note": found.credit_note.number if found.credit_note else None,
            "requested_at": found.requested_at.isoformat(),
            "requested_by": found.requested_by.email if found.requested_by else None,
            "lines": [
                {"sku": line.sku, "quantity": line.quantity}
                for line in sorted(found.lines.all(), key=lambda line: line.sku)
            ],
        }
