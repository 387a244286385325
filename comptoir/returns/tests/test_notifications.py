"""The merchant's staff who handle returns hear of each new request, each in their language,
with a link to it in the back office; staff without the permission do not."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.returns.services import ReturnAsk, return_request
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def test_a_new_request_is_told_to_the_staff_who_handle_returns(
    shop, delivered, django_capture_on_commit_callbacks
):
    handles = Group.objects.create(name="Returns desk")
    handles.permissions.add(Permission.objects.get(codename="change_returnrequest"))
    clerk = StaffUserFactory(email="clerk@comptoir.example", first_name="Lea", language="fr")
    clerk.groups.add(handles)
    StaffUserFactory(email="boss@comptoir.example", is_superuser=True, language="en")
    StaffUserFactory(email="bystander@comptoir.example")
    StaffUserFactory(email="gone@comptoir.example", is_superuser=True, is_active=False)
    line = delivered.lines.get(sku="SCR-100")

    with django_capture_on_commit_callbacks(execute=True):
        request = return_request(
            viewer=viewer_for(get_store(), shop.buyer),
            order_number=delivered.number,
            ask=ReturnAsk(quantities={line.pk: 40}, reason="damaged", comment="Bent heads."),
        )

    link = reverse("admin:returns_returnrequest_change", args=[request.pk])
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["boss@comptoir.example", "clerk@comptoir.example"]
    company = delivered.company.name
    english = by_address["boss@comptoir.example"]
    assert english.subject == f"{get_store().name}: return {request.number} requested by {company}"
    assert f"goods of order {delivered.number}" in english.body
    assert "reason: Damaged" in english.body
    assert "- 40 × SCR-100" in english.body
    assert "Bent heads." in english.body
    assert english.body.rstrip().endswith(link)
    french = by_address["clerk@comptoir.example"]
    assert french.subject == (
        f"{get_store().name}{chr(0xA0)}: retour {request.number} demandé par {company}"
    )
    assert french.body.startswith("Bonjour Lea,")
    assert link in french.body


def test_a_refused_request_tells_no_one(shop, delivered, django_capture_on_commit_callbacks):
    StaffUserFactory(email="boss@comptoir.example", is_superuser=True)
    line = delivered.lines.get(sku="SCR-100")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BusinessRuleError):
        return_request(
            viewer=viewer_for(get_store(), shop.buyer),
            order_number=delivered.number,
            ask=ReturnAsk(quantities={line.pk: 999}, reason="damaged"),
        )
    assert mail.outbox == []
