"""Company teams: invitations, roles, locations and deactivation, each recorded."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.utils import timezone

from comptoir.accounts.models import Role, User
from comptoir.accounts.permissions import BUILTIN_ROLES
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Location
from comptoir.teams.links import invitation_for_token, invitation_token
from comptoir.teams.models import Invitation, TeamEvent
from comptoir.teams.services import (
    Placement,
    invitation_accept,
    invitation_cancel,
    invitation_resend,
    member_invite,
    member_set_active,
    member_update,
)
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db
SITE = "http://shop.example/"
STRONG = "Quincaillerie-2026"


@pytest.fixture
def acme(store):
    company = CompanyFactory(code="ACME", name="Acme Outillage")
    Location.objects.create(company=company, code="LYON", name="Lyon", position=1)
    Location.objects.create(company=company, code="NANTES", name="Nantes", position=2)
    return company


@pytest.fixture
def admin(acme):
    return UserFactory(company=acme, email="anne@acme.example", role="admin", first_name="Anne")


def invite(actor, email="bruno@acme.example", role="buyer", locations=None, language="fr"):
    return member_invite(
        actor=actor,
        email=email,
        placement=Placement(role=role, locations=locations),
        language=language,
        site_url=SITE,
    )


def refused(code, call, **kwargs):
    with pytest.raises(BusinessRuleError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def test_an_invitation_is_mailed_in_the_invitees_language_with_a_link(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(admin, email="Bruno@ACME.example", locations=["NANTES"])

    assert (invitation.email, invitation.role, invitation.all_locations) == (
        "bruno@acme.example",
        "buyer",
        False,
    )
    assert [loc.code for loc in invitation.locations.all()] == ["NANTES"]
    [message] = mail.outbox
    assert message.to == ["bruno@acme.example"]
    assert "Acme Outillage" in message.subject and "vous invite" in message.subject
    assert f"{SITE}fr/team/join/{invitation_token(invitation)}/" in message.body
    assert message.body.startswith("Bonjour,")
    assert "7 jours" in message.body
    event = TeamEvent.objects.get()
    assert (event.actor, event.action, event.subject, event.after) == (
        admin,
        "invited",
        "bruno@acme.example",
        "buyer @ NANTES",
    )


def test_the_invitee_joins_with_the_role_and_locations_offered(admin):
    invitation = invite(admin, role="requester", locations=["NANTES"])

    user = invitation_accept(
        token=invitation_token(invitation), first_name="Bruno", last_name="Lefèvre", password=STRONG
    )

    assert (user.company, user.role, user.all_locations, user.language) == (
        admin.company,
        "requester",
        False,
        "fr",
    )
    assert [loc.code for loc in user.locations.all()] == ["NANTES"]
    assert user.check_password(STRONG)
    assert TeamEvent.objects.filter(action="joined", actor=user).exists()


def test_a_used_link_is_refused(admin):
    token = invitation_token(invite(admin))
    invitation_accept(token=token, first_name="Bruno", last_name="L", password=STRONG)
    refused(
        "invitation_invalid",
        invitation_accept,
        token=token,
        first_name="Eve",
        last_name="X",
        password=STRONG,
    )
    assert User.objects.filter(email="bruno@acme.example").count() == 1


def test_an_expired_link_is_refused(admin):
    invitation = invite(admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    refused("invitation_invalid", invitation_for_token, token=invitation_token(invitation))


def test_a_tampered_link_is_refused(admin):
    token = invitation_token(invite(admin))
    other = invitation_token(invite(admin, email="clara@acme.example"))
    signature = token.rpartition(":")[2]
    forged = other.rpartition(":")[0] + ":" + signature
    refused("invitation_invalid", invitation_for_token, token=forged)
    flipped = token[:-1] + ("B" if token.endswith("A") else "A")
    refused("invitation_invalid", invitation_for_token, token=flipped)
    refused("invitation_invalid", invitation_for_token, token="not-a-token")


def test_another_companys_invitation_is_refused(admin):
    token = invitation_token(invite(admin))
    refused("invitation_invalid", invitation_for_token, token=token, company=CompanyFactory())
    assert invitation_for_token(token, company=admin.company).email == "bruno@acme.example"


def test_sending_again_replaces_the_link_and_cancelling_ends_it(
    admin, django_capture_on_commit_callbacks
):
    invitation = invite(admin)
    first = invitation_token(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(actor=admin, invitation_id=invitation.pk, site_url=SITE)
    invitation.refresh_from_db()
    second = invitation_token(invitation)
    refused("invitation_invalid", invitation_for_token, token=first)
    assert second in mail.outbox[-1].body
    invitation_cancel(actor=admin, invitation_id=invitation.pk)
    refused("invitation_invalid", invitation_for_token, token=second)


def test_a_weak_password_is_refused_and_nothing_is_created(admin, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}
    ]
    token = invitation_token(invite(admin))
    refused(
        "password_too_weak",
        invitation_accept,
        token=token,
        first_name="Bruno",
        last_name="L",
        password="short",
    )
    assert not User.objects.filter(email="bruno@acme.example").exists()


def test_only_users_who_may_manage_users_invite(acme, admin):
    buyer = UserFactory(company=acme, role="buyer")
    refused("permission_denied", invite, actor=buyer)
    Role.objects.create(code="HR", name="HR", permissions=["manage_users"])
    hr = UserFactory(company=acme, role="HR")
    refused("permission_denied", invite, actor=hr)  # a buyer may do what HR may not
    Role.objects.create(
        code="HEAD", name="Head", permissions=[*BUILTIN_ROLES["buyer"], "manage_users"]
    )
    head = UserFactory(company=acme, role="HEAD")
    assert invite(head).email == "bruno@acme.example"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"email": "anne@acme.example"}, "email_taken"),
        ({"email": "not an address"}, "invalid_email"),
        ({"role": "boss"}, "unknown_role"),
        ({"locations": ["PARIS"]}, "unknown_location"),
        ({"locations": []}, "unknown_location"),
    ],
)
def test_bad_invitations_are_refused_and_write_nothing(admin, kwargs, code):
    refused(code, invite, actor=admin, **kwargs)
    assert not Invitation.objects.exists()
    assert not TeamEvent.objects.exists()
    assert mail.outbox == []


def test_inviting_twice_asks_to_send_again(admin):
    invite(admin)
    refused("already_invited", invite, actor=admin)


def test_a_manager_limited_to_a_location_gives_only_that_location(acme):
    Role.objects.create(
        code="SITEADMIN", name="Site admin", permissions=[*BUILTIN_ROLES["buyer"], "manage_users"]
    )
    manager = UserFactory(company=acme, role="SITEADMIN", all_locations=False)
    manager.locations.set(Location.objects.filter(code="LYON"))
    refused("permission_denied", invite, actor=manager, locations=None)
    refused("permission_denied", invite, actor=manager, locations=["NANTES"])
    assert invite(manager, locations=["lyon"]).locations.get().code == "LYON"


def test_role_and_locations_change_and_each_change_is_recorded(acme, admin):
    bruno = UserFactory(company=acme, email="bruno@acme.example", role="buyer")

    member_update(
        actor=admin,
        user_id=bruno.pk,
        placement=Placement(role="approver", locations=["LYON", "NANTES"]),
    )

    bruno.refresh_from_db()
    assert (bruno.role, bruno.all_locations) == ("approver", False)
    assert sorted(loc.code for loc in bruno.locations.all()) == ["LYON", "NANTES"]
    assert list(TeamEvent.objects.order_by("id").values_list("action", "before", "after")) == [
        ("role_changed", "buyer", "approver"),
        ("locations_changed", "*", "LYON, NANTES"),
    ]


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated(acme, admin):
    refused(
        "last_administrator",
        member_update,
        actor=admin,
        user_id=admin.pk,
        placement=Placement(role="buyer", locations=None),
    )
    refused("last_administrator", member_set_active, actor=admin, user_id=admin.pk, active=False)
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("admin", True)

    clara = UserFactory(company=acme, role="admin")
    member_set_active(actor=clara, user_id=admin.pk, active=False)
    admin.refresh_from_db()
    assert admin.is_active is False
    refused("last_administrator", member_set_active, actor=clara, user_id=clara.pk, active=False)


def test_deactivated_users_keep_their_account_and_can_come_back(acme, admin, rf):
    bruno = UserFactory(company=acme, email="bruno@acme.example")
    credentials = {"email": "bruno@acme.example", "password": "Comptoir-2026!"}
    member_set_active(actor=admin, user_id=bruno.pk, active=False)
    assert authenticate(rf.post("/"), **credentials) is None
    member_set_active(actor=admin, user_id=bruno.pk, active=True)
    assert authenticate(rf.post("/"), **credentials) == bruno
    assert list(TeamEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "deactivated",
        "reactivated",
    ]


def test_users_of_another_company_are_not_found(admin):
    stranger = UserFactory(company=CompanyFactory())
    refused("not_found", member_set_active, actor=admin, user_id=stranger.pk, active=False)
    refused(
        "not_found",
        member_update,
        actor=admin,
        user_id=stranger.pk,
        placement=Placement(role="viewer", locations=None),
    )
    other_admin = UserFactory(company=stranger.company, role="admin")
    invitation = invite(other_admin, email="x@other.example")
    refused("not_found", invitation_resend, actor=admin, invitation_id=invitation.pk, site_url=SITE)
    refused("not_found", invitation_cancel, actor=admin, invitation_id=invitation.pk)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_nobody_gives_a_role_with_more_rights_than_their_own(acme, admin):
    Role.objects.create(code="HR", name="HR", permissions=["manage_users", "see_prices"])
    hr = UserFactory(company=acme, email="hr@acme.example", role="HR")
    refused(
        "permission_denied",
        member_update,
        actor=hr,
        user_id=hr.pk,
        placement=Placement(role="admin", locations=None),
    )
    refused("permission_denied", invite, actor=hr, role="admin")
    hr.refresh_from_db()
    assert hr.role == "HR"


def test_a_site_manager_manages_only_the_users_of_their_sites(acme, admin):
    lyon = Location.objects.get(code="LYON")
    site_admin = UserFactory(
        company=acme, email="lyon@acme.example", role="admin", all_locations=False
    )
    site_admin.locations.set([lyon])
    nantes_buyer = UserFactory(company=acme, all_locations=False)
    nantes_buyer.locations.set(Location.objects.filter(code="NANTES"))
    lyon_buyer = UserFactory(company=acme, all_locations=False)
    lyon_buyer.locations.set([lyon])

    refused(
        "permission_denied", member_set_active, actor=site_admin, user_id=admin.pk, active=False
    )
    refused(
        "permission_denied",
        member_update,
        actor=site_admin,
        user_id=nantes_buyer.pk,
        placement=Placement(role="buyer", locations=["LYON"]),
    )
    member_set_active(actor=site_admin, user_id=lyon_buyer.pk, active=False)
    admin.refresh_from_db()
    assert admin.is_active
    assert list(nantes_buyer.locations.values_list("code", flat=True)) == ["NANTES"]
