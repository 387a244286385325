"""Request, offer, answer and expiry of quotes, with literal figures and bad inputs."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.quotes import selectors
from comptoir.quotes.models import Quote, QuoteEvent, QuoteLine
from comptoir.quotes.offers import (
    LineOffer,
    Terms,
    quote_add_line,
    quote_cancel,
    quote_remove_line,
    quote_send,
    quote_set_line,
    quote_set_terms,
)
from comptoir.quotes.services import (
    QuoteRequest,
    quote_accept,
    quote_mark_ordered,
    quote_reject,
    quote_request,
    quote_request_from_cart,
    quote_request_from_text,
    quote_revise,
    quotes_expire,
)
from tests.factories import AddressFactory, CompanyFactory, UserFactory, create_order

DAY = datetime.timedelta(days=1)


def _lines(quote):
    return {
        line.sku: line
        for line in selectors.current_round(selectors.full_quote(quote.pk)).lines.all()
    }


def _offer(quote, clerk, today, *, price="7.1234", **terms):
    """The clerk quotes 7.1234 for the screws, keeps today's price for the gloves, sends."""
    screws = _lines(quote)["SCR-100"]
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=screws.pk,
        offer=LineOffer(quantity=37, quoted_unit_price=Decimal(price)),
    )
    quote_set_terms(
        quote_id=quote.pk,
        actor=clerk,
        terms=Terms(expires_on=today + 30 * DAY, message="Valid for the whole year.", **terms),
    )
    return quote_send(quote_id=quote.pk, actor=clerk)


def test_a_request_is_numbered_and_keeps_todays_prices(requested, shop, today):
    assert requested.number == f"DEV-{today.year}-000001"
    assert requested.state == "requested"
    assert requested.location == shop.company.locations.get()
    lines = _lines(requested)
    # Group PRO pays 3.90 for screws (from 1); gloves are 3.3333 a case on the base list.
    assert [(sku, line.quantity, line.list_unit_price) for sku, line in lines.items()] == [
        ("SCR-100", 37, Decimal("3.9000")),
        ("GLV-12", 24, Decimal("3.3333")),
    ]
    first = selectors.current_round(selectors.full_quote(requested.pk))
    assert first.buyer_message == "Best price for a yearly contract?"
    assert list(requested.events.values_list("action", "to_state")) == [("requested", "requested")]


