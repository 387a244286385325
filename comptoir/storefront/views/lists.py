"""Requisition lists in the storefront (issue 18): the lists page, one list with today's
prices and the cart's messages, and the ways lines come in (a product page, the cart, an
order, quick-order text, a file) and go out (to the cart, to another list)."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.catalog.availability import Availability, availability
from comptoir.core.errors import BusinessRuleError
from comptoir.core.sku_lines import split_sku_lines
from comptoir.customers.models import Location
from comptoir.lists import rules, services
from comptoir.lists.json_views import is_available
from comptoir.lists.selectors import list_lines, list_quote, visible_list, visible_lists
from comptoir.ordering.services import parse_cart_csv
from comptoir.storefront.views.buying import QUICK_ORDER_FILE_LIMIT, refusing, visible_order

lists_required = refusing(services.list_refusal)


@dataclass(frozen=True)
class Stocked:
    """A line's stock label, in the shape `{% offer_availability %}` reads."""

    availability: Availability


"""A user of an approved company whose role keeps lists."""


def _found(request, list_id):
    found = visible_list(request.viewer, list_id)
    if found is None:
        raise Http404(_("No such list."))
    return found


def _locations(viewer) -> list[Location]:
    """The locations the user may share a list with: those they act for."""
    return [
        location
        for location in Location.objects.filter(company=viewer.company).order_by("position", "id")
        if viewer.access.covers(location.pk)
    ]


def _fail(request, refused: BusinessRuleError) -> None:
    for error in refused.errors or [{"message": refused.message}]:
        messages.error(request, error["message"])


def _added_to_list(count: int) -> str:
    return ngettext(
        "%(count)s line added to the list.", "%(count)s lines added to the list.", count
    ) % {"count": count}


def _added_to_cart(count: int) -> str:
    return ngettext(
        "%(count)s line added to the cart.", "%(count)s lines added to the cart.", count
    ) % {"count": count}


def _copied(count: int) -> str:
    return ngettext(
        "%(count)s line copied to the list.", "%(count)s lines copied to the list.", count
    ) % {"count": count}


def _moved(count: int) -> str:
    return ngettext(
        "%(count)s line moved to the list.", "%(count)s lines moved to the list.", count
    ) % {"count": count}


def _report(request, results, done) -> None:
    """One message for the rows that went in (`done(count)`), one per row that did not."""
    added = sum(1 for r in results if r.status == "added")
    if added:
        messages.success(request, done(added))
    for result in results:
        if result.status != "added":
            messages.warning(request, result.message)


@require_http_methods(["GET", "POST"])
@lists_required
def lists(request):
    """GET: the lists the user sees; POST: a new one."""
    viewer = request.viewer
    if request.method == "POST":
        try:
            created = services.list_create(
                viewer=viewer,
                name=request.POST.get("name", ""),
                sharing=request.POST.get("sharing", rules.PRIVATE),
                location=request.POST.get("location") or None,
            )
        except BusinessRuleError as refused:
            _fail(request, refused)
        else:
            return redirect("storefront:list", list_id=created.pk)
    return render(
        request,
        "storefront/lists.html",
        {"lists": visible_lists(viewer), "locations": _locations(viewer), "posted": request.POST},
    )


@require_http_methods(["GET", "POST"])
@lists_required
def requisition_list(request, list_id: int):
    """GET: the list, priced today; POST: rename or re-share it."""
    viewer = request.viewer
    found = _found(request, list_id)
    if request.method == "POST":
        try:
            services.list_update(
                viewer=viewer,
                requisition_list=found,
                name=request.POST.get("name", ""),
                sharing=request.POST.get("sharing", rules.PRIVATE),
                location=request.POST.get("location") or None,
            )
        except BusinessRuleError as refused:
            _fail(request, refused)
        else:
            messages.success(request, _("The list is saved."))
        return redirect("storefront:list", list_id=found.pk)
    lines = list_lines(found)
    quote = list_quote(viewer, lines)
    rows = [
        {
            "line": line,
            "quoted": quoted,
            "available": is_available(quoted),
            "stock": Stocked(availability(line.product.stock, line.product.backorder)),
        }
        for line, quoted in zip(lines, quote.lines, strict=True)
    ]
    others = [other for other in visible_lists(viewer) if other.pk != found.pk]
    return render(
        request,
        "storefront/list.html",
        {
            "list": found,
            "rows": rows,
            "quote": quote,
            "others": others,
            "locations": _locations(viewer),
            "manageable": rules.may_manage(
                found.facts, user_id=viewer.user.pk, access=viewer.access
            ),
        },
    )


