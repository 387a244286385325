"""Writes of returns (issue 21): the buyer's request and withdrawal, the merchant's decision,
the goods received (restocked or not) and the credit note that follows, each move recorded
(ReturnEvent) and told to the buyer by e-mail once committed (notifications.py).

Locks: the return row, then (receiving with restock) the product rows by id, as the
placement and the cancellation take them; the credit note takes its invoice's locks
(credits/services.py). A request locks its order, so two requests at once never return the
same units twice.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.numbering import next_document_number
from comptoir.core.selectors import get_store, store_today
from comptoir.credits.models import CreditKind
from comptoir.credits.services import credit_note_issue
from comptoir.ordering.models import Order, OrderLine
from comptoir.payments.models import Invoice
from comptoir.returns import notifications, rules, states
from comptoir.returns.messages import refusal_message
from comptoir.returns.models import ReturnCounter, ReturnEvent, ReturnLine, ReturnRequest
from comptoir.webhooks import events

NUMBER_PREFIX = "RMA"


@dataclass
class ReturnAsk:
    """What a buyer asks: order line id → quantity, a reason from the list, a comment, and
    an optional photo already checked (type from its first bytes, size)."""

    quantities: dict[int, int]
    reason: str
    comment: str = ""
    photo: object = None
    photo_type: str = ""


def next_return_number(year: int) -> str:
    return next_document_number(
        counter=ReturnCounter, numbered=ReturnRequest, prefix=NUMBER_PREFIX, year=year
    )


def _refuse(refusal: rules.ReturnRefusal):
    raise BusinessRuleError(refusal.code, refusal_message(refusal.code, refusal.params))


def held_quantities(order: Order, exclude: int | None = None) -> dict[int, int]:
    """Per order line, the units its returns still hold (requested to credited)."""
    lines = ReturnLine.objects.filter(
        request__order=order, request__state__in=states.COUNTED
    ).order_by()
    if exclude is not None:
        lines = lines.exclude(request_id=exclude)
    return dict(
        lines.values("order_line_id")
        .annotate(held=Sum("quantity"))
        .values_list("order_line_id", "held")
    )


def return_request(*, viewer: Viewer, order_number: str, ask: ReturnAsk) -> ReturnRequest:
    """A buyer's request to return units of a delivered order of their company, within the
    store's window; quantities up to what was delivered less what other returns hold."""
    if ask.reason not in rules.REASONS:
        raise BusinessRuleError("return_reason_unknown", refusal_message("return_reason_unknown"))
    comment = (ask.comment or "").strip()
    if len(comment) > rules.MAX_COMMENT:
        raise BusinessRuleError(
            "return_comment_too_long", refusal_message("return_comment_too_long")
        )
    store = get_store()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .filter(company=viewer.company, number=order_number)
            .first()
        )
        if order is None:
            raise BusinessRuleError("not_found", _("No such order."))
        today = store_today(store)
        refusal = rules.window_refusal(
            status=order.status,
            delivered_on=order.delivered_on,
            window=store.return_window_days,
            today=today,
        )
        if refusal is not None:
            _refuse(refusal)
        lines = {line.pk: line for line in order.lines.all()}
        refusals = rules.quantity_refusals(
            ask.quantities,
            {pk: line.quantity for pk, line in lines.items()},
            held_quantities(order),
            {pk: line.sku for pk, line in lines.items()},
        )
        if refusals:
            _refuse(refusals[0])
        request = ReturnRequest.objects.create(
            number=next_return_number(today.year),
            order=order,
            company_id=order.company_id,
            requested_by=viewer.user,
            reason=ask.reason,
            comment=comment,
            photo_type=ask.photo_type if ask.photo else "",
        )
        if ask.photo:
            request.photo.save(f"photo{_extension(ask.photo_type)}", ask.photo, save=True)
        ReturnLine.objects.bulk_create(
            ReturnLine(
                request=request,
                order_line=lines[pk],
                sku=lines[pk].sku,
                name=lines[pk].name,
                quantity=quantity,
            )
            for pk, quantity in sorted(ask.quantities.items())
        )
        _record(request, "", states.REQUESTED, viewer.user, comment)
        transaction.on_commit(lambda: notifications.return_requested(request.pk), robust=True)
    return request


