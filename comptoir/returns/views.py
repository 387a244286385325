"""Returns on the storefront (routed in `comptoir/storefront/urls.py`): the request from a
delivered order's page, the return's page, its photo and the buyer's withdrawal. Seeing a
return follows its order (403 in one's own company, 404 for another's); asking for one or
withdrawing it needs `place_orders`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptoir.accounts.permissions import PLACE_ORDERS
from comptoir.core.errors import BusinessRuleError
from comptoir.returns import selectors, services
from comptoir.returns.forms import ReturnForm
from comptoir.storefront.views.buying import account_required, visible_order
from comptoir.tax.forms import DocumentSizeLimit


def _require_buyer(viewer):
    if not viewer.access.allows(PLACE_ORDERS):
        raise PermissionDenied(_("Your role does not allow you to return goods."))


def _own_return(request, number: str):
    found = selectors.company_return(request.viewer.company, number)
    if found is None:
        raise Http404(_("No such return."))
    visible_order(request.viewer, found.order.number)  # 403 beyond the role or locations
    return found


@csrf_exempt  # the upload guard must be in place before the CSRF check reads the body...
@require_http_methods(["GET", "POST"])
@account_required
def return_new(request, number: str):
    if request.method == "POST":
        request.upload_handlers.insert(0, DocumentSizeLimit(request))
    return _return_new(request, number)


@csrf_protect  # ...which happens here
def _return_new(request, number: str):
    viewer = request.viewer
    order = visible_order(viewer, number)
    _require_buyer(viewer)
    held = services.held_quantities(order)
    form = ReturnForm(
        request.POST or None,
        request.FILES or None,
        lines=list(order.lines.all()),
        held=held,
        too_large=getattr(request, "upload_too_large", False),
    )
    if request.method == "POST" and form.is_valid():
        ask = services.ReturnAsk(
            quantities=form.quantities(),
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            photo=form.cleaned_data["photo"],
            photo_type=form.photo_type,
        )
        try:
            created = services.return_request(viewer=viewer, order_number=order.number, ask=ask)
        except BusinessRuleError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Return %(number)s is requested: we will tell you our answer by e-mail.")
                % {"number": created.number},
            )
            return redirect("storefront:return", number=created.number)
    return render(request, "returns/return_new.html", {"order": order, "form": form})


@never_cache
@require_GET
@account_required
def return_page(request, number: str):
    found = _own_return(request, number)
    return render(
        request,
        "returns/return_page.html",
        {
            "request_": found,
            "may_cancel": found.state in ("requested", "accepted")
            and request.viewer.access.allows(PLACE_ORDERS),
            "sees_invoices": request.viewer.sees_invoices,
        },
    )


@require_POST
@account_required
def return_cancel(request, number: str):
    viewer = request.viewer
    found = _own_return(request, number)
    _require_buyer(viewer)
    try:
        services.return_cancel(viewer=viewer, request=found)
    except BusinessRuleError as refused:
        messages.error(request, refused.message)
    return redirect("storefront:return", number=found.number)


@never_cache
@require_GET
@account_required
def return_photo(request, number: str):
    return photo_response(_own_return(request, number))


def photo_response(found) -> FileResponse:
    """The return's photo, typed as checked when it was sent; served, never run."""
    if not found.photo:
        raise Http404(_("This return has no photo."))
    try:
        photo = found.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The photo file is missing from the storage.")) from exc
    response = FileResponse(photo, content_type=found.photo_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline" if found.photo_type else "attachment"
    return response
