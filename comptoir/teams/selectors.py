"""Reads of company teams: members with their role and locations, invitations, changes."""

from dataclasses import dataclass

from django.db.models import Prefetch

from comptoir.accounts.models import User
from comptoir.accounts.selectors import role_choices
from comptoir.customers.models import Company, Location
from comptoir.teams.models import Invitation, TeamEvent

EVENTS_SHOWN = 50


@dataclass(frozen=True)
class TeamMember:
    user: User
    role_label: str
    locations: list[Location] | None
    """None: every location of the company."""


def team_of(company: Company) -> list[TeamMember]:
    """The company's users, active first, in three queries whatever their number."""
    labels = dict(role_choices())
    users = (
        User.objects.filter(company=company)
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("position")))
        .order_by("-is_active", "last_name", "first_name", "email")
    )
    return [
        TeamMember(
            user=user,
            role_label=labels.get(user.role, user.role),
            locations=None if user.all_locations else list(user.locations.all()),
        )
        for user in users
    ]


def open_invitations(company: Company) -> list[Invitation]:
    return list(
        Invitation.objects.filter(company=company, accepted_at=None, cancelled_at=None)
        .select_related("invited_by")
        .prefetch_related("locations")
        .order_by("-sent_at")
    )


def team_events(company: Company) -> list[TeamEvent]:
    return list(
        TeamEvent.objects.filter(company=company).select_related("actor", "staff")[:EVENTS_SHOWN]
    )


def company_locations(company: Company) -> list[Location]:
    """With their billing address and the addresses they ship to (three queries)."""
    return list(
        Location.objects.filter(company=company)
        .select_related("billing_address")
        .prefetch_related("addresses")
        .order_by("position", "id")
    )