def _extension(content_type: str) -> str:
    return {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}.get(
        content_type, ""
    )


def _record(request, from_state, to_state, actor, message=""):
    event = ReturnEvent.objects.create(
        request=request, from_state=from_state, to_state=to_state, actor=actor, message=message
    )
    events.return_moved(request, to_state)
    if to_state != states.REQUESTED:
        transaction.on_commit(lambda: notifications.return_moved(event.pk))


def _move(request: ReturnRequest, target: str, actor, message: str = "", **changes):
    """Moves the locked return to `target` if its transition table allows it."""
    locked = ReturnRequest.objects.select_for_update().get(pk=request.pk)
    code = states.refusal(locked.state, target)
    if code is not None:
        raise BusinessRuleError(
            code,
            refusal_message(
                code,
                {
                    "number": locked.number,
                    "state": locked.get_state_display(),
                    "target": dict(ReturnRequest._meta.get_field("state").choices)[target],
                },
            ),
        )
    previous = locked.state
    locked.state = target
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["state", *changes])
    _record(locked, previous, target, actor, message)
    request.state = target
    for name, value in changes.items():
        setattr(request, name, value)
    return locked


def return_accept(*, request: ReturnRequest, user, message: str = "") -> ReturnRequest:
    with transaction.atomic():
        return _move(request, states.ACCEPTED, user, message.strip(), decision=message.strip())


def return_refuse(*, request: ReturnRequest, user, message: str) -> ReturnRequest:
    message = (message or "").strip()
    if not message:
        raise BusinessRuleError(
            "return_decision_required", refusal_message("return_decision_required")
        )
    with transaction.atomic():
        return _move(request, states.REFUSED, user, message, decision=message)


def return_cancel(*, viewer: Viewer, request: ReturnRequest) -> ReturnRequest:
    with transaction.atomic():
        return _move(request, states.CANCELLED, viewer.user)


def return_receive(*, request: ReturnRequest, user, restock: bool) -> ReturnRequest:
    """The goods are back. With `restock`, each product's stock grows by the units returned
    (F(): what sells meanwhile is kept), the products locked by id as placements lock them.
    Stock counts base units: a line bought in a packaging gives back its packagings' units."""
    with transaction.atomic():
        moved = _move(request, states.RECEIVED, user, restocked=restock)
        if restock:
            units: dict[int, int] = {}
            for product_id, quantity, ordered, base_quantity in ReturnLine.objects.filter(
                request=moved, order_line__product__isnull=False
            ).values_list(
                "order_line__product_id",
                "quantity",
                "order_line__quantity",
                "order_line__base_quantity",
            ):
                if base_quantity is not None:
                    quantity = quantity * base_quantity // ordered
                units[product_id] = units.get(product_id, 0) + quantity
            list(
                Product.objects.select_for_update()
                .filter(pk__in=sorted(units))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for product_id in sorted(units):
                Product.objects.filter(pk=product_id).update(
                    stock=F("stock") + units[product_id], updated_at=timezone.now()
                )
        return moved


def return_credit(*, request: ReturnRequest, user) -> ReturnRequest:
    """Issues the credit note of the received lines (`credit_note_issue`, the function of
    manual credit notes), each order line mapped to its invoice line."""
    with transaction.atomic():
        locked = _move(request, states.CREDITED, user)
        invoice = Invoice.objects.filter(order_id=locked.order_id).first()
        if invoice is None:
            raise BusinessRuleError(
                "return_not_invoiced",
                _("Order %(number)s has no invoice to credit yet.")
                % {"number": locked.order.number},
            )
        positions = list(
            OrderLine.objects.filter(order_id=locked.order_id)
            .order_by("position", "id")
            .values_list("pk", flat=True)
        )
        index = {pk: position for position, pk in enumerate(positions)}
        quantities: dict[int, int] = {}
        for line in locked.lines.all():
            position = index[line.order_line_id]
            quantities[position] = quantities.get(position, 0) + line.quantity
        note = credit_note_issue(
            invoice=invoice,
            kind=CreditKind.LINES,
            quantities=quantities,
            reason=_("Return %(number)s") % {"number": locked.number},
            user=user,
        )
        locked.credit_note = note
        locked.save(update_fields=["credit_note"])
        request.credit_note = note
        return locked
