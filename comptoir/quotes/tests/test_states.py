"""The transition table, cell by cell: every (state, action, actor) is either the one legal
move the table names or refused with the code the API answers."""

import itertools

import pytest

from comptoir.quotes import states
from comptoir.quotes.states import (
    ACCEPT,
    ACCEPTED,
    BUYER,
    CANCEL,
    CANCELLED,
    EXPIRE,
    EXPIRED,
    IN_REVIEW,
    MERCHANT,
    ORDER,
    ORDERED,
    REJECT,
    REJECTED,
    REQUESTED,
    REVIEW,
    REVISE,
    REVISION_REQUESTED,
    SEND,
    SENT,
    SYSTEM,
    Refusal,
    transition,
)

LEGAL = {
    (REQUESTED, REVIEW, MERCHANT): IN_REVIEW,
    (REVISION_REQUESTED, REVIEW, MERCHANT): IN_REVIEW,
    (REQUESTED, SEND, MERCHANT): SENT,
    (IN_REVIEW, SEND, MERCHANT): SENT,
    (REVISION_REQUESTED, SEND, MERCHANT): SENT,
    (SENT, ACCEPT, BUYER): ACCEPTED,
    (SENT, REJECT, BUYER): REJECTED,
    (SENT, REVISE, BUYER): REVISION_REQUESTED,
    (ACCEPTED, ORDER, BUYER): ORDERED,
    (ACCEPTED, ORDER, SYSTEM): ORDERED,
    (SENT, EXPIRE, SYSTEM): EXPIRED,
    (ACCEPTED, EXPIRE, SYSTEM): EXPIRED,
    (REQUESTED, CANCEL, MERCHANT): CANCELLED,
    (IN_REVIEW, CANCEL, MERCHANT): CANCELLED,
    (REVISION_REQUESTED, CANCEL, MERCHANT): CANCELLED,
    (SENT, CANCEL, MERCHANT): CANCELLED,
    (ACCEPTED, CANCEL, MERCHANT): CANCELLED,
}
CELLS = list(itertools.product(states.STATES, states.ACTIONS, states.ACTORS))


def test_the_table_has_nine_states_eight_actions_three_actors():
    assert len(states.STATES) == 9
    assert len(CELLS) == 9 * 8 * 3


@pytest.mark.parametrize(("state", "action", "actor"), CELLS)
def test_every_cell_is_legal_or_refused(state, action, actor):
    found = transition(state, action, actor)
    if (state, action, actor) in LEGAL:
        assert found == LEGAL[(state, action, actor)]
        return
    assert isinstance(found, Refusal)
    if actor not in states.TRANSITIONS[action].actors:
        assert found.code == states.NOT_ALLOWED
    elif state == EXPIRED:
        assert found.code == "quote_expired"
    else:
        assert found.code == "quote_not_open"


def test_final_states_have_no_way_out():
    for state in states.FINAL:
        assert all(states.actions_for(state, actor) == [] for actor in states.ACTORS)


def test_what_each_side_may_do_on_a_sent_quote():
    assert states.actions_for(SENT, BUYER) == [ACCEPT, REJECT, REVISE]
    assert states.actions_for(SENT, MERCHANT) == [CANCEL]
    assert states.actions_for(SENT, SYSTEM) == [EXPIRE]


def test_an_ordered_quote_cannot_be_accepted_again():
    assert transition(ORDERED, ACCEPT, BUYER) == Refusal("quote_not_open")


def test_unknown_names_are_programming_errors():
    with pytest.raises(ValueError):
        transition("draft", ACCEPT, BUYER)
    with pytest.raises(ValueError):
        transition(SENT, "approve", BUYER)
    with pytest.raises(ValueError):
        transition(SENT, ACCEPT, "staff")