def test_numbers_follow_each_other(viewer, requested, today):
    again = quote_request(viewer=viewer, request=QuoteRequest(rows=[("MNL-1", 2)]))
    assert again.number == f"DEV-{today.year}-000002"


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([], "quote_empty"),
        ([("SCR-100", 0)], "invalid_quantity"),
        ([("SCR-100", "12x")], "invalid_quantity"),
        ([("SCR-100", 1_000_001)], "invalid_quantity"),
        ([("SCR-100", True)], "invalid_quantity"),
        ([("SCR-100", 2.5)], "invalid_quantity"),
        ([("NOPE-1", 3), ("SCR-100", 3)], "unknown_sku"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(viewer, rows, code):
    with pytest.raises(BusinessRuleError) as refused:
        quote_request(viewer=viewer, request=QuoteRequest(rows=rows))
    assert refused.value.code == code
    assert Quote.objects.count() == 0


def test_a_past_wished_date_is_refused(viewer, today):
    with pytest.raises(BusinessRuleError) as refused:
        quote_request(
            viewer=viewer,
            request=QuoteRequest(rows=[("SCR-100", 3)], wished_delivery_date=today - DAY),
        )
    assert refused.value.code == "date_in_past"


def test_another_companys_exclusive_product_is_an_unknown_sku(viewer, shop):
    from comptoir.catalog.models import Visibility
    from tests.factories import ProductFactory

    other = CompanyFactory(code="BETA", group=shop.group)
    ProductFactory(sku="BETA-ONLY", visibility=Visibility.COMPANIES, visible_companies=[other])
    with pytest.raises(BusinessRuleError) as refused:
        quote_request(viewer=viewer, request=QuoteRequest(rows=[("beta-only", 3)]))
    assert refused.value.errors == [
        {"sku": "beta-only", "code": "unknown_sku", "message": "Unknown SKU beta-only."}
    ]


def test_a_viewer_may_not_request_quotes(shop):
    reader = UserFactory(company=shop.company, role="viewer")
    with pytest.raises(BusinessRuleError) as refused:
        quote_request(
            viewer=viewer_for(get_store(), reader), request=QuoteRequest(rows=[("SCR-100", 3)])
        )
    assert refused.value.code == "permission_denied"


def test_from_quick_order_text_and_from_the_cart(viewer, client, shop):
    quote = quote_request_from_text(viewer=viewer, text="scr-100 40\nGLV-12;36\n")
    assert [(line.sku, line.quantity) for line in _lines(quote).values()] == [
        ("SCR-100", 40),
        ("GLV-12", 36),
    ]
    with pytest.raises(BusinessRuleError) as refused:
        quote_request_from_text(viewer=viewer, text="SCR-100 4 boxes")
    assert refused.value.code == "invalid_quantity"

    client.force_login(shop.buyer)
    client.post("/cart/lines/MNL-1/", {"qty": "3"})
    from_cart = quote_request_from_cart(viewer=viewer, message="For the Lyon site")
    assert [(line.sku, line.quantity) for line in _lines(from_cart).values()] == [("MNL-1", 3)]


def test_the_merchant_offer_is_sent_and_the_buyer_mailed(
    requested, clerk, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = _offer(requested, clerk, today, shipping_price=Decimal("15.00"))

    assert sent.state == "sent"
    lines = _lines(sent)
    assert lines["SCR-100"].unit_price == Decimal("7.1234")
    assert lines["GLV-12"].unit_price == Decimal("3.3333")
    assert list(sent.events.values_list("action", "to_state")) == [
        ("requested", "requested"),
        ("review", "in_review"),
        ("edited", "in_review"),
        ("send", "sent"),
    ]
    assert all(e.actor == clerk for e in sent.events.all()[1:])
    (message,) = mail.outbox
    assert message.to == ["achats@acme.example"]
    assert message.subject == f"Your quote {sent.number} is ready"
    assert "SCR-100: 37 × 7.1234 = 263.57 EUR" in message.body
    assert f"/account/quotes/{sent.number}/" in message.body


def test_the_estimate_adds_tax_on_the_quoted_prices(requested, clerk, today):
    sent = _offer(requested, clerk, today, shipping_price=Decimal("15.00"))
    quote = selectors.full_quote(sent.pk)

    estimate = selectors.quote_estimate(quote, selectors.offer_in_force(quote))

    # 7.1234 × 37 = 263.57; 3.3333 × 24 = 80.00; shipping 15.00, all at 20 %:
    # (263.57 + 80.00 + 15.00) × 20 % = 71.714 -> 71.71; total 430.28.
    assert [line.net for line in estimate.lines] == [Decimal("263.57"), Decimal("80.00")]
    assert (estimate.subtotal, estimate.shipping_total, estimate.tax_total, estimate.total) == (
        Decimal("343.57"),
        Decimal("15.00"),
        Decimal("71.71"),
        Decimal("430.28"),
    )


def test_sending_needs_an_expiry_a_price_and_the_rules_kept_or_waived(viewer, clerk, today):
    quote = quote_request(viewer=viewer, request=QuoteRequest(rows=[("POR-1", 5), ("GLV-12", 7)]))
    with pytest.raises(BusinessRuleError) as refused:
        quote_send(quote_id=quote.pk, actor=clerk)
    assert [(e.get("sku") or e.get("field"), e["code"]) for e in refused.value.errors] == [
        ("expires_on", "expiry_required"),
        ("POR-1", "quote_line_unpriced"),
        ("GLV-12", "qty_below_minimum"),
        ("GLV-12", "qty_not_multiple"),
    ]
    assert Quote.objects.get(pk=quote.pk).state == "requested"

    lines = _lines(quote)
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=lines["POR-1"].pk,
        offer=LineOffer(quantity=5, quoted_unit_price=Decimal("120.00")),
    )
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=lines["GLV-12"].pk,
        offer=LineOffer(quantity=7, waive_min_qty=True, waive_qty_step=True),
    )
    quote_set_terms(quote_id=quote.pk, actor=clerk, terms=Terms(expires_on=today))
    assert quote_send(quote_id=quote.pk, actor=clerk).state == "sent"


