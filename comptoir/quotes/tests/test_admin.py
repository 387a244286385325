"""The back office's quote page: today's price and its explanation per line, the offer edited
through the services, sent or refused with the reasons; the list's queries."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.quotes.models import Quote, QuoteLine
from comptoir.quotes.services import QuoteRequest, quote_request
from tests.test_admin import form_data


def change_url(quote):
    return reverse("admin:quotes_quote_change", args=[quote.pk])


def test_the_page_shows_todays_price_and_its_explanation(admin_client, requested):
    content = admin_client.get(change_url(requested)).content.decode()
    # Group PRO's list gives the screws at 3.90; the gloves sell by 12, 24 asked.
    assert "3.90" in content and "list_price PRO: group list, tier from 1" in content
    assert "list_price BASE" in content
    assert "Best price for a yearly contract?" in content
    assert 'name="lines-0-quoted_unit_price"' in content
    assert "Save and send to the buyer" in content


def test_an_offer_is_edited_and_sent_from_the_page(
    admin_client, requested, today, django_capture_on_commit_callbacks
):
    page = admin_client.get(change_url(requested))
    data = form_data(page, Quote)
    until = today + datetime.timedelta(days=30)
    data |= {
        "expires_on": until.isoformat(),
        "shipping_price": "15.00",
        "message": "Our yearly price.",
        "lines-0-quoted_unit_price": "7.1234",
        "lines-1-discount_percent": "10",
        "_send_quote": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(requested), data, follow=True)

    assert response.status_code == 200
    assert f"Quote {requested.number} is sent to the buyer." in response.content.decode()
    quote = Quote.objects.get(pk=requested.pk)
    sent = quote.rounds.get()
    assert (quote.state, quote.expires_on, sent.expires_on, sent.shipping_price) == (
        "sent",
        until,
        until,
        Decimal("15.00"),
    )
    lines = {line.sku: line for line in QuoteLine.objects.filter(quote=quote)}
    assert lines["SCR-100"].unit_price == Decimal("7.1234")
    # 3.3333 − 10 % = 2.99997 -> 3.0000 (4 decimals, half-up).
    assert lines["GLV-12"].unit_price == Decimal("3.0000")
    assert [m.subject for m in mail.outbox] == [f"Your quote {quote.number} is ready"]
    assert quote.rounds.get().merchant_message == "Our yearly price."


def test_a_refused_send_says_why_and_keeps_the_quote(admin_client, viewer, today):
    quote = quote_request(viewer=viewer, request=QuoteRequest(rows=[("POR-1", 3)]))
    data = form_data(admin_client.get(change_url(quote)), Quote) | {"_send_quote": "1"}

    content = admin_client.post(change_url(quote), data, follow=True).content.decode()

    assert "The quote cannot be sent yet." in content
    assert "Set the date the quote is valid until." in content
    assert "POR-1 has no price today: quote a unit price." in content
    assert Quote.objects.get(pk=quote.pk).state == "requested"


def test_a_price_and_a_discount_together_are_a_form_error(admin_client, requested):
    data = form_data(admin_client.get(change_url(requested)), Quote) | {
        "lines-0-quoted_unit_price": "7.00",
        "lines-0-discount_percent": "5",
    }
    response = admin_client.post(change_url(requested), data)
    assert response.status_code == 200
    assert "Give a quoted price or a discount, not both." in response.content.decode()
    assert QuoteLine.objects.get(quote=requested, sku="SCR-100").quoted_unit_price is None


def test_a_sent_quote_is_read_only(admin_client, requested, today):
    data = form_data(admin_client.get(change_url(requested)), Quote) | {
        "expires_on": (today + datetime.timedelta(days=3)).isoformat(),
        "_send_quote": "1",
    }
    admin_client.post(change_url(requested), data)
    content = admin_client.get(change_url(requested)).content.decode()
    assert 'name="lines-0-quoted_unit_price"' not in content
    assert 'name="expires_on"' not in content
    assert "Save and send to the buyer" not in content
    assert "Cancel the quote" in content


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_a_fixed_number_of_queries(
    admin_client, viewer, count, django_assert_max_num_queries
):
    for _n in range(count):
        quote_request(viewer=viewer, request=QuoteRequest(rows=[("SCR-100", 3)]))
    url = reverse("admin:quotes_quote_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("DEV-") >= count


def test_the_list_filters_by_state_and_expiry_and_searches(admin_client, requested, viewer):
    url = reverse("admin:quotes_quote_changelist")
    assert requested.number in admin_client.get(url, {"state": "requested"}).content.decode()
    assert requested.number not in admin_client.get(url, {"state": "sent"}).content.decode()
    assert requested.number in admin_client.get(url, {"expiry": "none"}).content.decode()
    assert requested.number not in admin_client.get(url, {"expiry": "past"}).content.decode()
    assert requested.number in admin_client.get(url, {"q": "acme"}).content.decode()


def test_a_line_is_added_by_sku_and_a_bad_one_refused(admin_client, requested):
    data = form_data(admin_client.get(change_url(requested)), Quote)
    data |= {
        "lines-TOTAL_FORMS": "3",
        "lines-2-add_sku": "mnl-1",
        "lines-2-quantity": "4",
        "lines-2-quoted_unit_price": "11.50",
    }
    response = admin_client.post(change_url(requested), data, follow=True)
    assert response.status_code == 200
    added = QuoteLine.objects.get(quote=requested, sku="MNL-1")
    assert (added.quantity, added.quoted_unit_price, added.list_unit_price) == (
        4,
        Decimal("11.5000"),
        Decimal("12.0000"),
    )

    data = form_data(admin_client.get(change_url(requested)), Quote)
    data |= {"lines-TOTAL_FORMS": "4", "lines-3-add_sku": "NOPE-9", "lines-3-quantity": "2"}
    content = admin_client.post(change_url(requested), data, follow=True).content.decode()
    assert "NOPE-9 is not a product the buyer can see." in content
    assert QuoteLine.objects.filter(quote=requested).count() == 3


def test_the_change_page_costs_the_same_for_2_and_30_lines(
    admin_client, viewer, django_assert_max_num_queries
):
    from tests.factories import PriceEntryFactory, ProductFactory

    counts = []
    for size in (2, 30):
        products = [ProductFactory(sku=f"A{size}-{n}") for n in range(size)]
        for product in products:
            PriceEntryFactory(
                price_list=viewer.store.base_price_list, product=product, price=Decimal("2.50")
            )
        quote = quote_request(
            viewer=viewer, request=QuoteRequest(rows=[(p.sku, 2) for p in products])
        )
        admin_client.get(change_url(quote))
        with django_assert_max_num_queries(80) as captured:
            assert admin_client.get(change_url(quote)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