@require_POST
@lists_required
def list_delete(request, list_id: int):
    found = _found(request, list_id)
    try:
        services.list_delete(viewer=request.viewer, requisition_list=found)
    except BusinessRuleError as refused:
        _fail(request, refused)
        return redirect("storefront:list", list_id=found.pk)
    messages.success(request, _("The list %(name)s is deleted.") % {"name": found.name})
    return redirect("storefront:lists")


@require_POST
@lists_required
def list_add(request, list_id: int):
    """Lines from quick-order text or a CSV file of sku,qty lines."""
    found = _found(request, list_id)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size > QUICK_ORDER_FILE_LIMIT:
                raise BusinessRuleError("invalid_file", _("The file is larger than 1 MB."))
            rows = parse_cart_csv(upload.read())
        else:
            rows = split_sku_lines(request.POST.get("lines", ""))
            if not rows:
                raise BusinessRuleError(
                    "invalid_file", _("Paste at least one line: a SKU and a quantity.")
                )
        results = services.list_add_lines(viewer=request.viewer, requisition_list=found, rows=rows)
    except BusinessRuleError as refused:
        _fail(request, refused)
    else:
        _report(request, results, _added_to_list)
    return redirect("storefront:list", list_id=found.pk)


@require_POST
@lists_required
def list_line(request, list_id: int, sku: str):
    """Change a line's quantity and note, or remove it."""
    found = _found(request, list_id)
    quantity = "0" if "remove" in request.POST else request.POST.get("qty", "").strip()
    try:
        services.list_set_line(
            viewer=request.viewer,
            requisition_list=found,
            sku=sku,
            quantity=quantity,
            note=request.POST.get("note"),
        )
    except BusinessRuleError as refused:
        _fail(request, refused)
    return redirect("storefront:list", list_id=found.pk)


@require_POST
@lists_required
def list_selected(request, list_id: int):
    """What to do with the ticked lines (none ticked: all of them for "to the cart")."""
    viewer = request.viewer
    found = _found(request, list_id)
    skus = request.POST.getlist("sku")
    action = request.POST.get("action")
    try:
        if action == "to_cart":
            results = services.list_to_cart(
                viewer=viewer, requisition_list=found, skus=skus or None
            )
            _report(request, results, _added_to_cart)
            return redirect("storefront:cart")
        if not skus:
            raise BusinessRuleError("nothing_chosen", _("Choose at least one line of the list."))
        if action == "remove":
            services.list_remove_lines(viewer=viewer, requisition_list=found, skus=skus)
        elif action in ("copy", "move"):
            target = visible_list(viewer, request.POST.get("target"))
            if target is None:
                raise BusinessRuleError("not_found", _("Choose the list to copy or move to."))
            results = services.list_copy_lines(
                viewer=viewer, source=found, target=target, skus=skus, move=action == "move"
            )
            _report(
                request,
                results,
                _copied if action == "copy" else _moved,
            )
        else:
            raise BusinessRuleError("invalid_request", _("Choose what to do with the lines."))
    except BusinessRuleError as refused:
        _fail(request, refused)
    return redirect("storefront:list", list_id=found.pk)


@require_POST
@lists_required
def list_from_cart(request):
    """Save the cart as a new list (the cart stays as it is)."""
    try:
        created = services.list_from_cart(
            viewer=request.viewer,
            name=request.POST.get("name", ""),
            sharing=request.POST.get("sharing", rules.PRIVATE),
            location=request.POST.get("location") or None,
        )
    except BusinessRuleError as refused:
        _fail(request, refused)
        return redirect("storefront:cart")
    messages.success(request, _("The cart is saved as the list %(name)s.") % {"name": created.name})
    return redirect("storefront:list", list_id=created.pk)


@require_POST
@lists_required
def list_collect(request):
    """From a product page (an SKU and a quantity) or an order page (its number): into a list
    chosen, or a new one named there."""
    viewer = request.viewer
    try:
        with transaction.atomic():
            target = _collecting_list(viewer, request.POST)
            number = request.POST.get("order")
            if number:
                order = visible_order(viewer, number)
                results = services.list_add_order(
                    viewer=viewer, requisition_list=target, order=order
                )
            else:
                row = (1, request.POST.get("sku", ""), request.POST.get("qty", "1"))
                results = services.list_add_lines(
                    viewer=viewer, requisition_list=target, rows=[row]
                )
    except BusinessRuleError as refused:
        _fail(request, refused)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = "storefront:lists"
        return redirect(back)
    _report(request, results, _added_to_list)
    return redirect("storefront:list", list_id=target.pk)


def _collecting_list(viewer, posted):
    """The list chosen, or a new private one of the name given."""
    name = posted.get("name", "").strip()
    if name:
        return services.list_create(viewer=viewer, name=name)
    target = visible_list(viewer, posted.get("list"))
    if target is None:
        raise BusinessRuleError("not_found", _("Choose a list, or name a new one."))
    return target
