"""The life of a quote (issue 17), pure: its states, who may move it from one to the next.

Every write of a quote asks `transition` first, so the back office, the storefront, the API
and the daily expiry can never move a quote where the table does not let them. A refusal
says whether the quote has expired (`quote_expired`) or is simply not at that step
(`quote_not_open`), the two codes API.md §2.1 gives for a 409.
"""

from dataclasses import dataclass

REQUESTED = "requested"
IN_REVIEW = "in_review"
SENT = "sent"
REVISION_REQUESTED = "revision_requested"
ACCEPTED = "accepted"
ORDERED = "ordered"
REJECTED = "rejected"
EXPIRED = "expired"
CANCELLED = "cancelled"

STATES = (
    REQUESTED,
    IN_REVIEW,
    SENT,
    REVISION_REQUESTED,
    ACCEPTED,
    ORDERED,
    REJECTED,
    EXPIRED,
    CANCELLED,
)

BUYER = "buyer"
MERCHANT = "merchant"
SYSTEM = "system"
"""The daily expiry: nobody in person."""
ACTORS = (BUYER, MERCHANT, SYSTEM)

REVIEW = "review"
SEND = "send"
ACCEPT = "accept"
REJECT = "reject"
REVISE = "revise"
ORDER = "order"
EXPIRE = "expire"
CANCEL = "cancel"

QUOTE_EXPIRED = "quote_expired"
QUOTE_NOT_OPEN = "quote_not_open"

# The merchant edits the lines, prices and terms while the quote is in these states.
EDITABLE = frozenset({REQUESTED, IN_REVIEW, REVISION_REQUESTED})
FINAL = frozenset({ORDERED, REJECTED, EXPIRED, CANCELLED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            REVIEW, frozenset({REQUESTED, REVISION_REQUESTED}), IN_REVIEW, frozenset({MERCHANT})
        ),
        Transition(SEND, EDITABLE, SENT, frozenset({MERCHANT})),
        Transition(ACCEPT, frozenset({SENT}), ACCEPTED, frozenset({BUYER})),
        Transition(REJECT, frozenset({SENT}), REJECTED, frozenset({BUYER})),
        Transition(REVISE, frozenset({SENT}), REVISION_REQUESTED, frozenset({BUYER})),
        # The order placed from an accepted quote, by its buyer at checkout.
        Transition(ORDER, frozenset({ACCEPTED}), ORDERED, frozenset({BUYER, SYSTEM})),
        # A quote sent or accepted but not ordered by its expiry date.
        Transition(EXPIRE, frozenset({SENT, ACCEPTED}), EXPIRED, frozenset({SYSTEM})),
        Transition(CANCEL, EDITABLE | {SENT, ACCEPTED}, CANCELLED, frozenset({MERCHANT})),
    )
}
ACTIONS = tuple(TRANSITIONS)


NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class Refusal:
    code: str
    """`quote_expired`, `quote_not_open`, or `not_allowed` (the actor may never do that)."""


def transition(state: str, action: str, actor: str) -> str | Refusal:
    """The state the quote moves to, or why it may not.

    `actor` is checked first: a buyer can never send, whatever the state. An expired quote
    answers `quote_expired` to anything; any other state off the table, `quote_not_open`.
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    if actor not in ACTORS:
        raise ValueError(f"unknown actor {actor!r}")
    found = TRANSITIONS.get(action)
    if found is None:
        raise ValueError(f"unknown action {action!r}")
    if actor not in found.actors:
        return Refusal(NOT_ALLOWED)
    if state in found.sources:
        return found.target
    return Refusal(QUOTE_EXPIRED if state == EXPIRED else QUOTE_NOT_OPEN)


ANSWERS = (ACCEPT, REJECT, REVISE)
"""What a buyer answers to an offer sent; ordering an accepted quote is checkout's."""


def actions_for(state: str, actor: str) -> list[str]:
    """What this actor may do now, in the table's order (the buttons a page shows)."""
    return [a for a, t in TRANSITIONS.items() if actor in t.actors and state in t.sources]
