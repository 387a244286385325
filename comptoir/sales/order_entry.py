"""Back-office order entry (issue 18, point 7): a phone order typed by the merchant or a
representative for one buyer of a company.

The lines are priced by `ordering.quotes.quote_cart` and placed by `ordering.placement.
order_place`, the storefront's own functions, in the buyer's name (their prices, rules, tax,
credit, permissions, budgets and approval rules) with the staff user recorded as
`Order.placed_by`. The buyer's own cart is not touched.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.accounts.access import viewer_for
from comptoir.catalog.packagings import split_quantity_unit
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.core.sku_lines import SkuLine, parse_quantity_text, split_sku_lines
from comptoir.customers.models import Address, Company, Location
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.quotes import address_destination, quote_cart
from comptoir.sales.rules import may_enter_orders
from comptoir.sales.selectors import actor_facts, company_buyers, entry_items, scoped

MAX_LINES = 500


class BuyerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} <{obj.email}> ({obj.role})"


class OrderEntryForm(forms.Form):
    buyer = BuyerChoiceField(label=gettext_lazy("Buyer"), queryset=None)
    lines = forms.CharField(
        label=gettext_lazy("Products and quantities"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 40, "placeholder": "SCR-100 24"}),
        help_text=gettext_lazy(
            "One product a line: its SKU, a quantity (1 if left out) and, for a packaging, "
            "its unit (SCR-100 3 case)."
        ),
    )
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("The buyer's first location"),
    )
    shipping_address = forms.ModelChoiceField(
        label=gettext_lazy("Shipping address"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("The location's address"),
    )
    shipping_method = forms.CharField(required=False, max_length=64)
    payment_method = forms.CharField(required=False, max_length=64)
    po_number = forms.CharField(label=gettext_lazy("PO number"), required=False, max_length=64)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = company_buyers(company.pk).filter(is_active=True)
        self.fields["location"].queryset = Location.objects.filter(company=company)
        self.fields["shipping_address"].queryset = Address.objects.filter(company=company)

    def clean_lines(self):
        lines = parse_entry_lines(self.cleaned_data["lines"])
        if not lines:
            raise forms.ValidationError(_("Give at least one SKU."))
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("At most %(count)d lines.") % {"count": MAX_LINES})
        return lines


def parse_entry_lines(text: str) -> list[SkuLine]:
    """ "SKU quantity [unit]" lines as the quick order reads them ("SCR-100 3 case"); a
    line whose quantity is not a whole number from 1 to 1,000,000 carries an error."""
    lines = []
    for number, sku, typed in split_sku_lines(text):
        raw, unit = split_quantity_unit(typed)
        quantity = parse_quantity_text(raw)
        if not quantity:
            message = _("the quantity must be a whole number from 1 to 1,000,000")
            lines.append(SkuLine(number, sku, None, message))
        else:
            lines.append(SkuLine(number, sku, quantity, unit=unit))
    return lines


def _company(request, company_id: int) -> Company:
    """The company, if the staff user may enter orders for it; another's is not found."""
    if not request.user.has_perm("sales.enter_orders"):
        raise PermissionDenied
    company = scoped(Company.objects.select_related("group"), request.user, "pk").filter(
        pk=company_id
    )
    found = company.first()
    if found is None or not may_enter_orders(actor_facts(request.user), found.pk):
        raise Http404
    return found


def order_entry_view(request, company_id: int):
    company = _company(request, company_id)
    context = {
        "title": _("Enter an order for %(company)s") % {"company": company.name},
        "company": company,
        "opts": Company._meta,
        "quote": None,
        "problems": [],
    }
    if request.method != "POST":
        form = OrderEntryForm(company=company, initial={"key": uuid.uuid4().hex})
        return TemplateResponse(request, "admin/sales/order_entry.html", {**context, "form": form})
    form = OrderEntryForm(request.POST, company=company)
    if not form.is_valid():
        return TemplateResponse(request, "admin/sales/order_entry.html", {**context, "form": form})
    data = form.cleaned_data
    buyer = data["buyer"]
    viewer = viewer_for(get_store(), buyer, staff=request.user)
    items, problems = entry_items(viewer, data["lines"])
    address = data["shipping_address"]
    if "place" in request.POST and items and not problems:
        try:
            placement = order_place(
                viewer=viewer,
                request=CheckoutRequest(
                    shipping_address=address.code if address else None,
                    location=data["location"].code if data["location"] else None,
                    shipping_method=data["shipping_method"] or None,
                    payment_method=data["payment_method"] or None,
                    po_number=data["po_number"],
                    comment=data["comment"],
                    items=tuple(
                        (product.pk, quantity, packaging.pk if packaging else None)
                        for product, quantity, packaging in items
                    ),
                ),
                key=data["key"],
            )
        except BusinessRuleError as error:
            problems = [e["message"] for e in error.errors if e.get("message")] or [error.message]
        else:
            return _placed(request, placement, buyer, company)
    quote = (
        quote_cart(
            viewer,
            [(product, quantity) for product, quantity, _packaging in items],
            destination=address_destination(address) if address else None,
            shipping_code=data["shipping_method"] or None,
            packagings={product.pk: packaging for product, _q, packaging in items if packaging},
        )
        if items
        else None
    )
    context.update(
        form=form,
        quote=quote,
        problems=problems,
        buyer=buyer,
        chosen_payment=data["payment_method"],
    )
    return TemplateResponse(request, "admin/sales/order_entry.html", context)


def _placed(request, placement, buyer, company):
    name = buyer.get_full_name()
    if placement.order is None:
        messages.warning(
            request,
            _("The order waits for approval in %(company)s as %(number)s (requested by %(buyer)s).")
            % {"company": company.name, "number": placement.approval.number, "buyer": name},
        )
        return redirect(
            reverse("admin:approvals_approvalrequest_change", args=[placement.approval.pk])
        )
    messages.success(
        request,
        _("Order %(number)s placed for %(company)s in the name of %(buyer)s.")
        % {"number": placement.order.number, "company": company.name, "buyer": name},
    )
    return redirect(reverse("admin:ordering_order_change", args=[placement.order.pk]))
