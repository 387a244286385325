"""A database lost while a middleware reads it answers 503, as one lost in a view does.

The PostgreSQL drill (drills/restart_postgres.py) found every storefront page answering 500
while the server was down: the storefront's access middleware reads the store before the
view, and Django gives a middleware's `process_exception` only the view's errors. The
`handler500` of comptoir/urls.py turns those into the outage answer too.
"""

import pytest
from django.db import OperationalError
from django.test import Client


def lost(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def client_seeing_500s():
    return Client(raise_request_exception=False)


def test_a_page_whose_middleware_loses_the_database_answers_503(
    store, client_seeing_500s, monkeypatch
):
    monkeypatch.setattr("comptoir.storefront.access.current_store", lost)
    response = client_seeing_500s.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"briefly unavailable" in response.content
    assert b"Traceback" not in response.content


def test_other_errors_still_get_the_500_page(store, client_seeing_500s, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("comptoir.storefront.access.current_store", broken)
    response = client_seeing_500s.get("/")
    assert response.status_code == 500
    assert b"a bug" not in response.content
