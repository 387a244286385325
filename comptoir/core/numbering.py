"""Gap-free yearly numbers (CMD-2026-000123, FAC-2026-000045) from a counter row per year.

The counter row is updated in the caller's transaction and stays locked until it commits,
so two numbers never repeat and a rolled-back transaction leaves no gap. A first number of
a year, and a bundle that brings numbered documents, start after the highest number found.
"""

from django.db import IntegrityError, transaction
from django.db.models import F


def next_number(*, counter, numbered, prefix: str, year: int) -> int:
    """The next sequence of `year` for `prefix` ("CMD"), counted in the `counter` model."""
    if not counter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                highest = highest_number(numbered, f"{prefix}-{year}-")
                counter.objects.create(year=year, last=highest + 1)
        except IntegrityError:
            counter.objects.filter(year=year).update(last=F("last") + 1)
    return counter.objects.get(year=year).last


def next_document_number(*, counter, numbered, prefix: str, year: int) -> str:
    """ "CMD-2026-000123": the prefix, the year and the next sequence on six digits."""
    sequence = next_number(counter=counter, numbered=numbered, prefix=prefix, year=year)
    return f"{prefix}-{year}-{sequence:06d}"


def highest_number(numbered, start: str) -> int:
    """The highest sequence behind `start` ("CMD-2026-") among the `numbered` model's rows."""
    numbers = numbered.objects.filter(number__startswith=start).values_list("number", flat=True)
    return max((int(n[len(start) :]) for n in numbers if n[len(start) :].isdigit()), default=0)


def raise_counters(*, counter, numbered, prefix: str) -> None:
    """After documents were loaded: each year's counter reaches its highest loaded number."""
    years = {
        int(number.split("-")[1])
        for number in numbered.objects.filter(number__startswith=f"{prefix}-").values_list(
            "number", flat=True
        )
        if number.count("-") == 2 and number.split("-")[1].isdigit()
    }
    for year in sorted(years):
        highest = highest_number(numbered, f"{prefix}-{year}-")
        found, created = counter.objects.get_or_create(year=year, defaults={"last": highest})
        if not created and found.last < highest:
            counter.objects.filter(pk=year).update(last=highest)
