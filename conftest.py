"""Fixtures shared by every test suite (the apps' `tests/` packages and the top-level `tests/`).

Tests that touch the database ask for it (`@pytest.mark.django_db`, or the `db` fixture
through another fixture such as `store`); pure rule tests run without one.
pytest-django provides `client`, `admin_user`, `admin_client`, `settings`,
`django_assert_num_queries` and `django_assert_max_num_queries`.
"""

import factory.random
import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with the production hasher costs ~0.3 s a user; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploaded documents and product pictures go to a temporary directory, never into var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "public"


@pytest.fixture(autouse=True)
def _fresh_versioned_cache():
    """A rolled-back or flushed test database gives its version numbers out again: no copy
    cached by one test may be found by the next."""
    from comptoir.core import versioned_cache

    versioned_cache.clear()
    yield
    versioned_cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French leaves French active in the thread; the next test starts afresh."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reseed_factories():
    """The same fake names, addresses and prices on every run."""
    factory.random.reseed_random("comptoir")


@pytest.fixture
def store(db):
    """The store row: France, EUR, default group RETAIL, base price list BASE."""
    from tests.factories import StoreFactory

    return StoreFactory()


@pytest.fixture
def default_group(store):
    return store.default_group


@pytest.fixture
def base_price_list(store):
    return store.base_price_list


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached answers never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run when enqueued (the database backend needs a worker); tests that look at the
    queue itself switch to the dummy backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