@pytest.mark.parametrize(
    ("offer", "code"),
    [
        (LineOffer(quantity=0), "invalid_quantity"),
        (
            LineOffer(quantity=3, quoted_unit_price=Decimal("1.5"), discount_percent=Decimal(5)),
            "price_and_discount",
        ),
        (LineOffer(quantity=3, quoted_unit_price=Decimal("-1")), "invalid_price"),
        (LineOffer(quantity=3, quoted_unit_price=Decimal("1.23456")), "invalid_price"),
        (LineOffer(quantity=3, discount_percent=Decimal("100.5")), "invalid_percent"),
    ],
)
def test_bad_offers_are_refused(requested, clerk, offer, code):
    line = _lines(requested)["SCR-100"]
    with pytest.raises(BusinessRuleError) as refused:
        quote_set_line(quote_id=requested.pk, actor=clerk, line_id=line.pk, offer=offer)
    assert refused.value.code == code
    assert QuoteLine.objects.get(pk=line.pk).quoted_unit_price is None
    assert Quote.objects.get(pk=requested.pk).state == "requested"


def test_lines_are_added_and_removed(requested, clerk):
    added = quote_add_line(
        quote_id=requested.pk, actor=clerk, sku="mnl-1", offer=LineOffer(quantity=4)
    )
    assert (added.sku, added.list_unit_price) == ("MNL-1", Decimal("12.0000"))
    with pytest.raises(BusinessRuleError) as refused:
        quote_add_line(quote_id=requested.pk, actor=clerk, sku="NOPE", offer=LineOffer(quantity=4))
    assert refused.value.code == "unknown_sku"
    quote_remove_line(quote_id=requested.pk, actor=clerk, line_id=_lines(requested)["GLV-12"].pk)
    assert list(_lines(requested)) == ["SCR-100", "MNL-1"]


def test_the_buyer_accepts_once_and_the_prices_are_fixed(requested, clerk, today, viewer):
    _offer(requested, clerk, today)

    accepted = quote_accept(viewer=viewer, number=requested.number)

    assert accepted.state == "accepted"
    with pytest.raises(BusinessRuleError) as again:
        quote_accept(viewer=viewer, number=requested.number)
    assert again.value.code == "quote_not_open"
    screws, gloves = selectors.accepted_quote_prices(selectors.full_quote(accepted.pk))
    assert (screws.sku, screws.unit_price, screws.gross, screws.net) == (
        "SCR-100",
        Decimal("7.1234"),
        Decimal("263.57"),
        Decimal("263.57"),
    )
    assert [(s.step, s.source) for s in screws.steps] == [("quote", requested.number)]
    assert (gloves.unit_price, gloves.gross) == (Decimal("3.3333"), Decimal("80.00"))


def test_an_ordered_quote_cannot_be_accepted(requested, clerk, today, viewer, shop):
    _offer(requested, clerk, today)
    quote_accept(viewer=viewer, number=requested.number)
    order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 37, Decimal("7.1234"))],
    )
    quote_mark_ordered(quote_id=requested.pk, order=order, actor=shop.buyer)

    with pytest.raises(BusinessRuleError) as refused:
        quote_accept(viewer=viewer, number=requested.number)
    assert refused.value.code == "quote_not_open"
    assert Quote.objects.get(pk=requested.pk).order == order


def test_past_its_expiry_a_sent_quote_cannot_be_accepted(requested, clerk, today, viewer):
    _offer(requested, clerk, today)
    Quote.objects.filter(pk=requested.pk).update(expires_on=today - DAY)

    with pytest.raises(BusinessRuleError) as refused:
        quote_accept(viewer=viewer, number=requested.number)
    assert refused.value.code == "quote_expired"
    assert Quote.objects.get(pk=requested.pk).state == "sent"

    assert quotes_expire(day=today) == 1
    assert quotes_expire(day=today) == 0
    assert Quote.objects.get(pk=requested.pk).state == "expired"
    with pytest.raises(BusinessRuleError) as again:
        quote_reject(viewer=viewer, number=requested.number)
    assert again.value.code == "quote_expired"
    assert QuoteEvent.objects.filter(quote=requested, action="expire", actor=None).count() == 1


