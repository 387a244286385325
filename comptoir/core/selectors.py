"""Reads of the store's own settings."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from comptoir.core.models import Store


def get_store() -> Store:
    """The store row, with what pricing and visibility need of it in the same query."""
    return Store.objects.select_related("default_group", "base_price_list").get()


def store_today(store: Store) -> datetime.date:
    """Today in the store's time zone: validity windows are in the merchant's days."""
    return timezone.now().astimezone(ZoneInfo(store.time_zone)).date()
