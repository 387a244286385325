"""What the buyer is told before checkout: what each budget leaves and which rules will ask
whom to approve, and why (issue 16). The same `checkout_gate` decides at placement."""

from comptoir.accounts.access import Viewer
from comptoir.approvals import messages
from comptoir.approvals.checkout import Gate, checkout_gate
from comptoir.core.money import format_decimal as dec
from comptoir.customers.models import Location


def preview_location(viewer: Viewer, code: str | None) -> Location | None:
    """The location an order would be for: the one named, else the first the buyer acts for
    (as checkout chooses); None where none fits, checkout then says why."""
    locations = Location.objects.filter(company=viewer.company).order_by("position", "id")
    covered = [loc for loc in locations if viewer.access.covers(loc.pk)]
    if code:
        return next((loc for loc in covered if loc.code.casefold() == code.casefold()), None)
    return covered[0] if covered else None


def cart_preview(
    viewer: Viewer, quote, *, location_code: str | None = None, payment_code: str | None = None
) -> Gate | None:
    """None for a cart that cannot be checked out yet, or a viewer who cannot order or does
    not see prices: budgets speak in money."""
    if not quote.lines or not viewer.may_order or not viewer.sees_prices:
        return None
    return checkout_gate(
        viewer,
        quote,
        location=preview_location(viewer, location_code),
        payment_code=payment_code,
        shipping_code=quote.shipping.code if quote.shipping else None,
    )


def budget_scope_json(standing) -> dict:
    budget = standing.budget
    if budget.user_id is not None:
        return {"scope": "user", "location": None}
    if budget.location_id is not None:
        return {"scope": "location", "location": budget.location.code}
    return {"scope": "company", "location": None}


def preview_json(gate: Gate | None, currency: str) -> dict:
    """`budgets` and `approval` of the cart (API.md `GET /cart`)."""
    if gate is None:
        return {"budgets": [], "approval": {"required": False, "rules": []}}
    money = messages.plain_amount(currency)
    return {
        "budgets": [
            {
                **budget_scope_json(standing),
                "period": standing.budget.period,
                "first_day": standing.first.isoformat(),
                "last_day": standing.last.isoformat(),
                "amount": dec(standing.budget.amount),
                "spent": dec(standing.check.spent),
                "left": dec(standing.check.left),
                "exceeded": standing.check.exceeded,
                "over_budget": standing.budget.over_budget,
                "message": messages.budget_left(standing, money),
            }
            for standing in gate.budgets
        ],
        "approval": {
            "required": gate.needs_approval,
            "rules": [
                {
                    "name": waiting.rule.name,
                    "level": waiting.rule.level,
                    "reasons": waiting.reasons,
                    "approvers": waiting.approver_names,
                }
                for waiting in gate.waiting
            ],
        },
    }
