"""The stock label every channel shows (catalog/availability.py), decided without a database."""

import pytest

from comptoir.catalog.availability import Availability, availability


@pytest.mark.parametrize(
    ("stock", "backorder", "expected"),
    [
        (500, False, Availability("in_stock")),
        (11, False, Availability("in_stock")),
        (10, False, Availability("low_stock", 10)),
        (1, True, Availability("low_stock", 1)),
        (0, True, Availability("backorder")),
        (0, False, Availability("out_of_stock")),
        (-3, False, Availability("out_of_stock")),
    ],
)
def test_the_label_follows_stock_backorder_and_the_threshold(stock, backorder, expected):
    assert availability(stock, backorder) == expected


def test_the_threshold_can_be_given_and_only_out_of_stock_is_not_orderable():
    assert availability(30, False, threshold=50) == Availability("low_stock", 30)
    assert [availability(n, b).orderable for n, b in ((0, False), (0, True), (3, False))] == [
        False,
        True,
        True,
    ]
