"""What a French buyer reads (issue 13, point 12): selling units in French with their plural,
"TVA", a no-break space before the colon and the percent sign, dates that no reader can take
for another day, and invoices that state the late-payment penalties and the 40 € fee."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail

from comptoir.ordering.models import Order
from comptoir.ordering.tasks import send_order_confirmation
from comptoir.payments.models import Invoice

from .conftest import place
from .test_invoice_pages import pdf_text

NBSP = "\N{NO-BREAK SPACE}"
NNBSP = "\N{NARROW NO-BREAK SPACE}"
PLACED_AT = datetime.datetime(2026, 12, 6, 10, 15, tzinfo=datetime.UTC)


def one_line(text: str) -> str:
    """The text with its line breaks (a PDF's, an HTML page's) as single spaces."""
    return re.sub(r"\s*\n\s*| {2,}", " ", text)


@pytest.fixture
def order(shop):
    """120 cases of screws and 2 binders (pieces) on 30-day terms, placed on 6 December 2026
    and invoiced that day, due on 5 January 2027."""
    for sku, unit in (("SCR-100", "case"), ("MNL-1", "piece")):
        shop.products[sku].unit = unit
        shop.products[sku].save()
    shop.buyer.language = "fr"
    shop.buyer.save()
    order = place(shop, ("SCR-100", 120), ("MNL-1", 2), payment="INVOICE30")
    Order.objects.filter(pk=order.pk).update(placed_at=PLACED_AT)
    Invoice.objects.filter(pk=order.invoice.pk).update(
        issued_on=datetime.date(2026, 12, 6), due_on=datetime.date(2027, 1, 5)
    )
    order.refresh_from_db()
    return order


def test_units_tax_and_dates_on_the_french_order_page(client, shop, order):
    client.force_login(shop.buyer)
    page = client.get(f"/fr/orders/{order.number}/").content.decode()
    assert f"120{NBSP}cartons" in page
    assert f"2{NBSP}pièces" in page
    assert f"TVA 20{NBSP}%" in page
    assert f"TVA 5,5{NBSP}%" in page
    assert "Taxe" not in page
    assert "6 décembre 2026, 11:15" in page  # Paris time


def test_the_english_order_page_names_its_units_too(client, shop, order):
    client.force_login(shop.buyer)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert f"120{NBSP}cases" in page
    assert f"2{NBSP}pieces" in page
    assert "6 Dec 2026, 11:15" in page


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_lists_show_iso_dates_in_both_languages(client, shop, order, prefix):
    client.force_login(shop.buyer)
    orders = client.get(f"{prefix}/orders/").content.decode()
    account = client.get(f"{prefix}/account/").content.decode()
    assert "<td>2026-12-06</td>" in orders
    assert "<td>2026-12-06</td>" in account  # issued
    assert "<td>2027-01-05</td>" in account  # due
    for ambiguous in ("06/12/2026", "12/06/2026", "12/6/2026", "01/05/2027", "05/01/2027"):
        assert ambiguous not in orders + account


def test_the_french_invoice_page(client, shop, order):
    client.force_login(shop.buyer)
    page = client.get(f"/fr/invoices/{order.invoice.number}/").content.decode()
    for text in (
        "<dd>6 décembre 2026</dd>",
        "<dd>5 janvier 2027</dd>",
        f"120{NBSP}cartons",
        f"TVA 20{NBSP}%",
        f"Pénalités de retard{NBSP}: taux de refinancement de la BCE majoré de 10{NBSP}points, "
        "exigibles dès le lendemain de la date d’échéance.",
        "Indemnité forfaitaire pour frais de recouvrement due par le professionnel en retard "
        f"de paiement{NBSP}: 40,00{NBSP}€ (art. L441-10 du Code de commerce).",
    ):
        assert text in page, text
    assert "Taxe" not in page


def test_the_french_invoice_pdf(client, shop, order):
    client.force_login(shop.buyer)
    text = pdf_text(client.get(f"/fr/invoices/{order.invoice.number}.pdf"))
    for expected in (
        f"Date{NBSP}: 6 décembre 2026",
        f"Date d’échéance{NBSP}: 5 janvier 2027",
        f"TVA 20{NBSP}% (base 435,00) 87,00",
        "Total (EUR) 547,32",
    ):
        assert expected in text, expected
    # Wrapped text keeps its no-break spaces from breaking lines, and draws them as spaces.
    wrapped = one_line(text)
    for expected in (
        "SCR-100 Wood screws 4x40 120 cartons 3,50 420,00 20 %",
        "MNL-1 Safety binder 2 pièces 12,00 24,00 5,5 %",
        "Pas d’escompte pour paiement anticipé.",
        "Pénalités de retard : taux de refinancement de la BCE majoré de 10 points, "
        "exigibles dès le lendemain de la date d’échéance.",
        "Indemnité forfaitaire pour frais de recouvrement due par le professionnel en retard "
        "de paiement : 40,00 € (art. L441-10 du Code de commerce).",
    ):
        assert expected in wrapped, expected
    assert "Taxe" not in text


def test_an_english_invoice_of_a_french_seller_states_the_late_payment_terms(client, shop, order):
    client.force_login(shop.buyer)
    page = client.get(f"/invoices/{order.invoice.number}/").content.decode()
    text = pdf_text(client.get(f"/invoices/{order.invoice.number}.pdf"))
    assert "<dd>6 Dec 2026</dd>" in page
    assert "Due date: 5 Jan 2027" in text
    for document in (page, text):
        assert "No discount for early payment." in one_line(document)
        assert (
            "Late payment: penalties at the ECB refinancing rate plus 10 points, "
            "from the day after the due date."
        ) in one_line(document)
        assert (
            "Fixed compensation for recovery costs owed by a business that pays late: "
            "€40.00 (French Commercial Code, art. L441-10)."
        ) in one_line(document)


def test_the_store_s_penalty_rate_is_copied_onto_its_invoices(client, shop):
    shop.store.late_payment_penalty_rate = Decimal("12.15")
    shop.store.save()
    invoice = place(shop, ("SCR-100", 120), payment="INVOICE30").invoice
    shop.store.late_payment_penalty_rate = Decimal("15.00")  # later invoices only
    shop.store.save()
    assert (invoice.late_payment_penalty_rate, invoice.recovery_fee) == (
        Decimal("12.15"),
        Decimal("40.00"),
    )
    client.force_login(shop.buyer)
    text = one_line(pdf_text(client.get(f"/fr/invoices/{invoice.number}.pdf")))
    assert (
        "Pénalités de retard : 12,15 % par an, exigibles dès le lendemain de la date d’échéance."
        in text
    )
    page = client.get(f"/invoices/{invoice.number}/").content.decode()
    assert (
        f"Late payment: penalties at 12.15{NBSP}% a year, from the day after the due date." in page
    )


def test_a_seller_outside_france_prints_no_late_payment_terms(client, shop):
    shop.store.country = "BE"
    shop.store.late_payment_penalty_rate = Decimal("8.00")
    shop.store.save()
    invoice = place(shop, ("SCR-100", 120), payment="INVOICE30").invoice
    assert (invoice.late_payment_penalty_rate, invoice.recovery_fee) == (None, None)
    client.force_login(shop.buyer)
    page = client.get(f"/invoices/{invoice.number}/").content.decode()
    assert "Late payment" not in page
    assert "early payment" not in page
    assert "L441-10" not in pdf_text(client.get(f"/invoices/{invoice.number}.pdf"))


def test_the_french_confirmation_e_mail(shop, order):
    assert send_order_confirmation.call(order.pk) is True
    (message,) = mail.outbox
    body = message.body
    for line in (
        f"- SCR-100 Wood screws 4x40{NBSP}: 120{NBSP}cartons × 3,50 = 420,00{NBSP}EUR",
        f"- MNL-1 Safety binder{NBSP}: 2{NBSP}pièces × 12,00 = 24,00{NBSP}EUR",
        f"Sous-total{NBSP}: 444,00{NBSP}EUR",
        f"TVA 20{NBSP}%{NBSP}: 87,00{NBSP}EUR",
        f"TVA 5,5{NBSP}%{NBSP}: 1,32{NBSP}EUR",
        f"Total{NBSP}: 547,32{NBSP}EUR",
        f"Paiement{NBSP}: ",
    ):
        assert line in body, line
    assert "Taxe" not in body
    assert " :" not in body.replace(f"{NBSP}:", "")  # no breaking space before a colon


def test_the_english_confirmation_e_mail(shop, order):
    shop.buyer.language = "en"
    shop.buyer.save()
    assert send_order_confirmation.call(order.pk) is True
    body = mail.outbox[0].body
    assert f"- SCR-100 Wood screws 4x40: 120{NBSP}cases × 3.50 = 420.00 EUR" in body
    assert "Tax 20 %: 87.00 EUR" in body
    assert "Total: 547.32 EUR" in body


def test_french_amounts_group_digits_with_a_narrow_no_break_space(client, shop):
    shop.company.credit_limit = Decimal("12500.00")
    shop.company.save()
    client.force_login(shop.buyer)
    page = client.get("/fr/account/").content.decode()
    assert f"12{NNBSP}500,00{NBSP}€" in page
