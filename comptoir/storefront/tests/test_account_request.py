"""A visitor asks for an account; the merchant approves or rejects it; the buyer sets a password."""

import re

import pytest
from django.core import mail

from comptoir.accounts.models import User
from comptoir.accounts.permissions import ADMINISTRATOR
from comptoir.core.models import AccessMode
from comptoir.customers.models import Address, Company, CompanyStatus
from comptoir.storefront.tests.conftest import set_access
from tests.factories import CompanyFactory, StaffUserFactory, UserFactory

GOOD = {
    "company_name": "Menuiserie Dubois",
    "vat_number": "FR 40 303 265 045",
    "line1": "12 rue des Tanneurs",
    "line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "region": "",
    "first_name": "Claire",
    "last_name": "Dubois",
    "email": "Claire.Dubois@menuiserie-dubois.example",
}


def set_password_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*password/set/\S+/)", message.body).group(1)


@pytest.mark.parametrize("mode", [AccessMode.PUBLIC, AccessMode.LOGIN_REQUIRED])
def test_a_request_creates_a_pending_company_and_its_first_buyer(store, client, mode, on_commit):
    set_access(store, mode)
    StaffUserFactory(is_superuser=True, email="owner@comptoir.example")

    with on_commit(execute=True):
        response = client.post("/account/request/", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/account/request/sent/"
    company = Company.objects.get(name="Menuiserie Dubois")
    assert company.code == "MENUISERIE-DUBOIS"
    assert company.status == CompanyStatus.PENDING
    assert company.group == store.default_group
    assert company.vat_number == "FR40303265045"
    address = Address.objects.get(company=company)
    assert (address.line1, address.postal_code, address.city, address.country) == (
        "12 rue des Tanneurs",
        "69002",
        "Lyon",
        "FR",
    )
    buyer = User.objects.get(company=company)
    assert buyer.email == "claire.dubois@menuiserie-dubois.example"
    assert buyer.role == ADMINISTRATOR
    assert not buyer.has_usable_password()
    assert buyer.language == "en"
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [
        ("claire.dubois@menuiserie-dubois.example",),
        ("owner@comptoir.example",),
    ]
    to_staff = next(m for m in mail.outbox if m.to == ["owner@comptoir.example"])
    assert f"/admin/customers/company/{company.pk}/change/" in to_staff.body


def test_a_request_in_french_gets_french_e_mails(store, client, on_commit):
    with on_commit(execute=True):
        client.post("/fr/account/request/", GOOD)

    buyer = User.objects.get(email="claire.dubois@menuiserie-dubois.example")
    assert buyer.language == "fr"
    (message,) = mail.outbox
    assert "demande" in message.subject


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"vat_number": "FR40303265046"}, "vat_number", "not a valid VAT or tax number"),
        ({"vat_number": "BE0403019261"}, "vat_number", "not a valid VAT or tax number"),
        ({"country": "US", "vat_number": "04-2103594"}, "region", "depend on the state"),
        ({"country": "US", "region": "ZZ", "vat_number": "04-2103594"}, "region", "not a region"),
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"company_name": ""}, "company_name", "required"),
        ({"city": "x" * 101}, "city", "at most 100"),
    ],
)
def test_bad_requests_say_why_and_write_nothing(store, client, change, field, message):
    response = client.post("/account/request/", {**GOOD, **change})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Company.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_an_american_company_gives_its_state_and_tax_id(store, client):
    response = client.post(
        "/account/request/",
        {**GOOD, "country": "US", "region": "ny", "vat_number": "04-2103594"},
    )
    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.country, company.region, company.vat_number) == ("US", "NY", "042103594")


def test_an_e_mail_already_in_use_is_refused(store, client):
    UserFactory(email="claire.dubois@menuiserie-dubois.example")
    response = client.post("/account/request/", GOOD)
    assert "already uses this e-mail" in " ".join(response.context["form"].errors["email"])
    assert Company.objects.count() == 1


def test_two_companies_with_the_same_name_get_distinct_codes(store, client):
    CompanyFactory(code="MENUISERIE-DUBOIS")
    client.post("/account/request/", GOOD)
    assert Company.objects.filter(code="MENUISERIE-DUBOIS-2").exists()


