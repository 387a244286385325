"""Who sees and who changes a requisition list (issue 18), pure.

A list belongs to the user who made it. Kept private, only they see it; shared with the
company or with one of its locations, every colleague who keeps lists (`manage_lists`) and
acts for that location sees it and may change its lines, as a team's weekly restock needs.
Renaming, re-sharing and deleting stay with the owner, and with the company's user managers
for a shared list whose owner has left.
"""

from dataclasses import dataclass

from comptoir.accounts.permissions import MANAGE_LISTS, MANAGE_USERS, Access

PRIVATE = "private"
COMPANY = "company"
LOCATION = "location"
SHARINGS = (PRIVATE, COMPANY, LOCATION)


@dataclass(frozen=True)
class ListFacts:
    owner_id: int
    sharing: str
    location_id: int | None = None
    owner_active: bool = True


def may_see(facts: ListFacts, *, user_id: int, access: Access) -> bool:
    if not access.allows(MANAGE_LISTS):
        return False
    if facts.owner_id == user_id:
        return True
    if facts.sharing == COMPANY:
        return True
    return facts.sharing == LOCATION and access.covers(facts.location_id)


def may_change_lines(facts: ListFacts, *, user_id: int, access: Access) -> bool:
    """The lines of a list one sees: one's own, or a shared one."""
    return may_see(facts, user_id=user_id, access=access)


def may_manage(facts: ListFacts, *, user_id: int, access: Access) -> bool:
    """Rename, re-share or delete: the owner, or a user manager for a shared list whose owner
    has left (been deactivated)."""
    if not may_see(facts, user_id=user_id, access=access):
        return False
    return facts.owner_id == user_id or (
        facts.sharing != PRIVATE and not facts.owner_active and access.allows(MANAGE_USERS)
    )
