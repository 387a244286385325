"""The order back office: status only through the service, read-only snapshot, CSV export."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from comptoir.catalog.models import Product
from comptoir.ordering.models import (
    GroupOrderRule,
    Order,
    OrderLine,
    OrderStatus,
    OrderTaxLine,
    PaymentStatus,
)
from tests.factories import (
    CompanyFactory,
    GroupOrderRuleFactory,
    ProductFactory,
    StaffUserFactory,
    create_order,
)

CHANGELIST = reverse("admin:ordering_order_changelist")
UTC = datetime.UTC


def change_url(order):
    return reverse("admin:ordering_order_change", args=(order.pk,))


def status_url(order):
    return reverse("admin:ordering_order_set_status", args=(order.pk,))


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


class _OrderForm(HTMLParser):
    """The fields a browser submits from the order's change form (inputs and selects)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.data = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == "order_form"
        if not self.in_form:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") not in {"submit", "button"}:
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and ("selected" in attrs):
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self._select = None


def form_data(response):
    parser = _OrderForm()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


@pytest.fixture
def screws(store):
    return ProductFactory(sku="SCR-4X40", name="Wood screws 4 × 40 mm", stock=100)


def make_order(product, quantity=24, **kwargs):
    return create_order(
        company=kwargs.pop("company", None) or CompanyFactory(),
        items=[(product, quantity, Decimal("9.50"))],
        **kwargs,
    )


# The change page


def test_status_and_totals_are_read_only_and_lines_cannot_be_added_or_deleted(admin_client, screws):
    order = make_order(screws, number="CMD-2026-000123")
    response = admin_client.get(change_url(order))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<select name="status"' not in content
    assert '<select name="payment_status"' in content
    for field in ("total", "subtotal", "tax_total", "number", "placed_at"):
        assert f'name="{field}"' not in content
    assert 'name="lines-0-quantity"' not in content
    assert 'name="tax_lines-0-rate"' not in content
    assert "lines-0-DELETE" not in content
    assert "add-row" not in content
    assert "SCR-4X40" in content
    assert "228.00" in content

    data = form_data(response)
    assert data["payment_status"] == PaymentStatus.UNPAID
    data.update(
        {
            "status": OrderStatus.CANCELLED,
            "payment_status": PaymentStatus.PAID,
            "total": "1.00",
            "lines-0-quantity": "999",
            "lines-0-DELETE": "on",
            "lines-TOTAL_FORMS": "2",
            "lines-1-sku": "NEW",
            "lines-1-quantity": "1",
        }
    )
    response = admin_client.post(change_url(order), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PLACED, PaymentStatus.PAID)
    assert order.total == Decimal("291.60")
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("SCR-4X40", 24)]
    screws.refresh_from_db()
    assert screws.stock == 100


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        (OrderStatus.PLACED, ["confirmed", "shipped", "delivered", "cancelled"]),
        (OrderStatus.CONFIRMED, ["shipped", "delivered", "cancelled"]),
        (OrderStatus.SHIPPED, ["delivered", "cancelled"]),
        (OrderStatus.DELIVERED, []),
        (OrderStatus.CANCELLED, []),
    ],
)
def test_the_page_offers_the_statuses_the_order_may_move_to(admin_client, screws, status, buttons):
    order = make_order(screws, status=status)
    content = admin_client.get(change_url(order)).content.decode()
    offered = [
        value
        for value in OrderStatus.values
        if f'<button type="submit" name="status" value="{value}">' in content
    ]
    assert offered == buttons
    assert (status_url(order) in content) == bool(buttons)