def approve(admin_client, on_commit, *companies):
    with on_commit(execute=True):
        return admin_client.post(
            "/admin/customers/company/",
            {"action": "approve", "_selected_action": [c.pk for c in companies]},
            follow=True,
        )


def test_approval_e_mails_a_link_to_set_the_password_then_the_buyer_logs_in(
    store, client, admin_client, on_commit
):
    client.post("/fr/account/request/", GOOD)
    company = Company.objects.get()

    response = approve(admin_client, on_commit, company)

    assert "1 company approved" in response.content.decode()
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPROVED
    (message,) = mail.outbox
    assert message.to == ["claire.dubois@menuiserie-dubois.example"]
    link = set_password_link(message)
    assert link.startswith("/fr/account/password/set/")
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": "Rabot-Dubois-2026", "new_password2": "Rabot-Dubois-2026"},
    )
    assert done.status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False
    logged_in = client.post(
        "/account/login/",
        {"username": "claire.dubois@menuiserie-dubois.example", "password": "Rabot-Dubois-2026"},
    )
    assert logged_in.status_code == 302
    account = client.get("/account/").content.decode()
    assert "Menuiserie Dubois" in account
    assert "Approved" in account


def test_approving_a_company_whose_buyers_have_passwords_sends_a_login_link(
    store, admin_client, on_commit
):
    buyer = UserFactory(company=CompanyFactory(status=CompanyStatus.SUSPENDED))
    approve(admin_client, on_commit, buyer.company)
    (message,) = mail.outbox
    assert "/account/login/" in message.body
    assert "password/set" not in message.body


def test_rejection_asks_for_a_reason_and_tells_the_applicant(
    store, client, admin_client, on_commit
):
    client.post("/account/request/", GOOD)
    company = Company.objects.get()
    approved = CompanyFactory()
    selection = {"action": "reject", "_selected_action": [company.pk, approved.pk]}

    asked = admin_client.post("/admin/customers/company/", selection)
    assert asked.status_code == 200
    assert "Reason, sent to the applicants" in asked.content.decode()
    company.refresh_from_db()
    assert company.status == CompanyStatus.PENDING

    with on_commit(execute=True):
        done = admin_client.post(
            "/admin/customers/company/",
            {**selection, "reason": "We only sell to the building trade."},
            follow=True,
        )
    assert "1 account request rejected." in done.content.decode()
    company.refresh_from_db()
    approved.refresh_from_db()
    assert company.status == CompanyStatus.REJECTED
    assert company.rejection_reason == "We only sell to the building trade."
    assert approved.status == CompanyStatus.APPROVED
    (message,) = mail.outbox
    assert "We only sell to the building trade." in message.body


def test_the_status_is_changed_only_by_the_actions(store, admin_client):
    company = CompanyFactory(pending=True)
    page = admin_client.get(f"/admin/customers/company/{company.pk}/change/")
    assert "status" not in page.context["adminform"].form.fields


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CompanyStatus.PENDING, "being reviewed"),
        (CompanyStatus.SUSPENDED, "suspended"),
        (CompanyStatus.REJECTED, "declined"),
    ],
)
def test_buyers_of_companies_that_cannot_order_log_in_and_see_why(store, client, status, message):
    buyer = UserFactory(company=CompanyFactory(status=status))
    client.force_login(buyer)
    for path in ("/", "/account/"):
        assert message in client.get(path).content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(store, client):
    buyer = UserFactory(email="achats@dubois.example")
    response = client.post("/account/password/reset/", {"email": "achats@dubois.example"})
    assert response["Location"] == "/account/password/reset/sent/"
    (message,) = mail.outbox
    link = set_password_link(message)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": "Nouveau-Mot-2026", "new_password2": "Nouveau-Mot-2026"},
    )
    buyer.refresh_from_db()
    assert buyer.check_password("Nouveau-Mot-2026")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(store, client):
    response = client.post("/account/password/reset/", {"email": "nobody@nowhere.example"})
    assert response["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []
