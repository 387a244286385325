"""Requisition lists: lines from everywhere, shared or private, today's prices and rules, and
back to the cart through the quick-order path."""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import VIEWER
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.customers.models import Location
from comptoir.lists import services
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.lists.selectors import list_lines, list_quote, visible_list, visible_lists
from comptoir.ordering.models import CartLine
from comptoir.ordering.services import cart_add_lines
from tests.factories import CompanyFactory, UserFactory


def viewer(user):
    return viewer_for(get_store(), user)


def weekly(shop, user=None, **kwargs):
    return services.list_create(viewer=viewer(user or shop.buyer), name="Weekly restock", **kwargs)


def test_a_list_gathers_rows_adds_up_repeated_skus_and_reports_bad_rows(shop):
    restock = weekly(shop)

    results = services.list_add_lines(
        viewer=viewer(shop.buyer),
        requisition_list=restock,
        rows=[
            (1, "scr-100", "120", "for the Lyon site"),
            (2, "MNL-1", 2),
            (3, "NOPE-1", 1),
            (4, "MNL-1", "x"),
            (5, "SCR-100", 0),
            (6, "SCR-100", 30),
        ],
    )

    assert [(r.row, r.status, r.code) for r in results] == [
        (1, "added", None),
        (2, "added", None),
        (3, "error", "unknown_sku"),
        (4, "error", "invalid_quantity"),
        (5, "error", "invalid_quantity"),
        (6, "added", None),
    ]
    assert [(line.product.sku, line.quantity, line.note) for line in list_lines(restock)] == [
        ("SCR-100", 150, "for the Lyon site"),
        ("MNL-1", 2, ""),
    ]


def test_a_list_shows_today_s_prices_and_the_cart_s_messages(shop):
    restock = weekly(shop)
    services.list_add_lines(
        viewer=viewer(shop.buyer),
        requisition_list=restock,
        rows=[(1, "SCR-100", 120), (2, "GLV-12", 5), (3, "MNL-1", 9)],
    )

    quote = list_quote(viewer(shop.buyer), list_lines(restock))

    assert [(line.product.sku, line.unit_price, line.net) for line in quote.lines] == [
        ("SCR-100", Decimal("3.5000"), Decimal("420.00")),
        ("GLV-12", Decimal("3.3333"), Decimal("16.67")),
        ("MNL-1", Decimal("12.0000"), Decimal("108.00")),
    ]
    assert quote.lines[1].messages == [
        "GLV-12 is sold from 12: 5 is too few.",
        "GLV-12 is sold by 12: 5 is not a multiple; 12?",
    ]
    assert quote.lines[2].messages == ["Only 5 of MNL-1 in stock: 9 requested."]


def test_list_to_cart_goes_through_the_quick_order_path_rules_included(shop):
    restock = weekly(shop)
    services.list_add_lines(
        viewer=viewer(shop.buyer),
        requisition_list=restock,
        rows=[(1, "SCR-100", 120), (2, "MNL-1", 9)],
    )
    cart_add_lines(viewer=viewer(shop.buyer), rows=[(1, "SCR-100", 10)])

    results = services.list_to_cart(viewer=viewer(shop.buyer), requisition_list=restock)

    assert [(r.sku, r.status) for r in results] == [("SCR-100", "added"), ("MNL-1", "added")]
    assert dict(CartLine.objects.values_list("product__sku", "quantity")) == {
        "SCR-100": 130,
        "MNL-1": 9,
    }
    # The broken rule (5 in stock) is the cart's to report, as for any quick order.
    assert ListLine.objects.count() == 2


def test_list_to_cart_takes_only_the_chosen_lines_and_hides_what_became_invisible(shop):
    restock = weekly(shop)
    services.list_add_lines(
        viewer=viewer(shop.buyer),
        requisition_list=restock,
        rows=[(1, "SCR-100", 120), (2, "MNL-1", 2), (3, "GLV-12", 24)],
    )
    glove = shop.products["GLV-12"]
    glove.active = False
    glove.save()

    chosen = services.list_to_cart(
        viewer=viewer(shop.buyer), requisition_list=restock, skus=["mnl-1", "GLV-12"]
    )

    assert [(r.sku, r.status, r.code, r.message) for r in chosen] == [
        ("MNL-1", "added", None, None),
        ("GLV-12", "error", "unavailable", "GLV-12 is no longer available."),
    ]
    assert list(CartLine.objects.values_list("product__sku", flat=True)) == ["MNL-1"]
    quote = list_quote(viewer(shop.buyer), list_lines(restock))
    unavailable = quote.lines[2]
    assert unavailable.priced is None
    assert [v.code for v in unavailable.violations] == ["not_purchasable"]


