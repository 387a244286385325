"""A cart bought by the case goes through approval in cases and is ordered in cases: the
approval keeps the packaging, its page and e-mail say "2 cases (288 pieces)", and the order
takes 288 pieces from stock."""

from decimal import Decimal

from django.core import mail

from comptoir.approvals.services import approval_approve
from comptoir.approvals.tests.conftest import submit, viewer
from comptoir.catalog.models import Packaging
from tests.factories import PriceEntryFactory, ProductFactory


def test_a_packaged_line_is_approved_and_ordered_in_its_packaging(
    team, client, immediate_tasks, django_capture_on_commit_callbacks
):
    plugs = ProductFactory(sku="PAL-1", name="Wall plugs", unit="piece", stock=1000)
    base = team.shop.store.base_price_list
    PriceEntryFactory(price_list=base, product=plugs, price=Decimal("1.2500"))
    Packaging.objects.create(product=plugs, unit="case", factor=144)
    with django_capture_on_commit_callbacks(execute=True):
        approval = submit(team.requester, ("PAL-1", "2 case"))
    # 1.25 × 144 = 180.00 a case; 2 cases 360.00 (over 300: approval)
    line = approval.lines.get()
    assert (line.quantity, line.packaging.unit, line.unit_price) == (2, "case", Decimal("180"))
    assert "2\xa0cases (288\xa0pieces)" in mail.outbox[-1].body
    client.force_login(team.approver)
    page = client.get(f"/account/approvals/{approval.number}/").content.decode()
    assert "2\xa0cases (288\xa0pieces)" in page

    decided = approval_approve(viewer=viewer(team.approver), number=approval.number, note="")
    placed = decided.order.lines.get()
    assert (placed.quantity, placed.unit, placed.base_quantity) == (2, "case", 288)
    assert placed.gross == Decimal("360.00")
    plugs.refresh_from_db()
    assert plugs.stock == 1000 - 288