def test_a_button_moves_the_order_on(admin_client, screws):
    order = make_order(screws, number="CMD-2026-000123")
    response = admin_client.post(status_url(order), {"status": "shipped"}, follow=True)
    assert response.redirect_chain == [(change_url(order), 302)]
    assert shown_messages(response) == ["1 order marked as “Shipped”."]
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    response = admin_client.post(status_url(order), {"status": "confirmed"}, follow=True)
    assert shown_messages(response) == [
        "Order CMD-2026-000123 is “Shipped”: it cannot go back to “Confirmed”."
    ]
    response = admin_client.post(status_url(order), {"status": "lost"}, follow=True)
    assert "“lost” is not an order status" in shown_messages(response)[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_the_cancel_button_asks_first_then_restores_stock(admin_client, screws):
    order = make_order(screws, 24, number="CMD-2026-000123")

    response = admin_client.post(status_url(order), {"status": "cancelled"})
    assert response.status_code == 200
    assert response.templates[0].name == "admin/ordering/order/cancel_confirmation.html"
    content = response.content.decode()
    assert "CMD-2026-000123 (Placed)" in content
    assert 'name="confirm"' in content
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED

    confirmed = {"status": "cancelled", "confirm": "1"}
    response = admin_client.post(status_url(order), confirmed, follow=True)
    assert response.redirect_chain == [(change_url(order), 302)]
    assert shown_messages(response) == ["1 order cancelled; the stock of its lines was restored."]
    order.refresh_from_db()
    screws.refresh_from_db()
    assert (order.status, screws.stock) == (OrderStatus.CANCELLED, 124)

    response = admin_client.post(status_url(order), confirmed, follow=True)
    assert shown_messages(response) == ["Order CMD-2026-000123 is already “Cancelled”."]
    screws.refresh_from_db()
    assert screws.stock == 124


def test_the_status_page_takes_posts_only_and_needs_the_change_permission(
    admin_client, client, screws
):
    order = make_order(screws)
    assert admin_client.get(status_url(order)).status_code == 405
    response = admin_client.post(
        reverse("admin:ordering_order_set_status", args=(987654,)), {"status": "shipped"}
    )
    assert response.status_code == 302

    viewer = StaffUserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    assert client.get(change_url(order)).status_code == 200
    assert status_url(order) not in client.get(change_url(order)).content.decode()
    assert client.post(status_url(order), {"status": "shipped"}).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


# Actions


def run_action(admin_client, action, orders, url=CHANGELIST, **extra):
    return admin_client.post(
        url,
        {"action": action, "_selected_action": [order.pk for order in orders], **extra},
        follow=True,
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_confirmed", OrderStatus.CONFIRMED),
        ("mark_shipped", OrderStatus.SHIPPED),
        ("mark_delivered", OrderStatus.DELIVERED),
    ],
)
def test_mark_actions_move_the_allowed_orders_and_report_the_others(
    admin_client, screws, action, status
):
    placed = [make_order(screws, number=f"CMD-2026-00000{n}") for n in (1, 2)]
    delivered = make_order(screws, number="CMD-2026-000003", status=OrderStatus.DELIVERED)
    cancelled = make_order(screws, number="CMD-2026-000004", status=OrderStatus.CANCELLED)

    response = run_action(admin_client, action, [*placed, delivered, cancelled])

    assert response.status_code == 200
    label = OrderStatus(status).label
    assert shown_messages(response) == [
        f"2 orders marked as “{label}”.",
        "2 orders were left unchanged: "
        + (
            "Order CMD-2026-000003 is already “Delivered”."
            if status == OrderStatus.DELIVERED
            else "Order CMD-2026-000003 is “Delivered”: its status can no longer change."
        )
        + " Order CMD-2026-000004 is “Cancelled”: its status can no longer change.",
    ]
    statuses = dict(Order.objects.values_list("number", "status"))
    assert statuses == {
        "CMD-2026-000001": status,
        "CMD-2026-000002": status,
        "CMD-2026-000003": OrderStatus.DELIVERED,
        "CMD-2026-000004": OrderStatus.CANCELLED,
    }
    screws.refresh_from_db()
    assert screws.stock == 100


