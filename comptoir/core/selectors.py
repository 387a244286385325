"""Reads of the store's own settings."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from comptoir.core.models import Store
from comptoir.core.versioned_cache import cached


def get_store() -> Store:
    """The store row, with what pricing and visibility need of it in the same query."""
    return Store.objects.select_related("default_group", "base_price_list").get()


def current_store() -> Store:
    """`get_store()` as every request reads it: this process's copy while no write has
    changed the store, its default group or its base list (core/versioned_cache.py).
    Read only: whoever changes the store reads it with `get_store()`."""
    return cached("store", get_store)


def store_today(store: Store) -> datetime.date:
    """Today in the store's time zone: validity windows are in the merchant's days."""
    return timezone.now().astimezone(ZoneInfo(store.time_zone)).date()
