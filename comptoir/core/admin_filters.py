"""List filters shared by the back office."""

from zoneinfo import ZoneInfo

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Store

DEFAULT_TIME_ZONE = "Europe/Paris"


def store_today():
    """Today in the store's time zone (DESIGN.md "Dates")."""
    name = Store.objects.values_list("time_zone", flat=True).first() or DEFAULT_TIME_ZONE
    return timezone.localdate(timezone=ZoneInfo(name))


class ValidityListFilter(admin.SimpleListFilter):
    """Current, upcoming or expired, for a window whose first and last days are included.

    Subclasses name the window's fields; a null bound is open.
    """

    title = _("validity")
    parameter_name = "validity"
    from_field = "valid_from"
    until_field = "valid_until"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Valid today")),
            ("upcoming", _("Not yet valid")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in {"current", "upcoming", "expired"}:
            return queryset
        today = store_today()
        started = Q(**{f"{self.from_field}__isnull": True}) | Q(
            **{f"{self.from_field}__lte": today}
        )
        not_ended = Q(**{f"{self.until_field}__isnull": True}) | Q(
            **{f"{self.until_field}__gte": today}
        )
        if value == "current":
            return queryset.filter(started & not_ended)
        if value == "upcoming":
            return queryset.filter(**{f"{self.from_field}__gt": today})
        return queryset.filter(**{f"{self.until_field}__lt": today})
