"""Back-office order entry (issue 18, point 7): priced and placed by the storefront's own
functions, in the buyer's name, by the staff user who typed it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comptoir.accounts.permissions import VIEWER
from comptoir.catalog.models import Packaging, TaxClass
from comptoir.ordering.models import CartLine, Order
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.sales.tests.test_attribution import viewer
from tests.factories import PriceEntryFactory, ProductFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def entry_url(company):
    return reverse("admin:sales_order_entry", args=[company.pk])


def entry(client, company, buyer, lines, *, place=False, key="k-1", **extra):
    data = {"buyer": buyer.pk, "lines": lines, "key": key, **extra}
    if place:
        data["place"] = "1"
    return client.post(entry_url(company), data)


def test_the_page_prices_as_the_storefront_does(rep_client, shop):
    response = entry(rep_client, shop.company, shop.buyer, "SCR-100 120\nMNL-1 2")
    quote = response.context["quote"]
    assert [(line.product.sku, line.unit_price, line.net) for line in quote.lines] == [
        ("SCR-100", Decimal("3.50"), Decimal("420.00")),
        ("MNL-1", Decimal("12.00"), Decimal("24.00")),
    ]
    assert (quote.shipping_total, quote.tax_total, quote.total) == (
        Decimal("15.00"),
        Decimal("88.32"),
        Decimal("547.32"),
    )
    assert "547,32" in response.content.decode() or "547.32" in response.content.decode()
    assert 'name="place"' in response.content.decode()


def test_an_entered_order_equals_the_storefront_order_of_the_same_buyer(rep_client, rep, shop):
    entry(
        rep_client,
        shop.company,
        shop.buyer,
        "SCR-100 120\nMNL-1 2",
        place=True,
        shipping_method="STD",
        payment_method="PO",
        po_number="PHONE-7",
    )
    entered = Order.objects.get()
    cart_add_lines(viewer=viewer(shop.buyer), rows=[(1, "SCR-100", 120), (2, "MNL-1", 2)])
    own = order_place(
        viewer=viewer(shop.buyer),
        request=CheckoutRequest(shipping_method="STD", payment_method="PO", po_number="WEB-1"),
    ).order
    for order in (entered, own):
        assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
            Decimal("444.00"),
            Decimal("15.00"),
            Decimal("88.32"),
            Decimal("547.32"),
        )
    assert (entered.buyer, entered.placed_by, entered.po_number) == (shop.buyer, rep, "PHONE-7")
    assert own.placed_by is None


def test_placing_leaves_the_buyer_s_own_cart_alone(rep_client, shop):
    cart_add_lines(viewer=viewer(shop.buyer), rows=[(1, "DRL-1", 1)])
    response = entry(
        rep_client,
        shop.company,
        shop.buyer,
        "SCR-100 120",
        place=True,
        payment_method="PO",
        po_number="PHONE-8",
    )
    order = Order.objects.get()
    assert response["Location"] == reverse("admin:ordering_order_change", args=[order.pk])
    assert [line.product.sku for line in CartLine.objects.filter(cart__buyer=shop.buyer)] == [
        "DRL-1"
    ]


def test_a_repeated_submission_places_one_order(rep_client, shop):
    for _attempt in range(2):
        entry(
            rep_client,
            shop.company,
            shop.buyer,
            "SCR-100 120",
            place=True,
            payment_method="TRANSFER",
        )
    assert Order.objects.count() == 1


def test_rule_errors_are_shown_and_block_the_order(rep_client, shop):
    response = entry(rep_client, shop.company, shop.buyer, "GLV-12 5", place=True)
    text = response.content.decode()
    assert not Order.objects.exists()
    assert 'name="place"' not in text
    assert "multiple" in text


def test_unknown_and_bad_lines_are_named(rep_client, shop):
    response = entry(rep_client, shop.company, shop.buyer, "NOPE-1 2\nSCR-100 x", place=True)
    problems = response.context["problems"]
    assert problems == [
        "line 1: unknown SKU NOPE-1",
        "line 2: SCR-100 — the quantity must be a whole number from 1 to 1,000,000",
    ]
    assert not Order.objects.exists()


def test_another_company_is_not_found(rep_client, globex):
    assert rep_client.get(entry_url(globex)).status_code == 404
    buyer = globex.users.get()
    assert entry(rep_client, globex, buyer, "SCR-100 120", place=True).status_code == 404
    assert not Order.objects.exists()


def test_a_buyer_of_another_company_is_not_a_choice(rep_client, shop, globex):
    response = entry(rep_client, shop.company, globex.users.get(), "SCR-100 120", place=True)
    assert "buyer" in response.context["form"].errors
    assert not Order.objects.exists()


def test_staff_without_the_right_is_refused(client, shop):
    clerk = StaffUserFactory(email="clerk@comptoir.example")
    clerk.user_permissions.add(Permission.objects.get(codename="view_company"))
    client.force_login(clerk)
    assert client.get(entry_url(shop.company)).status_code == 403


def test_the_merchant_enters_orders_for_any_company(admin_client, admin_user, globex):
    buyer = globex.users.get()
    response = entry(
        admin_client,
        globex,
        buyer,
        "SCR-100 120",
        place=True,
        payment_method="PO",
        po_number="PHONE-9",
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.company, order.buyer, order.placed_by) == (globex, buyer, admin_user)


def test_the_buyer_s_role_still_decides(rep_client, shop):
    shop.buyer.role = VIEWER
    shop.buyer.save()
    response = entry(rep_client, shop.company, shop.buyer, "SCR-100 120", place=True)
    assert response.context["problems"] == ["Your role does not allow you to place orders."]
    assert 'name="place"' not in response.content.decode()
    assert not Order.objects.exists()


def test_the_confirmation_e_mail_names_the_representative(
    rep_client, shop, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        entry(
            rep_client,
            shop.company,
            shop.buyer,
            "SCR-100 120",
            place=True,
            payment_method="TRANSFER",
        )
    assert [message.to for message in mailoutbox] == [[shop.buyer.email]]
    assert "Placed by Anne Martin for Acme Outillage." in mailoutbox[0].body


@pytest.fixture
def plugs(shop):
    """PAL-1 at 0.4537 a piece, sold by the case of 144 too (a crate of 500 switched off)."""
    product = ProductFactory(
        sku="PAL-1", name="Wall plugs", unit="piece", stock=10_000, tax_class=TaxClass.STANDARD
    )
    PriceEntryFactory(
        price_list=shop.store.base_price_list, product=product, price=Decimal("0.4537")
    )
    case = Packaging.objects.create(product=product, unit="case", factor=144)
    Packaging.objects.create(product=product, unit="crate", factor=500, enabled=False)
    return product, case


def test_packaged_lines_are_priced_and_placed_in_their_packaging(rep_client, shop, plugs):
    product, case = plugs
    response = entry(rep_client, shop.company, shop.buyer, "PAL-1 2 case\nSCR-100 10")
    (packaged, plain) = response.context["quote"].lines
    # 0.4537 × 144 = 65.3328 a case; 2 cases = 130.6656 → 130.67
    assert (packaged.quantity, packaged.packaging, packaged.base_quantity) == (2, case, 288)
    assert (packaged.unit_price, packaged.net) == (Decimal("65.3328"), Decimal("130.67"))
    assert (plain.quantity, plain.packaging, plain.net) == (10, None, Decimal("39.00"))
    assert "2\u00a0cases (288\u00a0pieces)" in response.content.decode()

    placed = entry(
        rep_client,
        shop.company,
        shop.buyer,
        "PAL-1 2 case\nSCR-100 10",
        place=True,
        shipping_method="STD",
        payment_method="PO",
        po_number="PHONE-8",
    )

    assert placed.status_code == 302, placed.context["problems"]
    order = Order.objects.get()
    line = order.lines.get(sku="PAL-1")
    assert (line.quantity, line.unit, line.base_quantity, line.unit_price, line.net) == (
        2,
        "case",
        288,
        Decimal("65.3328"),
        Decimal("130.67"),
    )
    product.refresh_from_db()
    assert product.stock == 10_000 - 288


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            "PAL-1 2 pallet",
            "line 1: PAL-1 — PAL-1 is not sold in pallet: choose one of piece, case.",
        ),
        ("PAL-1 2 crate", "line 1: PAL-1 — PAL-1: the packaging crate is not offered."),
        ("PAL-1 2 case\nPAL-1 5", "line 2: PAL-1 is already entered in another unit"),
    ],
)
def test_bad_units_are_named_and_nothing_is_placed(rep_client, shop, plugs, lines, problem):
    response = entry(rep_client, shop.company, shop.buyer, lines, place=True)
    assert problem in response.context["problems"]
    assert not Order.objects.exists()


def test_an_entered_line_without_packaging_keeps_its_idempotency_fingerprint():
    old = CheckoutRequest(payment_method="PO", items=((7, 3),))
    assert CheckoutRequest(payment_method="PO", items=((7, 3, None),)).fingerprint() == (
        old.fingerprint()
    )
    assert CheckoutRequest(payment_method="PO", items=((7, 3, 9),)).fingerprint() != (
        old.fingerprint()
    )
