"""Company teams over the REST API (issue 15): users, locations and roles of the caller's
company. Users are managed by callers who may manage users; locations and roles are shown
to every user of the company."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status
from pydantic import Field

from comptoir.accounts.models import PERMISSION_LABELS, Role
from comptoir.accounts.permissions import BUILTIN_ROLES
from comptoir.accounts.selectors import role_choices
from comptoir.api.callers import Caller
from comptoir.api.openapi import (
    Invitation,
    LocationList,
    RoleList,
    TeamMember,
    TeamUsers,
    documented,
)
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.core.absent import NullIsAbsent
from comptoir.teams import selectors
from comptoir.teams.links import INVITATION_DAYS
from comptoir.teams.services import (
    Placement,
    member_invite,
    member_set_active,
    member_update,
    require_member,
    require_user_manager,
)

# The caller is checked before the body is read: 401 for a guest whatever it sends.
router = Router(tags=["company team"], auth=BearerAuth(check=require_member))
MANAGER = BearerAuth(check=require_user_manager)
MEMBER = (401, 403)


class PlacementIn(NullIsAbsent):
    role: str = Field("buyer", max_length=64, examples=["buyer"])
    locations: list[str] | None = Field(
        None, max_length=200, description="Location codes; absent: every location."
    )


class InvitationIn(PlacementIn):
    email: str = Field(..., max_length=254, examples=["colleague@acme.example"])
    language: str | None = Field(None, pattern="^(en|fr)$")


class MemberPatch(NullIsAbsent):
    role: str | None = Field(None, max_length=64)
    locations: list[str] | None = Field(None, max_length=200)
    all_locations: bool | None = None
    active: bool | None = None


def _codes(locations) -> list[str] | None:
    return None if locations is None else [location.code for location in locations]


def _member_json(member: selectors.TeamMember) -> dict:
    user = member.user
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "locations": _codes(member.locations),
        "active": user.is_active,
    }


def _invitation_json(invitation) -> dict:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "locations": None
        if invitation.all_locations
        else [location.code for location in invitation.locations.all()],
        "sent_at": invitation.sent_at.isoformat(),
        "expires_days": INVITATION_DAYS,
    }


@router.get("/company/users", auth=MANAGER, openapi_extra=documented(TeamUsers, errors=MEMBER))
def list_users(request):
    """The company's users (active and deactivated) and the invitations waiting."""
    company = request.auth.company
    return {
        "items": [_member_json(member) for member in selectors.team_of(company)],
        "invitations": [_invitation_json(i) for i in selectors.open_invitations(company)],
    }


@router.post(
    "/company/users",
    auth=MANAGER,
    response={201: dict},
    openapi_extra=documented(Invitation, status=201, errors=(*MEMBER, 400, 422)),
)
def invite_user(request, body: InvitationIn):
    """Invite a colleague: they get an e-mail with a link, valid 7 days, to join."""
    caller = request.auth
    invitation = member_invite(
        actor=caller.user,
        staff=caller.staff,
        email=body.email,
        placement=Placement(role=body.role, locations=body.locations),
        language=body.language or caller.user.language or "",
        site_url=request.build_absolute_uri("/"),
    )
    return Status(201, _invitation_json(invitation))


@router.patch(
    "/company/users/{user_id}",
    auth=MANAGER,
    openapi_extra=documented(TeamMember, errors=(*MEMBER, 400, 404, 422)),
)
def update_user(request, user_id: int, body: MemberPatch):
    """Change a colleague's role or locations (`all_locations: true` for every location),
    or reactivate them (`active: true`)."""
    caller = request.auth
    current = _find(caller, user_id)
    with transaction.atomic():
        _apply(caller, current, body)
    return _member_json(_find(caller, user_id))


def _apply(caller: Caller, current: selectors.TeamMember, body: MemberPatch) -> None:
    user_id = current.user.pk
    if body.role is not None or body.locations is not None or body.all_locations:
        locations = _codes(current.locations)
        if body.all_locations:
            locations = None
        elif body.locations is not None:
            locations = body.locations
        member_update(
            actor=caller.user,
            staff=caller.staff,
            user_id=user_id,
            placement=Placement(role=body.role or current.user.role, locations=locations),
        )
    if body.active is not None:
        member_set_active(
            actor=caller.user, staff=caller.staff, user_id=user_id, active=body.active
        )


@router.delete(
    "/company/users/{user_id}",
    auth=MANAGER,
    openapi_extra=documented(TeamMember, errors=(*MEMBER, 400, 404, 422)),
)
def deactivate_user(request, user_id: int):
    """Deactivate a colleague: they can no longer log in; their orders keep their name."""
    caller = request.auth
    member_set_active(actor=caller.user, staff=caller.staff, user_id=user_id, active=False)
    return _member_json(_find(caller, user_id))


@router.get("/company/locations", openapi_extra=documented(LocationList, errors=MEMBER))
def list_locations(request):
    """The company's locations, with the codes of the addresses each ships to."""
    company = request.auth.company
    return {
        "items": [
            {
                "code": location.code,
                "name": location.name,
                "addresses": [address.code for address in location.addresses.all()],
                "billing_address": location.billing_address.code
                if location.billing_address
                else None,
            }
            for location in selectors.company_locations(company)
        ]
    }


@router.get("/company/roles", openapi_extra=documented(RoleList, errors=MEMBER))
def list_roles(request):
    """The roles a user may be given, with their permissions."""
    store_roles = dict(Role.objects.values_list("code", "permissions"))
    return {
        "items": [
            {
                "code": code,
                "name": name,
                "builtin": code in BUILTIN_ROLES,
                "permissions": sorted(BUILTIN_ROLES.get(code, store_roles.get(code, []))),
            }
            for code, name in role_choices()
        ],
        "permissions": [
            {"code": code, "name": str(label)} for code, label in PERMISSION_LABELS.items()
        ],
    }


def _find(caller: Caller, user_id: int) -> selectors.TeamMember:
    member = next((m for m in selectors.team_of(caller.company) if m.user.pk == user_id), None)
    if member is None:
        raise ApiError(404, "not_found", _("There is no such user in your company."))
    return member
