"""The API token endpoint works while Redis is down.

The Redis drill (drills/stop_redis.py) found `POST /api/v1/auth/token` answering 500 while
Redis was stopped: django-redis ignores the outage and `cache.incr` answers None, which the
rate limit compared with an integer. Requests are not counted then (the login lockout,
kept in the database, still applies).
"""

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def test_a_token_is_issued_while_the_cache_is_unreachable(store, client, settings):
    from tests.factories import UserFactory

    UserFactory(email="achats@acme.example", password="Right-Password-2026")
    settings.CACHES = UNREACHABLE_REDIS
    response = client.post(
        "/api/v1/auth/token",
        {"email": "achats@acme.example", "password": "Right-Password-2026"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["token"]
