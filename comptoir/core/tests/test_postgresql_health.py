"""The health check of a kept PostgreSQL connection (core/postgresql/base.py): no round
trip while the server is silent, the connection replaced once the server has ended it."""

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def start_request():
    """What Django does at the start of a request that reuses a kept connection."""
    connection.health_check_enabled = True
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def test_a_silent_server_costs_no_select_1(monkeypatch):
    connection.ensure_connection()
    kept = connection.connection

    def refused():
        raise AssertionError("SELECT 1 sent to a healthy connection")

    monkeypatch.setattr(connection, "is_usable", refused)
    start_request()
    assert connection.connection is kept


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    connection.ensure_connection()
    kept = connection.connection
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [kept.info.backend_pid])
    time.sleep(0.2)  # the server's notice and end of file reach the socket
    start_request()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not kept