def test_private_lists_stay_private_and_shared_ones_are_seen_where_they_should(shop, colleague):
    lyon = Location.objects.get(company=shop.company)
    nantes = Location.objects.create(company=shop.company, code="NANTES", name="Nantes")
    colleague.all_locations = False
    colleague.save()
    colleague.locations.set([nantes])
    private = weekly(shop)
    company = services.list_create(viewer=viewer(shop.buyer), name="Consumables", sharing="company")
    at_lyon = services.list_create(
        viewer=viewer(shop.buyer), name="Lyon site", sharing="location", location=lyon.code
    )
    at_nantes = services.list_create(
        viewer=viewer(shop.buyer), name="Nantes site", sharing="location", location="nantes"
    )
    stranger = UserFactory(company=CompanyFactory(group=shop.group))

    assert set(visible_lists(viewer(shop.buyer))) == {private, company, at_lyon, at_nantes}
    assert set(visible_lists(viewer(colleague))) == {company, at_nantes}
    assert visible_list(viewer(colleague), private.pk) is None
    assert visible_list(viewer(colleague), at_lyon.pk) is None
    assert visible_list(viewer(stranger), company.pk) is None
    assert visible_list(viewer(colleague), "not-a-number") is None
    # A colleague changes the lines of a shared list, not its name or sharing.
    services.list_add_lines(
        viewer=viewer(colleague), requisition_list=company, rows=[(1, "MNL-1", 1)]
    )
    with pytest.raises(BusinessRuleError) as refused:
        services.list_update(viewer=viewer(colleague), requisition_list=company, name="Mine")
    assert refused.value.code == "permission_denied"


def test_bad_names_sharings_and_locations_are_refused_and_write_nothing(shop):
    weekly(shop)
    for kwargs, code in (
        ({"name": "  "}, "invalid_name"),
        ({"name": "x" * 121}, "invalid_name"),
        ({"name": "WEEKLY RESTOCK"}, "name_taken"),
        ({"name": "Other", "sharing": "everyone"}, "invalid_sharing"),
        ({"name": "Other", "sharing": "location", "location": "PARIS"}, "unknown_location"),
        ({"name": "Other", "sharing": "location"}, "unknown_location"),
    ):
        with pytest.raises(BusinessRuleError) as refused:
            services.list_create(viewer=viewer(shop.buyer), **kwargs)
        assert refused.value.code == code, kwargs
    assert RequisitionList.objects.count() == 1


def test_a_role_without_manage_lists_keeps_no_list(shop):
    shop.buyer.role = VIEWER
    shop.buyer.save()
    with pytest.raises(BusinessRuleError) as refused:
        weekly(shop)
    assert refused.value.code == "permission_denied"


def test_save_the_cart_as_a_list_then_copy_and_move_lines(shop):
    cart_add_lines(viewer=viewer(shop.buyer), rows=[(1, "SCR-100", 120), (2, "MNL-1", 2)])
    saved = services.list_from_cart(viewer=viewer(shop.buyer), name="From the cart")
    other = services.list_create(viewer=viewer(shop.buyer), name="Site B")

    services.list_copy_lines(
        viewer=viewer(shop.buyer), source=saved, target=other, skus=["SCR-100"]
    )
    services.list_copy_lines(
        viewer=viewer(shop.buyer), source=saved, target=other, skus=["MNL-1"], move=True
    )

    assert [(line.product.sku, line.quantity) for line in list_lines(saved)] == [("SCR-100", 120)]
    assert [(line.product.sku, line.quantity) for line in list_lines(other)] == [
        ("SCR-100", 120),
        ("MNL-1", 2),
    ]
    assert CartLine.objects.count() == 2  # the cart stays
    with pytest.raises(BusinessRuleError):
        services.list_copy_lines(viewer=viewer(shop.buyer), source=other, target=other, skus=[])


def test_set_and_remove_a_line(shop):
    restock = weekly(shop)
    services.list_add_lines(
        viewer=viewer(shop.buyer), requisition_list=restock, rows=[(1, "SCR-100", 120)]
    )
    services.list_set_line(
        viewer=viewer(shop.buyer), requisition_list=restock, sku="scr-100", quantity=60, note="Lyon"
    )
    assert ListLine.objects.values_list("quantity", "note").get() == (60, "Lyon")
    with pytest.raises(BusinessRuleError) as refused:
        services.list_set_line(
            viewer=viewer(shop.buyer), requisition_list=restock, sku="SCR-100", quantity=-1
        )
    assert refused.value.code == "invalid_quantity"
    with pytest.raises(BusinessRuleError) as refused:
        services.list_set_line(
            viewer=viewer(shop.buyer), requisition_list=restock, sku="NOPE", quantity=1
        )
    assert refused.value.code == "not_found"
    services.list_set_line(
        viewer=viewer(shop.buyer), requisition_list=restock, sku="SCR-100", quantity=0
    )
    assert not ListLine.objects.exists()


def test_repeated_rows_add_up_to_at_most_a_million(shop):
    restock = weekly(shop)
    services.list_add_lines(
        viewer=viewer(shop.buyer),
        requisition_list=restock,
        rows=[(1, "SCR-100", 1_000_000), (2, "SCR-100", 1_000_000)],
    )
    assert ListLine.objects.get().quantity == 1_000_000
    services.list_add_lines(
        viewer=viewer(shop.buyer), requisition_list=restock, rows=[(1, "SCR-100", 5)]
    )
    assert ListLine.objects.get().quantity == 1_000_000


def test_a_user_manager_manages_a_shared_list_once_its_owner_has_left(shop, colleague):
    shop.buyer.role = "admin"
    shop.buyer.save()
    shared = services.list_create(viewer=viewer(colleague), name="Team", sharing="company")
    with pytest.raises(BusinessRuleError):
        services.list_delete(viewer=viewer(shop.buyer), requisition_list=shared)
    colleague.is_active = False
    colleague.save()
    shared = visible_list(viewer(shop.buyer), shared.pk)
    services.list_delete(viewer=viewer(shop.buyer), requisition_list=shared)
    assert not RequisitionList.objects.exists()
