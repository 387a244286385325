"""Reads of requisition lists: the lists a user sees, one list with its lines, and its lines
priced and checked as the cart would price and check them today."""

from django.db.models import Count, Q, QuerySet

from comptoir.accounts.access import Viewer
from comptoir.catalog.selectors import visible_products
from comptoir.lists import rules
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.ordering.quotes import CartQuote, quote_cart


def visible_lists(viewer: Viewer) -> QuerySet[RequisitionList]:
    """The caller's own lists and those shared with their company or a location of theirs
    (the rules of `rules.may_see`, as one query), with their number of lines."""
    if viewer.company is None or viewer.user is None:
        return RequisitionList.objects.none()
    access = viewer.access
    shared_location = Q(sharing=rules.LOCATION)
    if not access.all_locations:
        shared_location &= Q(location__in=access.location_ids)
    seen = Q(owner=viewer.user) | Q(sharing=rules.COMPANY) | shared_location
    return (
        RequisitionList.objects.filter(seen, company=viewer.company)
        .select_related("owner", "location", "entered_by")
        .annotate(line_count=Count("lines"))
        .order_by("name", "id")
    )


def visible_list(viewer: Viewer, list_id) -> RequisitionList | None:
    """One list the viewer sees; None for another company's, another user's private one or an
    unknown id (the three are not told apart)."""
    try:
        list_id = int(list_id)
    except (TypeError, ValueError):
        return None
    return visible_lists(viewer).filter(pk=list_id).first()


def list_lines(requisition_list: RequisitionList) -> list[ListLine]:
    return list(
        ListLine.objects.filter(requisition_list=requisition_list)
        .select_related("product__category", "packaging")
        .order_by("position", "id")
    )


def visible_product_ids(viewer: Viewer, product_ids: list[int]) -> set[int]:
    visible = visible_products(group=viewer.group, company=viewer.company)
    return set(visible.filter(pk__in=product_ids).values_list("pk", flat=True))


def list_quote(viewer: Viewer, lines: list[ListLine]) -> CartQuote:
    """The lines priced for the viewer today, with every rule each breaks, by `quote_cart`:
    the same figures and messages as the cart. A product the viewer may no longer see is
    neither priced nor described (`available` false)."""
    return quote_cart(
        viewer,
        [(line.product, line.quantity) for line in lines],
        packagings={line.product_id: line.packaging for line in lines if line.packaging_id},
    )
