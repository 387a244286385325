"""The merchant's price preview: "why does ACME pay 8.42 for this?", answered in the back office.

It prices exactly as the cart does (`price_cart`), for a company and a date of the
merchant's choice, and shows every step of every price.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.catalog.selectors import visible_products
from comptoir.core.selectors import get_store, store_today
from comptoir.core.sku_lines import parse_sku_lines
from comptoir.customers.models import Address, Company
from comptoir.pricing.engine import PricedCart, price_cart
from comptoir.pricing.selectors import category_ancestors, pricing_context, product_data
from comptoir.sales.selectors import scoped

MAX_LINES = 500


class PreviewForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Company"),
        queryset=Company.objects.select_related("group"),
        widget=AutocompleteSelect(Address._meta.get_field("company"), admin.site),
    )
    lines = forms.CharField(
        label=gettext_lazy("Products and quantities"),
        widget=forms.Textarea(
            attrs={"rows": 8, "cols": 40, "placeholder": "SCR-100 24\nGLV-200 12"}
        ),
        help_text=gettext_lazy("One product a line: its SKU and a quantity (1 if left out)."),
    )
    on = forms.DateField(
        label=gettext_lazy("Priced on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: today. Another date shows past or coming prices."),
    )

    def clean_lines(self):
        lines = parse_sku_lines(self.cleaned_data["lines"])
        if not lines:
            raise forms.ValidationError(_("Give at least one SKU."))
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("At most %(count)d lines.") % {"count": MAX_LINES})
        return lines


@dataclass(frozen=True)
class Problem:
    line: int
    sku: str
    message: str


def preview(company: Company, lines, on: datetime.date | None) -> tuple[PricedCart, list[Problem]]:
    """The company's cart prices for these lines; lines that cannot be priced say why."""
    store = get_store()
    problems = [Problem(line.line, line.sku, line.error) for line in lines if line.error]
    wanted = [line for line in lines if not line.error]
    products = {
        product.sku: product
        for product in visible_products(group=company.group, company=company).filter(
            sku__in=[line.sku for line in wanted]
        )
    }
    problems += [
        Problem(line.line, line.sku, _("unknown SKU, or not visible to this company"))
        for line in wanted
        if line.sku not in products
    ]
    priced_lines = [(products[line.sku], line.quantity) for line in wanted if line.sku in products]
    context = pricing_context(
        store=store,
        company=company,
        product_ids=[product.pk for product, _quantity in priced_lines],
        today=on or store_today(store),
    )
    items = product_data([product for product, _quantity in priced_lines], category_ancestors())
    cart = price_cart(
        context,
        [(item, quantity) for item, (_p, quantity) in zip(items, priced_lines, strict=True)],
    )
    problems += [
        Problem(0, item.sku, _("no price in any list: price on request"))
        for item, _q in cart.unpriced
    ]
    return cart, sorted(problems, key=lambda problem: problem.line)


def price_preview_view(request):
    from comptoir.pricing.models import PriceList

    if not request.user.has_perm(f"pricing.view_{PriceList._meta.model_name}"):
        raise PermissionDenied
    form = PreviewForm(request.GET or None)
    # A sales representative previews only the companies assigned to them (issue 18): another
    # company is not a valid choice, as in their back office's company fields.
    form.fields["company"].queryset = scoped(form.fields["company"].queryset, request.user, "pk")
    result = None
    if form.is_valid():
        cart, problems = preview(
            form.cleaned_data["company"], form.cleaned_data["lines"], form.cleaned_data["on"]
        )
        result = {"cart": cart, "problems": problems, "company": form.cleaned_data["company"]}
    context = {
        **admin.site.each_context(request),
        "title": _("Price preview"),
        "form": form,
        "media": form.media,
        "result": result,
    }
    return TemplateResponse(request, "admin/pricing/preview.html", context)
