"""What a production deployment relies on: health, request ids and logs, outages, throttling,
security headers."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from comptoir.core.outages import DatabaseOutageMiddleware
from comptoir.core.request_log import JsonFormatter
from tests.factories import UserFactory


def test_health_reports_database_and_cache(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_with_an_unreachable_cache_is_degraded_but_serving(db, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


def test_every_response_carries_a_request_id_and_logs_one_json_line(db, client, caplog):
    caplog.set_level(logging.INFO, logger="comptoir.request")
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.91"})
    assert response["X-Request-ID"] == "lb-7f3a.91"
    (record,) = [r for r in caplog.records if r.name == "comptoir.request"]
    line = json.loads(JsonFormatter().format(record))
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0

    forged = client.get("/healthz", headers={"X-Request-ID": "<script>" * 20})
    assert forged["X-Request-ID"] != "<script>" * 20
    assert len(forged["X-Request-ID"]) == 32


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/products", "application/problem+json"), ("/c/tools/", "text/html; charset=utf-8")],
)
def test_a_lost_database_answers_503_cleanly(path, content_type):
    middleware = DatabaseOutageMiddleware(lambda request: None)
    response = middleware.process_exception(
        RequestFactory().get(path), OperationalError("server closed the connection")
    )
    assert response.status_code == 503
    assert response["Content-Type"] == content_type
    assert response["Retry-After"] == "5"
    if content_type.startswith("application"):
        assert json.loads(response.content)["code"] == "service_unavailable"
    assert middleware.process_exception(RequestFactory().get(path), ValueError()) is None


def test_repeated_failed_logins_lock_the_login_and_the_token_endpoint(store, client):
    UserFactory(email="achats@acme.example", password="Right-Password-2026")
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"email": "achats@acme.example", "password": "wrong"},
            content_type="application/json",
        ).status_code
        for _attempt in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    locked = client.post(
        "/api/v1/auth/token",
        {"email": "achats@acme.example", "password": "Right-Password-2026"},
        content_type="application/json",
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_requests"
    page = client.post(
        "/account/login/", {"username": "achats@acme.example", "password": "Right-Password-2026"}
    )
    assert page.status_code == 429
    assert "Too many failed logins" in page.content.decode()


def test_token_requests_are_rate_limited_per_address(store, client, settings):
    settings.TOKEN_REQUESTS_PER_MINUTE = 3
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"email": f"nobody{n}@example.com", "password": "x"},
            content_type="application/json",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_pages_send_a_content_security_policy(store, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