def test_cancel_action_asks_first_then_restores_stock_once(admin_client, screws):
    gloves = ProductFactory(sku="GLV-NIT-9", stock=0)
    first = create_order(
        company=CompanyFactory(),
        items=[(screws, 24, Decimal("9.50")), (gloves, 12, Decimal("3.10"))],
        number="CMD-2026-000001",
    )
    second = make_order(screws, 6, number="CMD-2026-000002", status=OrderStatus.SHIPPED)
    delivered = make_order(screws, 50, number="CMD-2026-000003", status=OrderStatus.DELIVERED)
    selected = [first, second, delivered]

    response = run_action(admin_client, "cancel", selected)
    assert response.templates[0].name == "admin/ordering/order/cancel_confirmation.html"
    content = response.content.decode()
    assert "These 2 orders will be cancelled" in content
    assert "CMD-2026-000001 (Placed)" in content
    assert "CMD-2026-000002 (Shipped)" in content
    assert "Order CMD-2026-000003 is “Delivered”: its status can no longer change." in content
    for order in selected:
        assert f'name="_selected_action" value="{order.pk}"' in content
    assert Order.objects.filter(status=OrderStatus.CANCELLED).count() == 0

    response = run_action(admin_client, "cancel", selected, confirm="1")
    assert shown_messages(response) == [
        "2 orders cancelled; the stock of their lines was restored.",
        "1 order was left unchanged: "
        "Order CMD-2026-000003 is “Delivered”: its status can no longer change.",
    ]
    stock = dict(Product.objects.values_list("sku", "stock"))
    assert stock == {"SCR-4X40": 100 + 24 + 6, "GLV-NIT-9": 12}

    response = run_action(admin_client, "cancel", selected, confirm="1")
    messages = shown_messages(response)
    assert len(messages) == 1
    assert messages[0].startswith("3 orders were left unchanged: ")
    assert dict(Product.objects.values_list("sku", "stock")) == stock

    response = run_action(admin_client, "cancel", [first, second])
    assert "None of the selected orders can be cancelled" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


def test_actions_apply_to_all_the_filtered_orders_when_selected_across(admin_client, screws):
    placed = [make_order(screws, 1) for _ in range(3)]
    shipped = make_order(screws, 1, status=OrderStatus.SHIPPED)
    url = f"{CHANGELIST}?status__exact=placed"

    response = run_action(admin_client, "cancel", placed[:1], url=url, select_across="1")
    assert "These 3 orders will be cancelled" in response.content.decode()
    assert 'name="select_across" value="1"' in response.content.decode()

    response = run_action(
        admin_client, "cancel", placed[:1], url=url, select_across="1", confirm="1"
    )
    assert shown_messages(response) == [
        "3 orders cancelled; the stock of their lines was restored."
    ]
    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.SHIPPED
    screws.refresh_from_db()
    assert screws.stock == 103