def test_the_expiry_keeps_quotes_valid_today(requested, clerk, today):
    _offer(requested, clerk, today)
    Quote.objects.filter(pk=requested.pk).update(expires_on=today)
    assert quotes_expire(day=today) == 0
    assert quotes_expire(day=today + DAY) == 1


def test_a_revision_opens_a_new_round_and_keeps_the_last(requested, clerk, today, viewer):
    _offer(requested, clerk, today)
    with pytest.raises(BusinessRuleError) as refused:
        quote_revise(viewer=viewer, number=requested.number, message="  ")
    assert refused.value.code == "message_required"

    revised = quote_revise(viewer=viewer, number=requested.number, message="7.00 for 37?")

    assert revised.state == "revision_requested"
    quote = selectors.full_quote(revised.pk)
    first, second = quote.rounds.all()
    assert first.sent_at is not None and second.sent_at is None
    assert second.buyer_message == "7.00 for 37?"
    assert [(line.sku, line.unit_price) for line in first.lines.all()] == [
        ("SCR-100", Decimal("7.1234")),
        ("GLV-12", Decimal("3.3333")),
    ]
    assert [(line.sku, line.quoted_unit_price, line.unit_price) for line in second.lines.all()] == [
        ("SCR-100", Decimal("7.1234"), None),
        ("GLV-12", None, None),
    ]
    _offer(revised, clerk, today, price="7.0000")
    screws = _lines(revised)["SCR-100"]
    assert (screws.unit_price, Quote.objects.get(pk=revised.pk).state) == (
        Decimal("7.0000"),
        "sent",
    )


def test_reject_and_cancel(requested, clerk, today, viewer):
    _offer(requested, clerk, today)
    assert (
        quote_reject(viewer=viewer, number=requested.number, message="Too dear").state == "rejected"
    )
    with pytest.raises(BusinessRuleError) as refused:
        quote_cancel(quote_id=requested.pk, actor=clerk)
    assert refused.value.code == "quote_not_open"

    other = quote_request(viewer=viewer, request=QuoteRequest(rows=[("SCR-100", 3)]))
    assert quote_cancel(quote_id=other.pk, actor=clerk, message="Discontinued").state == "cancelled"


def test_a_sent_quote_is_no_longer_edited(requested, clerk, today):
    _offer(requested, clerk, today)
    with pytest.raises(BusinessRuleError) as refused:
        quote_set_terms(quote_id=requested.pk, actor=clerk, terms=Terms(expires_on=today))
    assert refused.value.code == "quote_not_open"


def test_another_companys_quote_is_not_found(requested, shop):
    other = CompanyFactory(code="BETA", group=shop.group)
    AddressFactory(company=other, code="MAIN")
    stranger = viewer_for(get_store(), UserFactory(company=other, email="achats@beta.example"))
    with pytest.raises(BusinessRuleError) as refused:
        quote_accept(viewer=stranger, number=requested.number)
    assert refused.value.code == "not_found"


def test_the_daily_task_expires_yesterdays_quotes(requested, clerk, today):
    from comptoir.quotes.tasks import daily_quote_expiry

    _offer(requested, clerk, today)
    Quote.objects.filter(pk=requested.pk).update(expires_on=today - DAY)

    assert daily_quote_expiry.call() == {"day": today.isoformat(), "expired": 1}
    assert Quote.objects.get(pk=requested.pk).state == "expired"


def test_the_buyer_is_mailed_in_their_language(
    requested, clerk, today, shop, django_capture_on_commit_callbacks
):
    type(shop.buyer).objects.filter(pk=shop.buyer.pk).update(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _offer(requested, clerk, today)
    (message,) = mail.outbox
    assert message.subject == f"Votre devis {requested.number} est prêt"
    assert "SCR-100\u00a0: 37 × 7,1234 = 263,57 EUR" in message.body
    assert "Total estimé, TVA comprise\u00a0:" in message.body
