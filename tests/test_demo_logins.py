"""`manage.py demo_logins`: the demo superuser, the buyer logins, and the refusal in production."""

import json
import re
import zipfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from comptoir.core.management.commands.demo_logins import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_REP_EMAIL,
    DEMO_REP_PASSWORD,
)
from comptoir.sales.models import REPRESENTATIVES_GROUP, Assignment
from comptoir.sales.selectors import is_representative
from tests.factories import CompanyFactory

BUNDLE = {
    "store": {"name": "Test store", "currency": "EUR", "default_group": "RETAIL"},
    "companies": [
        {
            "code": "ACME",
            "name": "Acme Industries",
            "group": "PRO",
            "status": "approved",
            "country": "FR",
            "users": [{"email": "buyer@acme.example", "password": "acme-pass-1", "role": "admin"}],
        },
        {
            "code": "BOLT",
            "name": "Bolt & Co",
            "status": "pending",
            "country": "BE",
            "users": [
                {"email": "anna@bolt.example", "password": "bolt-pass-2", "role": "buyer"},
                {"email": "hashed@bolt.example", "password_hash": "pbkdf2_sha256$1$x$y"},
            ],
        },
    ],
}


@pytest.fixture
def bundle_path(tmp_path):
    path = tmp_path / "store.json"
    path.write_text(json.dumps(BUNDLE), encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("demo_logins", *args, stdout=out)
    return out.getvalue()


def cells(line: str) -> list[str]:
    """The columns of a table row (columns are at least two spaces apart)."""
    return re.split(r"\s{2,}", line.strip())


@pytest.mark.django_db
def test_creates_the_demo_superuser_and_prints_the_logins(bundle_path):
    output = run(str(bundle_path))

    admin = get_user_model().objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password(DEMO_ADMIN_PASSWORD)
    assert DEMO_ADMIN_EMAIL in output
    assert DEMO_ADMIN_PASSWORD in output

    lines = output.splitlines()
    acme = next(line for line in lines if "buyer@acme.example" in line)
    assert cells(acme) == [
        "ACME",
        "Acme Industries",
        "PRO",
        "approved",
        "buyer@acme.example",
        "acme-pass-1",
    ]
    bolt = next(line for line in lines if "anna@bolt.example" in line)
    # A company without a group is in the store's default group.
    assert cells(bolt) == [
        "BOLT",
        "Bolt & Co",
        "RETAIL",
        "pending",
        "anna@bolt.example",
        "bolt-pass-2",
    ]
    # Only users with a plain password can be given to someone who wants to try the demo.
    assert "hashed@bolt.example" not in output
    assert "pbkdf2" not in output


@pytest.mark.django_db
def test_resets_the_demo_superuser_and_stays_single(bundle_path):
    User = get_user_model()
    user = User.objects.create_user(email=DEMO_ADMIN_EMAIL, password="someone-changed-it")
    user.is_active = False
    user.save()

    run(str(bundle_path))
    run(str(bundle_path))

    assert User.objects.filter(email=DEMO_ADMIN_EMAIL).count() == 1
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.check_password(DEMO_ADMIN_PASSWORD)
    assert admin.is_superuser and admin.is_staff and admin.is_active


@pytest.mark.django_db
def test_refused_in_production(bundle_path, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run(str(bundle_path))
    assert not get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).exists()


@pytest.mark.django_db
def test_a_bundle_without_buyers_still_gives_the_admin(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"store": {"name": "Empty"}}), encoding="utf-8")
    output = run(str(path))
    assert DEMO_ADMIN_PASSWORD in output
    assert "No user with a plain password" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "not found"), ("{not json", "Cannot read bundle"), ("[1, 2]", "not a JSON object")],
)
def test_unreadable_bundle_is_a_clear_error_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).exists()


@pytest.mark.django_db
def test_creates_the_demo_sales_representative_of_acme(bundle_path):
    """Issue 18: `make demo` shows a representative looking after ACME."""
    acme = CompanyFactory(code="ACME")
    CompanyFactory(code="GLOBEX")

    output = run(str(bundle_path))

    anne = get_user_model().objects.get(email=DEMO_REP_EMAIL)
    assert anne.check_password(DEMO_REP_PASSWORD)
    assert anne.is_staff and anne.is_active and not anne.is_superuser
    assert anne.get_full_name() == "Anne Martin"
    assert list(anne.groups.values_list("name", flat=True)) == [REPRESENTATIVES_GROUP]
    assert is_representative(anne)
    assert anne.has_perm("sales.act_as_buyer") and anne.has_perm("sales.enter_orders")
    assert list(Assignment.objects.values_list("representative__email", "company")) == [
        (DEMO_REP_EMAIL, acme.pk)
    ]
    rep_line = next(line for line in output.splitlines() if DEMO_REP_EMAIL in line)
    assert cells(rep_line) == [DEMO_REP_EMAIL, DEMO_REP_PASSWORD, "sales representative of ACME"]


@pytest.mark.django_db
def test_resets_the_demo_representative_and_stays_single(bundle_path):
    CompanyFactory(code="ACME")
    User = get_user_model()
    user = User.objects.create_user(email=DEMO_REP_EMAIL, password="someone-changed-it")
    user.is_active = False
    user.save()

    run(str(bundle_path))
    run(str(bundle_path))

    assert User.objects.filter(email=DEMO_REP_EMAIL).count() == 1
    anne = User.objects.get(email=DEMO_REP_EMAIL)
    assert anne.check_password(DEMO_REP_PASSWORD) and anne.is_active and anne.is_staff
    assert Assignment.objects.filter(representative=anne).count() == 1


@pytest.mark.django_db
def test_the_logins_of_a_zipped_bundle(tmp_path, bundle_path):
    path = tmp_path / "demo.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(bundle_path, "store.json")
    output = run(str(path))
    assert str(path) in output
    assert output.replace(str(path), str(bundle_path)) == run(str(bundle_path))
    assert "buyer@acme.example  acme-pass-1" in output
