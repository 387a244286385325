"""Dates no reader can take for another day (comptoir/formats): never 06/12/2026."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format, get_format

DAY = datetime.date(2026, 12, 6)
MOMENT = datetime.datetime(2026, 12, 6, 15, 5)


@pytest.mark.parametrize(
    ("language", "long", "short", "long_moment", "short_moment"),
    [
        ("en", "6 Dec 2026", "2026-12-06", "6 Dec 2026, 15:05", "2026-12-06 15:05"),
        ("fr", "6 décembre 2026", "2026-12-06", "6 décembre 2026, 15:05", "2026-12-06 15:05"),
    ],
)
def test_dates_in_each_language(language, long, short, long_moment, short_moment):
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == long
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(MOMENT, "DATETIME_FORMAT") == long_moment
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short_moment


@pytest.mark.parametrize("language", ["en", "fr"])
def test_forms_show_dates_in_iso(language):
    with translation.override(language):
        assert get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
