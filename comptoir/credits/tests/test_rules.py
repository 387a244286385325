"""What credit notes take back, with literal figures: a two-rate invoice (SCR-100 at 20 %,
MNL-1 at 5.5 %, shipping 15.00 taxed at 20 %) and a reverse-charge one."""

from decimal import Decimal

import pytest

from comptoir.credits import rules
from comptoir.payments import invoice_rules

D = Decimal

TWO_RATE_LINES = [
    {
        "sku": "SCR-100",
        "name": "Wood screws",
        "quantity": 120,
        "unit": "box",
        "unit_price": "3.90",
        "gross": "468.00",
        "discount": "0.00",
        "net": "468.00",
        "tax_rate": "20.00",
    },
    {
        "sku": "MNL-1",
        "name": "Safety binder",
        "quantity": 3,
        "unit": "",
        "unit_price": "12.00",
        "gross": "36.00",
        "discount": "0.00",
        "net": "36.00",
        "tax_rate": "5.50",
    },
]
TWO_RATE_TAXES = [
    {"rate": "20.00", "base": "483.00", "amount": "96.60", "reason": ""},
    {"rate": "5.50", "base": "36.00", "amount": "1.98", "reason": ""},
]
# Total: 468.00 + 36.00 + 15.00 + 96.60 + 1.98 = 617.58


def left(credited=(), lines=TWO_RATE_LINES, taxes=TWO_RATE_TAXES, shipping="15.00"):
    return rules.remaining(
        lines=lines, tax_lines=taxes, shipping=D(shipping), credited=list(credited)
    )


def stored(credit: rules.Credit) -> dict:
    return {"lines": credit.lines, "tax_lines": credit.tax_lines, "shipping": str(credit.shipping)}


def test_a_partial_credit_note_by_lines_on_a_two_rate_invoice():
    credit = rules.credit_lines(left(), {0: 40, 1: 1})

    assert [(line["sku"], line["quantity"], line["net"]) for line in credit.lines] == [
        ("SCR-100", 40, "156.00"),
        ("MNL-1", 1, "12.00"),
    ]
    assert credit.tax_lines == [
        {"rate": "20.00", "base": "156.00", "amount": "31.20", "reason": ""},
        {"rate": "5.50", "base": "12.00", "amount": "0.66", "reason": ""},
    ]
    assert (credit.net_total, credit.tax_total, credit.total) == (
        D("168.00"),
        D("31.86"),
        D("199.86"),
    )


def test_credit_notes_by_lines_then_whole_give_back_the_invoice_to_the_cent():
    first = rules.credit_lines(left(), {0: 40, 1: 1})
    second = rules.credit_lines(left([stored(first)]), {0: 80, 1: 2})
    assert second.tax_lines == [
        {"rate": "20.00", "base": "312.00", "amount": "62.40", "reason": ""},
        {"rate": "5.50", "base": "24.00", "amount": "1.32", "reason": ""},
    ]
    rest = rules.credit_whole(left([stored(first), stored(second)]))
    assert rest.lines == []
    assert rest.shipping == D("15.00")
    assert rest.tax_lines == [{"rate": "20.00", "base": "15.00", "amount": "3.00", "reason": ""}]
    assert first.total + second.total + rest.total == D("617.58")
    with pytest.raises(rules.CreditRefused) as refused:
        rules.credit_whole(left([stored(first), stored(second), stored(rest)]))
    assert refused.value.code == "invoice_fully_credited"


def test_the_last_units_of_a_line_take_what_remains_of_its_net():
    lines = [{**TWO_RATE_LINES[1], "quantity": 3, "net": "10.00"}]
    taxes = [{"rate": "5.50", "base": "10.00", "amount": "0.55", "reason": ""}]
    one = rules.credit_lines(left(lines=lines, taxes=taxes, shipping="0"), {0: 1})
    two = rules.credit_lines(left([stored(one)], lines, taxes, "0"), {0: 1})
    three = rules.credit_lines(left([stored(one), stored(two)], lines, taxes, "0"), {0: 1})
    assert [c.lines[0]["net"] for c in (one, two, three)] == ["3.33", "3.33", "3.34"]
    assert [c.tax_total for c in (one, two, three)] == [D("0.18"), D("0.18"), D("0.19")]
    assert sum(c.total for c in (one, two, three)) == D("10.55")


def test_a_credit_by_amount_splits_across_rates_in_proportion_to_what_remains():
    credit = rules.credit_amount(left(), D("100.00"))

    # 579.60 and 37.98 remain: 93.85 and 6.15 (largest remainder), tax contained in each.
    assert credit.tax_lines == [
        {"rate": "20.00", "base": "78.21", "amount": "15.64", "reason": ""},
        {"rate": "5.50", "base": "5.83", "amount": "0.32", "reason": ""},
    ]
    assert credit.total == D("100.00")
    assert credit.lines == []


