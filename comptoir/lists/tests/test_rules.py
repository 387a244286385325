"""Who sees and changes a list, with literal cases."""

from comptoir.accounts.permissions import ADMINISTRATOR, BUILTIN_ROLES, BUYER, VIEWER, Access
from comptoir.lists.rules import COMPANY, LOCATION, PRIVATE, ListFacts, may_manage, may_see

BUYER_ALL = Access(permissions=BUILTIN_ROLES[BUYER])
BUYER_LYON = Access(permissions=BUILTIN_ROLES[BUYER], all_locations=False, location_ids={7})
ADMIN = Access(permissions=BUILTIN_ROLES[ADMINISTRATOR])
VIEWER_ALL = Access(permissions=BUILTIN_ROLES[VIEWER])


def test_a_private_list_is_its_owner_s_alone():
    mine = ListFacts(owner_id=1, sharing=PRIVATE)
    assert may_see(mine, user_id=1, access=BUYER_ALL)
    assert not may_see(mine, user_id=2, access=BUYER_ALL)
    assert not may_see(mine, user_id=2, access=ADMIN)


def test_a_shared_list_is_seen_by_colleagues_who_keep_lists_and_act_there():
    company = ListFacts(owner_id=1, sharing=COMPANY)
    lyon = ListFacts(owner_id=1, sharing=LOCATION, location_id=7)
    nantes = ListFacts(owner_id=1, sharing=LOCATION, location_id=8)
    assert may_see(company, user_id=2, access=BUYER_LYON)
    assert may_see(lyon, user_id=2, access=BUYER_LYON)
    assert not may_see(nantes, user_id=2, access=BUYER_LYON)
    assert may_see(nantes, user_id=2, access=BUYER_ALL)
    assert not may_see(company, user_id=2, access=VIEWER_ALL)  # no manage_lists


def test_only_the_owner_renames_shares_or_deletes_a_user_manager_once_the_owner_left():
    company = ListFacts(owner_id=1, sharing=COMPANY)
    left = ListFacts(owner_id=1, sharing=COMPANY, owner_active=False)
    assert may_manage(company, user_id=1, access=BUYER_ALL)
    assert not may_manage(company, user_id=2, access=BUYER_ALL)
    assert not may_manage(company, user_id=3, access=ADMIN)
    assert may_manage(left, user_id=3, access=ADMIN)
    assert not may_manage(left, user_id=2, access=BUYER_ALL)
    private_left = ListFacts(owner_id=1, sharing=PRIVATE, owner_active=False)
    assert not may_manage(private_left, user_id=3, access=ADMIN)
