"""`manage.py demo_logins [BUNDLE]`: the demo back-office login and the buyer logins of a bundle."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.bundle.errors import BundleError
from comptoir.bundle.sources import open_bundle
from comptoir.customers.models import Company
from comptoir.sales.models import Assignment
from comptoir.sales.services import representatives_group

DEMO_ADMIN_EMAIL = "admin@comptoir.example"
DEMO_ADMIN_PASSWORD = "admin-demo-2026"
DEMO_REP_EMAIL = "anne.martin@comptoir.example"
DEMO_REP_PASSWORD = "sales-demo-2026"
DEMO_REP_COMPANY = "ACME"
"""The demo sales representative (issue 18) looks after the demo store's ACME."""


def default_bundle() -> Path:
    return Path(settings.BASE_DIR) / "demo" / "store.json"


def read_buyer_logins(path: Path) -> list[dict]:
    """One row per bundle user that carries a plain `password`, with its company; the bundle
    a JSON file or a zip, as load_store reads it (bundle/sources.py)."""
    if not path.exists():
        raise CommandError(_("Bundle file not found: %(path)s") % {"path": path})
    try:
        with open_bundle(path) as source, source.open_json() as stream:
            bundle = json.load(stream)
    except BundleError as error:
        raise CommandError(
            _("Cannot read bundle %(path)s: %(error)s")
            % {"path": path, "error": "; ".join(error.messages)}
        ) from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(
            _("Cannot read bundle %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    if not isinstance(bundle, dict):
        raise CommandError(_("Bundle %(path)s is not a JSON object.") % {"path": path})

    store = bundle.get("store")
    default_group = (store.get("default_group") if isinstance(store, dict) else None) or ""
    rows = []
    for company in _dicts(bundle.get("companies")):
        for user in _dicts(company.get("users")):
            if not user.get("password"):
                continue
            rows.append(
                {
                    "code": company.get("code", ""),
                    "name": company.get("name", ""),
                    "group": company.get("group") or default_group,
                    "status": company.get("status", "approved"),
                    "email": user.get("email", ""),
                    "password": user["password"],
                }
            )
    return rows


def _dicts(items) -> list[dict]:
    """The objects of a JSON list; anything else is load_store's business to report."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def ensure_demo_admin() -> None:
    """Create the demo superuser, or put back its demo password and rights."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
        if user is None:
            User.objects.create_superuser(email=DEMO_ADMIN_EMAIL, password=DEMO_ADMIN_PASSWORD)
            return
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(DEMO_ADMIN_PASSWORD)
        user.save()


def ensure_demo_representative() -> list[str]:
    """Create the demo sales representative, or put back its demo password, group and
    assignment; answer the codes of the companies it looks after."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email=DEMO_REP_EMAIL).first() or User(email=DEMO_REP_EMAIL)
        user.first_name, user.last_name = "Anne", "Martin"
        user.is_staff = user.is_active = True
        user.is_superuser = False
        user.company = None
        user.set_password(DEMO_REP_PASSWORD)
        user.save()
        user.groups.add(representatives_group())
        company = Company.objects.filter(code=DEMO_REP_COMPANY).first()
        if company is not None:
            Assignment.objects.get_or_create(representative=user, company=company)
        return list(
            Assignment.objects.filter(representative=user)
            .order_by("company__code")
            .values_list("company__code", flat=True)
        )


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


class Command(BaseCommand):
    # Like Django's own commands, help texts stay untranslated: argparse needs plain str.
    help = (
        f"Make sure the demo back-office superuser {DEMO_ADMIN_EMAIL} exists with the demo "
        f"password {DEMO_ADMIN_PASSWORD} and the demo sales representative {DEMO_REP_EMAIL} "
        f"with {DEMO_REP_PASSWORD} (looking after {DEMO_REP_COMPANY}), then print them with "
        "the buyer logins (users with a plain password) of a store bundle. Refused when "
        "COMPTOIR_ENV=production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "bundle",
            nargs="?",
            type=Path,
            help="Store bundle (JSON) to read the buyer logins from; default demo/store.json.",
        )

    def handle(self, *args, bundle=None, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                _(
                    "demo_logins refuses to run in production: it gives a superuser a "
                    "password that is published."
                )
            )
        path = bundle or default_bundle()
        rows = read_buyer_logins(path)
        ensure_demo_admin()
        companies = ensure_demo_representative()

        self.stdout.write(self.style.MIGRATE_HEADING(_("Back office (/admin/)")))
        self.stdout.write(
            format_table(
                [_("E-mail"), _("Password"), _("Role")],
                [
                    [DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, _("superuser")],
                    [
                        DEMO_REP_EMAIL,
                        DEMO_REP_PASSWORD,
                        _("sales representative of %(companies)s")
                        % {"companies": ", ".join(companies) or "—"},
                    ],
                ],
            )
        )
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Buyers of %(bundle)s") % {"bundle": path}))
        if not rows:
            self.stdout.write(_("No user with a plain password in this bundle."))
            return
        headers = [_("Company"), _("Name"), _("Group"), _("Status"), _("E-mail"), _("Password")]
        keys = ["code", "name", "group", "status", "email", "password"]
        self.stdout.write(format_table(headers, [[row[key] for key in keys] for row in rows]))
