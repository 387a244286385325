"""The statements every request runs are prepared on the PostgreSQL server once per
connection (core/postgresql/base.py, core/compiled_sql.prepared_cursor), still counted and
logged like any other; the setting turns it off."""

import pytest
from django.db import connection
from django.test.utils import override_settings

from comptoir.core.compiled_sql import prepared_cursor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def prepared(text: str) -> list[str]:
    """The statements prepared on this connection whose text holds `text`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{text}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_setting_turns_preparing_off():
    with override_settings(PREPARED_STATEMENTS=False), prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 40 + %s", [1])
        assert cursor.fetchone() == (41,)
    assert prepared("SELECT 40 +") == []
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 40 + %s", [2])
        assert cursor.fetchone() == (42,)
    assert prepared("SELECT 40 +") == ["SELECT 40 + $1"]