def test_a_credit_by_amount_never_exceeds_what_remains():
    first = rules.credit_amount(left(), D("600.00"))
    with pytest.raises(rules.CreditRefused) as refused:
        rules.credit_amount(left([stored(first)]), D("17.59"))
    assert (refused.value.code, refused.value.params["remaining"]) == (
        "credit_amount_above_remaining",
        D("17.58"),
    )
    rest = rules.credit_amount(left([stored(first)]), D("17.58"))
    assert first.total + rest.total == D("617.58")
    both = left([stored(first), stored(rest)])
    assert [(g.base, g.amount) for g in both.groups] == [(D("0.00"), D("0.00"))] * 2


def test_a_reverse_charge_credit_note_keeps_the_reason_and_takes_no_tax():
    lines = [{**TWO_RATE_LINES[0], "tax_rate": "0.00"}]
    taxes = [{"rate": "0.00", "base": "483.00", "amount": "0.00", "reason": "reverse_charge"}]
    by_lines = rules.credit_lines(left(lines=lines, taxes=taxes), {0: 10})
    assert by_lines.tax_lines == [
        {"rate": "0.00", "base": "39.00", "amount": "0.00", "reason": "reverse_charge"}
    ]
    by_amount = rules.credit_amount(left([stored(by_lines)], lines, taxes), D("120.00"))
    assert by_amount.tax_lines == [
        {"rate": "0.00", "base": "120.00", "amount": "0.00", "reason": "reverse_charge"}
    ]
    assert (by_amount.tax_total, by_amount.total) == (D("0.00"), D("120.00"))


@pytest.mark.parametrize(
    ("quantities", "code"),
    [
        ({}, "credit_no_lines"),
        ({5: 1}, "credit_unknown_line"),
        ({0: 0}, "credit_quantity_not_positive"),
        ({0: -3}, "credit_quantity_not_positive"),
        ({0: True}, "credit_quantity_not_positive"),
        ({0: 121}, "credit_quantity_above_remaining"),
    ],
)
def test_bad_line_quantities_are_refused(quantities, code):
    with pytest.raises(rules.CreditRefused) as refused:
        rules.credit_lines(left(), quantities)
    assert refused.value.code == code


def test_lines_cannot_take_back_a_base_an_amount_credit_already_took():
    by_amount = rules.credit_amount(left(), D("579.00"))
    with pytest.raises(rules.CreditRefused) as refused:
        rules.credit_lines(left([stored(by_amount)]), {0: 120})
    assert refused.value.code == "credit_above_remaining_base"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "credit_amount_not_positive"),
        ("-1", "credit_amount_not_positive"),
        ("1.001", "credit_amount_not_in_cents"),
    ],
)
def test_bad_amounts_are_refused(amount, code):
    with pytest.raises(rules.CreditRefused) as refused:
        rules.credit_amount(left(), D(amount))
    assert refused.value.code == code


def test_split_in_proportion_gives_the_cents_left_to_the_largest_remainders():
    assert rules.split_in_proportion(D("0.10"), [D("1.00"), D("1.00"), D("1.00")]) == [
        D("0.04"),
        D("0.03"),
        D("0.03"),
    ]


def test_buyer_balance_and_refunds():
    balance = invoice_rules.buyer_balance(
        total=D("120.00"), credited=D("20.00"), paid=D("120.00"), refunded=D("0.00")
    )
    assert balance == D("-20.00")
    assert rules.refund_refusal(balance=balance, amount=D("20.00"), refunded_on=1, today=1) is None
    assert rules.refund_refusal(balance=balance, amount=D("20.01"), refunded_on=1, today=1) == (
        "refund_above_credit",
        {"amount": D("20.01"), "owed": D("20.00")},
    )


def test_a_line_in_a_packaging_takes_back_its_base_units_too():
    cases = {
        **TWO_RATE_LINES[1],
        "quantity": 3,
        "unit": "case",
        "unit_price": "144.00",
        "net": "432.00",
        "base_quantity": 36,
        "base_unit": "piece",
    }
    taxes = [{"rate": "5.50", "base": "432.00", "amount": "23.76", "reason": ""}]
    credit = rules.credit_lines(left(lines=[cases], taxes=taxes, shipping="0"), {0: 2})
    assert [
        (line["quantity"], line["unit"], line["base_quantity"], line["base_unit"], line["net"])
        for line in credit.lines
    ] == [(2, "case", 24, "piece", "288.00")]
    assert "base_quantity" not in rules.credit_lines(left(), {1: 1}).lines[0]
