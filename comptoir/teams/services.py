"""Writes of company teams (issue 15): invitations, roles, locations, deactivation.

Every change is made by an actor of the same company who may manage users, is checked against
the rules of `accounts.permissions`, and is recorded as a `TeamEvent` in the same transaction.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.models import Role, User
from comptoir.accounts.permissions import (
    BUILTIN_ROLES,
    MANAGE_USERS,
    Access,
    Member,
    keeps_an_administrator,
)
from comptoir.accounts.selectors import role_permissions, user_access
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Company, Location
from comptoir.teams import notifications
from comptoir.teams.links import invitation_for_token
from comptoir.teams.models import Invitation, TeamAction, TeamEvent

ALL = "*"
"""How a record says "every location"."""


@dataclass(frozen=True, kw_only=True)
class Placement:
    """A role and where it applies: `locations` None means every location of the company."""

    role: str
    locations: list[str] | None


def member_invite(
    *,
    actor: User,
    email: str,
    placement: Placement,
    language: str,
    site_url: str,
    staff: User | None = None,
) -> Invitation:
    access = _manager(actor)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise BusinessRuleError("invalid_email", _("Enter a valid e-mail address.")) from None
    locations = _placement_locations(actor, access, placement)
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise BusinessRuleError(
                "email_taken", _("An account already uses this e-mail address.")
            )
        if Invitation.objects.filter(
            company_id=actor.company_id,
            email=email,
            accepted_at=None,
            cancelled_at=None,
        ).exists():
            raise BusinessRuleError(
                "already_invited",
                _("This colleague is already invited: send the invitation again instead."),
            )
        invitation = Invitation.objects.create(
            company_id=actor.company_id,
            email=email,
            role=placement.role,
            all_locations=locations is None,
            language=language,
            invited_by=actor,
            nonce=secrets.token_hex(16),
            sent_at=timezone.now(),
        )
        invitation.locations.set(locations or [])
        _record(actor, TeamAction.INVITED, email, after=_describe(placement), staff=staff)
        transaction.on_commit(lambda: notifications.invitation(invitation, site_url))
    return invitation


def invitation_resend(
    *, actor: User, invitation_id: int, site_url: str, staff: User | None = None
) -> Invitation:
    """A new link for seven more days; the previous link stops working."""
    _manager(actor)
    with transaction.atomic():
        invitation = _open_invitation(actor, invitation_id)
        invitation.nonce = secrets.token_hex(16)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["nonce", "sent_at"])
        _record(actor, TeamAction.INVITATION_RESENT, invitation.email, staff=staff)
        transaction.on_commit(lambda: notifications.invitation(invitation, site_url))
    return invitation


def invitation_cancel(*, actor: User, invitation_id: int, staff: User | None = None) -> None:
    _manager(actor)
    with transaction.atomic():
        invitation = _open_invitation(actor, invitation_id)
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        _record(actor, TeamAction.INVITATION_CANCELLED, invitation.email, staff=staff)


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """The invitee becomes a user of the company with the role and locations offered."""
    invitation = invitation_for_token(token)
    try:
        validate_password(password, User(email=invitation.email, first_name=first_name))
    except ValidationError as error:
        raise BusinessRuleError("password_too_weak", " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if not locked.is_open or locked.nonce != invitation.nonce:
                raise BusinessRuleError(
                    "invitation_invalid", _("This invitation link is not valid any more.")
                )
            user = User.objects.create_user(
                invitation.email,
                password,
                company_id=invitation.company_id,
                role=invitation.role,
                all_locations=invitation.all_locations,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                language=invitation.language,
            )
            user.locations.set(invitation.locations.all())
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["accepted_at"])
            TeamEvent.objects.create(
                company_id=invitation.company_id,
                actor=user,
                action=TeamAction.JOINED,
                subject=user.email,
            )
    except IntegrityError:
        raise BusinessRuleError(
            "email_taken", _("An account already uses this e-mail address.")
        ) from None
    return user


def member_update(
    *, actor: User, user_id: int, placement: Placement, staff: User | None = None
) -> User:
    """Another role or other locations; the company always keeps an administrator."""
    access = _manager(actor)
    locations = _placement_locations(actor, access, placement)
    with transaction.atomic():
        member = _locked_member(actor, user_id)
        before = Placement(role=member.role, locations=_location_codes(member))
        _check_administrators(
            actor.company_id, member, active=member.is_active, role=placement.role
        )
        member.role = placement.role
        member.all_locations = locations is None
        member.save(update_fields=["role", "all_locations"])
        member.locations.set(locations or [])
        after = Placement(role=placement.role, locations=_location_codes(member))
        if before.role != after.role:
            _record(
                actor, TeamAction.ROLE_CHANGED, member.email, before.role, after.role, staff=staff
            )
        if before.locations != after.locations:
            _record(
                actor,
                TeamAction.LOCATIONS_CHANGED,
                member.email,
                _codes(before.locations),
                _codes(after.locations),
                staff=staff,
            )
    return member


def member_set_active(
    *, actor: User, user_id: int, active: bool, staff: User | None = None
) -> User:
    """Deactivate (never delete: orders keep their author) or reactivate a colleague."""
    _manager(actor)
    with transaction.atomic():
        member = _locked_member(actor, user_id)
        if member.is_active == active:
            return member
        _check_administrators(actor.company_id, member, active=active, role=member.role)
        member.is_active = active
        member.save(update_fields=["is_active"])
        action = TeamAction.REACTIVATED if active else TeamAction.DEACTIVATED
        _record(actor, action, member.email, staff=staff)
    return member


def require_member(viewer: Viewer) -> None:
    """A logged-in user of a customer company (pending ones too: they may set up their team)."""
    if viewer.user is None:
        raise BusinessRuleError("login_required", _("Log in to see your company's team."))
    if viewer.company is None:
        raise BusinessRuleError(
            "company_not_approved", _("This login belongs to no customer company.")
        )


def require_user_manager(viewer: Viewer) -> None:
    require_member(viewer)
    _manager(viewer.user)


def _manager(actor: User) -> Access:
    access = user_access(actor)
    if actor.company_id is None or not access.allows(MANAGE_USERS):
        raise BusinessRuleError(
            "permission_denied", _("Your role does not allow you to manage users.")
        )
    return access


def _placement_locations(actor: User, access: Access, placement: Placement):
    """The Location rows of the placement (None: all), refused when the role is unknown or
    the locations are not the company's or not the actor's to give."""
    if not Role.code_exists(placement.role):
        raise BusinessRuleError("unknown_role", _("There is no role with this code."))
    if role_permissions(placement.role) - access.permissions:
        raise BusinessRuleError(
            "permission_denied",
            _("You may only give a role whose permissions you hold yourself."),
        )
    if placement.locations is None:
        if not access.all_locations:
            raise BusinessRuleError(
                "permission_denied",
                _("You may only give access to the locations you act for yourself."),
            )
        return None
    if not placement.locations:
        raise BusinessRuleError("unknown_location", _("Choose at least one location."))
    found = {
        location.code.lower(): location
        for location in Location.objects.filter(company_id=actor.company_id)
    }
    unknown = [code for code in placement.locations if code.lower() not in found]
    if unknown:
        raise BusinessRuleError(
            "unknown_location",
            _("Unknown locations: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    chosen = [found[code.lower()] for code in placement.locations]
    if any(not access.covers(location.pk) for location in chosen):
        raise BusinessRuleError(
            "permission_denied",
            _("You may only give access to the locations you act for yourself."),
        )
    return chosen


def _open_invitation(actor: User, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation_id, company_id=actor.company_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise BusinessRuleError("not_found", _("There is no such open invitation."))
    return invitation


def _locked_member(actor: User, user_id: int) -> User:
    """A user of the actor's company whom the actor may manage, locking the company so that
    two administrators cannot each demote the other at the same moment. A manager limited to
    some locations manages only users limited to locations among theirs."""
    Company.objects.select_for_update().filter(pk=actor.company_id).first()
    member = User.objects.filter(pk=user_id, company_id=actor.company_id).first()
    if member is None:
        raise BusinessRuleError("not_found", _("There is no such user in your company."))
    access = user_access(actor)
    if not access.all_locations and (
        member.all_locations
        or not set(member.locations.values_list("pk", flat=True)) <= access.location_ids
    ):
        raise BusinessRuleError(
            "permission_denied",
            _("You may only manage the users of the locations you act for yourself."),
        )
    return member


def _check_administrators(company_id: int, member: User, *, active: bool, role: str) -> None:
    permissions = dict(Role.objects.values_list("code", "permissions"))

    def manages(code):
        return MANAGE_USERS in BUILTIN_ROLES.get(code, permissions.get(code) or ())

    members = [
        Member(user_id=pk, active=is_active, manages_users=manages(code))
        for pk, is_active, code in User.objects.filter(company_id=company_id).values_list(
            "pk", "is_active", "role"
        )
    ]
    if not keeps_an_administrator(
        members, user_id=member.pk, active=active, manages_users=manages(role)
    ):
        raise BusinessRuleError(
            "last_administrator",
            _("Your company must keep an active administrator: appoint another one first."),
        )


def _location_codes(user: User) -> list[str] | None:
    if user.all_locations:
        return None
    return sorted(user.locations.values_list("code", flat=True))


def _codes(locations: list[str] | None) -> str:
    return ALL if locations is None else ", ".join(locations)


def _describe(placement: Placement) -> str:
    locations = None if placement.locations is None else sorted(placement.locations)
    return f"{placement.role} @ {_codes(locations)}"


def _record(
    actor: User,
    action: str,
    subject: str,
    before: str = "",
    after: str = "",
    *,
    staff: User | None = None,
) -> None:
    """`staff`: the merchant's staff user acting in `actor`'s name (issue 18), if any."""
    TeamEvent.objects.create(
        company_id=actor.company_id,
        actor=actor,
        staff=staff,
        action=action,
        subject=subject,
        before=before[:500],
        after=after[:500],
    )
