"""The buyer's quote pages (storefront account area, routed in `comptoir/storefront/urls.py`):
ask for a quote, the list, one quote with every round, and the answer to an offer. Every
write goes through `quotes.services`, as the API's do."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptoir.accounts.permissions import REQUEST_QUOTES
from comptoir.core.errors import BusinessRuleError
from comptoir.quotes import selectors, services, states
from comptoir.quotes.forms import FROM_CART, QuoteAnswerForm, QuoteRequestForm
from comptoir.quotes.pdf import quote_pdf as quote_document

QUOTES_PER_PAGE = 20


def quoter_required(view):
    """A user of an approved company whose role may request quotes; others see why (403)."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        viewer = request.viewer
        refusal = viewer.company_refusal()
        if refusal is None and not viewer.access.allows(REQUEST_QUOTES):
            refusal = ("permission_denied", _("Your role does not allow you to request quotes."))
        if refusal is not None:
            return TemplateResponse(
                request, "storefront/permission_denied.html", {"reason": refusal[1]}, status=403
            )
        return view(request, *args, **kwargs)

    return checked


def _visible_quote(viewer, number: str):
    """404 for another company's quote or an unknown number, 403 for one of the company
    beyond the viewer's role or locations."""
    try:
        quote = selectors.company_quote(viewer, number)
    except BusinessRuleError as refused:
        raise PermissionDenied(refused.message) from None
    if quote is None:
        raise Http404(_("No such quote."))
    return quote


@require_GET
@quoter_required
def quotes(request):
    page = Paginator(selectors.company_quotes(request.viewer), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "quotes/quotes.html", {"page": page})


@require_http_methods(["GET", "POST"])
@quoter_required
def quote_new(request):
    """GET: the form (lines typed); POST: the request, from the cart or from the lines."""
    form = QuoteRequestForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["source"] == FROM_CART:
                quote = services.quote_request_from_cart(
                    viewer=request.viewer,
                    message=data["message"],
                    wished_delivery_date=data["wished_delivery_date"],
                )
            else:
                quote = services.quote_request_from_text(
                    viewer=request.viewer,
                    text=data["lines"],
                    message=data["message"],
                    wished_delivery_date=data["wished_delivery_date"],
                )
        except BusinessRuleError as refused:
            errors = refused.errors or [{"message": refused.message}]
        else:
            messages.success(
                request,
                _("Quote %(number)s is requested: the store will answer here and by e-mail.")
                % {"number": quote.number},
            )
            return redirect("storefront:quote", number=quote.number)
    status = 422 if request.method == "POST" else 200
    return render(request, "quotes/quote_new.html", {"form": form, "errors": errors}, status=status)


@require_GET
@quoter_required
def quote(request, number: str):
    found = _visible_quote(request.viewer, number)
    return render(request, "quotes/quote.html", _detail_context(request, found))


def _detail_context(request, found, **extra) -> dict:
    rounds = list(found.rounds.all())
    shown = selectors.offer_in_force(found)
    estimate = selectors.quote_estimate(found, shown) if shown else None
    names = {line.sku: line.name for line in shown.lines.all()} if shown else {}
    accepted = found.state == states.ACCEPTED
    waiting = selectors.waiting_approval(found) if accepted else None
    return {
        "quote": found,
        "rounds": rounds,
        "estimate": estimate,
        "offer": shown,
        "offer_lines": [(line, names[line.sku]) for line in estimate.lines] if estimate else [],
        "sees_prices": request.viewer.sees_prices,
        "actions": states.actions_for(found.state, states.BUYER),
        # Ordering is checkout's: its page shows the quote's lines and places the order.
        "may_order": waiting is None and accepted and request.viewer.may_order,
        "waiting_approval": waiting,
        **extra,
    }


@require_POST
@quoter_required
def quote_answer(request, number: str):
    """Accept, reject, or ask for a revision (with a message)."""
    found = _visible_quote(request.viewer, number)
    form = QuoteAnswerForm(request.POST)
    if not form.is_valid():
        error = _("Choose to accept, reject or ask for a revision.")
        return render(
            request, "quotes/quote.html", _detail_context(request, found, error=error), status=422
        )
    action, message = form.cleaned_data["action"], form.cleaned_data["message"]
    try:
        if action == states.ACCEPT:
            services.quote_accept(viewer=request.viewer, number=number)
            done = _("You accepted quote %(number)s.")
        elif action == states.REJECT:
            services.quote_reject(viewer=request.viewer, number=number, message=message)
            done = _("You rejected quote %(number)s.")
        else:
            services.quote_revise(viewer=request.viewer, number=number, message=message)
            done = _("Your request for a revision of quote %(number)s is sent.")
    except BusinessRuleError as refused:
        status = 409 if refused.code in (states.QUOTE_EXPIRED, states.QUOTE_NOT_OPEN) else 422
        return render(
            request,
            "quotes/quote.html",
            _detail_context(request, found, error=refused.message),
            status=status,
        )
    messages.success(request, done % {"number": number})
    return redirect("storefront:quote", number=number)


@require_GET
@quoter_required
def quote_pdf(request, number: str):
    """The PDF of the latest offer sent; 404 while none was sent."""
    found = _visible_quote(request.viewer, number)
    shown = selectors.offer_in_force(found)
    if shown is None:
        raise Http404(_("This quote has not been sent yet."))
    estimate = selectors.quote_estimate(found, shown)
    response = HttpResponse(quote_document(found, shown, estimate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{found.number}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