def test_a_view_only_user_may_export_but_not_change_statuses(client, screws):
    order = make_order(screws)
    viewer = StaffUserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "export_csv"]
    response = client.post(CHANGELIST, {"action": "mark_shipped", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_the_changelist_offers_the_actions(admin_client, screws):
    make_order(screws)
    response = admin_client.get(CHANGELIST)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert {key: str(label) for key, label in choices.items() if key} == {
        "mark_confirmed": "Mark as confirmed",
        "mark_shipped": "Mark as shipped",
        "mark_delivered": "Mark as delivered",
        "cancel": "Cancel (restores stock)",
        "export_csv": "Export selected orders as CSV",
    }


# Export


def test_export_action_streams_the_selected_orders_as_csv(admin_client, screws):
    company = CompanyFactory(code="DUPONT", name="Dupont Quincaillerie SAS")
    chosen = make_order(
        screws,
        company=company,
        number="CMD-2026-000001",
        placed_at=datetime.datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
        po_number="PO-4471",
    )
    make_order(screws, number="CMD-2026-000002")

    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    assert b"".join(response.streaming_content).decode() == (
        "order_number,placed_at,status,payment_status,company_code,company_name,po_number,"
        "payment_method,shipping_method,currency,sku,name,quantity,unit_price,gross,discount,"
        "net,tax_rate,order_subtotal,order_discount,order_shipping,order_tax,order_total\n"
        "CMD-2026-000001,2026-03-14T10:30:00+01:00,placed,unpaid,DUPONT,"
        "Dupont Quincaillerie SAS,PO-4471,BANK,STD,EUR,SCR-4X40,Wood screws 4 × 40 mm,24,9.50,"
        "228.00,0.00,228.00,20.00,228.00,0.00,15.00,48.60,291.60\n"
    )


def test_export_action_queries_do_not_grow_with_the_orders(
    admin_client, screws, django_assert_max_num_queries
):
    def export_all():
        response = admin_client.post(
            CHANGELIST,
            {"action": "export_csv", "select_across": "1", "_selected_action": [first.pk]},
        )
        return b"".join(response.streaming_content).decode()

    first = make_order(screws)
    with django_assert_max_num_queries(8) as one:
        assert len(export_all().splitlines()) == 2
    for _ in range(49):
        make_order(screws)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(export_all().splitlines()) == 51


# The list


def test_search_and_filters(admin_client, screws):
    dupont = CompanyFactory(code="DUPONT", name="Dupont Quincaillerie SAS")
    mueller = CompanyFactory(code="MUELLER", name="Müller Werkzeuge GmbH")
    first = make_order(
        screws,
        company=dupont,
        number="CMD-2026-000001",
        po_number="PO-4471",
        placed_at=datetime.datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
    )
    second = make_order(
        screws,
        company=mueller,
        number="CMD-2026-000002",
        status=OrderStatus.SHIPPED,
        payment_status=PaymentStatus.PAID,
        placed_at=datetime.datetime(2026, 4, 2, 9, 30, tzinfo=UTC),
    )

    def found(query):
        response = admin_client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        return {order.number for order in response.context["cl"].result_list}

    assert found("q=CMD-2026-000002") == {second.number}
    assert found("q=DUPONT") == {first.number}
    assert found("q=Werkzeuge") == {second.number}
    assert found("q=PO-4471") == {first.number}
    assert found("status__exact=shipped") == {second.number}
    assert found("payment_status__exact=unpaid") == {first.number}
    assert found("placed_at__gte=2026-04-01+00:00:00%2B00:00") == {second.number}
    assert found("o=6") == {first.number, second.number}  # by line count


def test_the_other_ordering_models_are_still_registered(admin_client, screws):
    order = make_order(screws)
    GroupOrderRuleFactory(product=screws)
    for model in (GroupOrderRule, OrderLine, OrderTaxLine):
        url = reverse(f"admin:ordering_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200
    line = order.lines.get()
    assert (
        admin_client.get(reverse("admin:ordering_orderline_change", args=(line.pk,))).status_code
        == 200
    )


# Money as money


def cell_texts(content, css_class):
    """The text of every read-only cell or field with Django's class `field-<name>`."""
    import re

    pattern = rf'<(?:td|div) class="[^"]*field-{css_class}\b[^"]*">\s*(?:<p>)?([^<]*)'
    return [text.strip() for text in re.findall(pattern, content)]


def test_the_order_page_shows_unit_prices_rates_and_amounts_as_money(admin_client, screws):
    gloves = ProductFactory(sku="GLV-12", stock=100)
    order = create_order(
        company=CompanyFactory(),
        items=[(screws, 10, Decimal("8.4900")), (gloves, 3, Decimal("6.9913"))],
        volume_percent=Decimal("2.5000"),
    )

    content = admin_client.get(change_url(order)).content.decode()

    assert cell_texts(content, "unit_price") == ["8.49", "6.9913"]
    assert cell_texts(content, "gross") == ["84.90", "20.97"]
    assert cell_texts(content, "volume_percent") == ["2.5\u00a0%", "2.5\u00a0%"]
    assert cell_texts(content, "tax_rate") == ["20\u00a0%", "20\u00a0%"]
    assert cell_texts(content, "rate") == ["20\u00a0%"]
    assert "8.4900" not in content
    assert "20.0000" not in content


def test_the_line_and_tax_line_lists_show_money(admin_client, screws):
    create_order(company=CompanyFactory(), items=[(screws, 10, Decimal("8.4900"))])

    lines = admin_client.get(reverse("admin:ordering_orderline_changelist")).content.decode()
    taxes = admin_client.get(reverse("admin:ordering_ordertaxline_changelist")).content.decode()

    assert cell_texts(lines, "unit_price") == ["8.49"]
    assert cell_texts(lines, "tax_rate") == ["20\u00a0%"]
    assert cell_texts(taxes, "rate") == ["20\u00a0%"]


def test_in_french_the_order_page_writes_money_the_french_way(admin_client, screws):
    order = create_order(
        company=CompanyFactory(), items=[(screws, 3, Decimal("6.9913"))], tax_rate=Decimal("5.5")
    )

    with translation.override("fr"):
        url = change_url(order)

    content = admin_client.get(url).content.decode()

    assert cell_texts(content, "unit_price") == ["6,9913"]
    assert cell_texts(content, "gross") == ["20,97"]
    assert cell_texts(content, "tax_rate") == ["5,5\u00a0%"]
