import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from comptoir.bundle.tests.sample import sample_bundle


@pytest.fixture
def write_bundle(tmp_path):
    """Writes a bundle dict to a file and returns its path."""

    def write(bundle, name="bundle.json"):
        path = tmp_path / name
        path.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    return write


@pytest.fixture
def sample():
    return sample_bundle()


def database_snapshot() -> dict:
    """Every row of every Comptoir table (and the users), to prove that nothing changed.
    The cache version is left out: a load bumps it whatever it changed (versioned_cache)."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label == "core.CacheVersion":
            continue
        if model._meta.app_label in {
            "core",
            "accounts",
            "customers",
            "catalog",
            "pricing",
            "tax",
            "payments",
            "ordering",
            "approvals",
            "quotes",
        }:
            snapshot[model._meta.label] = list(model.objects.order_by("pk").values())
    return snapshot


def empty_the_store():
    """Every table emptied inside the test's transaction. PostgreSQL refuses to TRUNCATE a
    table with deferred foreign-key checks still pending from the load: they are run first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
