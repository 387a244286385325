"""The states of a return (RMA) and where each may go, pure: no ORM, no request.

requested → accepted or refused (the merchant decides) or cancelled (the buyer withdraws);
accepted → received (the goods are back, restocked or not) or cancelled; received →
credited (its credit note is issued). Refused, credited and cancelled are final.
"""

REQUESTED = "requested"
ACCEPTED = "accepted"
REFUSED = "refused"
RECEIVED = "received"
CREDITED = "credited"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({ACCEPTED, REFUSED, CANCELLED}),
    ACCEPTED: frozenset({RECEIVED, CANCELLED}),
    RECEIVED: frozenset({CREDITED}),
    REFUSED: frozenset(),
    CREDITED: frozenset(),
    CANCELLED: frozenset(),
}
FINAL = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
OPEN = frozenset({REQUESTED, ACCEPTED, RECEIVED})
"""Returns whose quantities still count against what may be returned (with credited)."""
COUNTED = OPEN | {CREDITED}


def may_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def refusal(current: str, target: str) -> str | None:
    """The stable code of why a return in `current` cannot go to `target`, or None."""
    if may_move(current, target):
        return None
    if current in FINAL:
        return "return_final"
    return "return_transition_refused"
