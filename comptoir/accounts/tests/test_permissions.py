"""The permission rules of company users, without a database."""

import pytest

from comptoir.accounts.permissions import (
    ADMINISTRATOR,
    APPROVER,
    BUILTIN_ROLES,
    BUYER,
    PERMISSIONS,
    REQUESTER,
    VIEWER,
    Access,
    Member,
    keeps_an_administrator,
    unknown_permissions,
)


def test_the_built_in_roles_and_what_sets_them_apart():
    assert set(BUILTIN_ROLES) == {ADMINISTRATOR, BUYER, APPROVER, REQUESTER, VIEWER}
    assert BUILTIN_ROLES[ADMINISTRATOR] == frozenset(PERMISSIONS)
    assert "place_orders" not in BUILTIN_ROLES[VIEWER]
    assert "approve_orders" in BUILTIN_ROLES[APPROVER]
    assert "approve_orders" not in BUILTIN_ROLES[BUYER]
    assert "manage_users" not in BUILTIN_ROLES[BUYER] | BUILTIN_ROLES[APPROVER]
    assert "see_company_orders" not in BUILTIN_ROLES[REQUESTER]
    assert all(roles <= frozenset(PERMISSIONS) for roles in BUILTIN_ROLES.values())


def test_a_viewer_may_look_but_not_order():
    viewer = Access(permissions=BUILTIN_ROLES[VIEWER])
    assert viewer.allows("see_prices")
    assert not viewer.allows("place_orders")


def test_asking_for_a_permission_outside_the_fixed_set_is_a_programming_error():
    with pytest.raises(ValueError, match="place_order"):
        Access(permissions=frozenset(PERMISSIONS)).allows("place_order")


def test_unknown_permissions_are_named_in_order():
    assert unknown_permissions(["see_prices", "fly", "place_orders", "swim"]) == ["fly", "swim"]


def test_a_user_limited_to_locations_acts_only_there():
    lyon_only = Access(permissions=BUILTIN_ROLES[BUYER], all_locations=False, location_ids={7})
    assert lyon_only.covers(7)
    assert not lyon_only.covers(8)
    assert lyon_only.covers(None)  # company-wide data (the head office address)
    assert Access(permissions=frozenset(), all_locations=True).covers(8)


ANNE = Member(user_id=1, active=True, manages_users=True)
BRUNO = Member(user_id=2, active=True, manages_users=False)
CLARA = Member(user_id=3, active=True, manages_users=True)


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated():
    team = [ANNE, BRUNO]
    assert not keeps_an_administrator(team, user_id=1, active=True, manages_users=False)
    assert not keeps_an_administrator(team, user_id=1, active=False, manages_users=True)
    assert keeps_an_administrator(team, user_id=2, active=False, manages_users=False)


def test_an_administrator_may_step_down_when_another_remains():
    team = [ANNE, BRUNO, CLARA]
    assert keeps_an_administrator(team, user_id=1, active=True, manages_users=False)
    inactive_clara = Member(user_id=3, active=False, manages_users=True)
    assert not keeps_an_administrator(
        [ANNE, BRUNO, inactive_clara], user_id=1, active=False, manages_users=True
    )


def test_a_new_administrator_counts():
    assert keeps_an_administrator([ANNE], user_id=4, active=True, manages_users=True)
    assert keeps_an_administrator(
        [ANNE, Member(user_id=4, active=True, manages_users=True)],
        user_id=1,
        active=False,
        manages_users=True,
    )


def test_a_company_without_an_administrator_is_not_held_to_the_rule():
    assert keeps_an_administrator([BRUNO], user_id=2, active=False, manages_users=False)
