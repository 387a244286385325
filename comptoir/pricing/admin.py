from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin_filters import ValidityListFilter
from comptoir.core.admin_money import percent_column
from comptoir.core.admin_translations import TranslationsAdminMixin, with_translations
from comptoir.core.admin_widgets import LongInlineMixin
from comptoir.core.errors import BusinessRuleError
from comptoir.core.versioned_cache import bump
from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier
from comptoir.pricing.price_csv import error_lines, price_list_csv_chunks, text_stream
from comptoir.pricing.services import price_list_import_csv

# An import page lists at most this many problems (a wrong file can have one per row).
MAX_SHOWN_ERRORS = 200


def _entries_link(price_list, count):
    url = reverse("admin:pricing_priceentry_changelist")
    text = ngettext("%(count)d entry", "%(count)d entries", count) % {"count": count}
    return format_html('<a href="{}?price_list__id__exact={}">{}</a>', url, price_list.pk, text)


class PriceEntryInline(LongInlineMixin, admin.TabularInline):
    """The list's tiers; a long list is edited in the price entries list (paginated)."""

    model = PriceEntry
    fields = ("product", "min_qty", "price")
    autocomplete_fields = ("product",)
    ordering = ("product__sku", "min_qty")
    max_shown = 100


class PriceListImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns sku, min_qty, price (one tier per row), separated by commas or "
            "semicolons, in UTF-8. An empty min_qty means 1; with semicolons, prices may "
            "use a decimal comma."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=(
            ("replace", _("Replace: the list's entries become exactly the file's")),
            ("merge", _("Merge: add or update the file's tiers, keep the list's others")),
        ),
        initial="replace",
        widget=forms.RadioSelect,
    )


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "currency",
        "priority",
        "parent",
        percent_column(PriceList, "adjustment_percent"),
        "valid_from",
        "valid_until",
        "entry_count",
    )
    list_select_related = ("parent",)
    list_filter = (ValidityListFilter, "currency", "customer_groups")
    search_fields = ("code", "name")
    ordering = ("priority", "code")
    autocomplete_fields = ("parent", "customer_groups", "companies")
    readonly_fields = ("entries_link",)
    fieldsets = (
        (None, {"fields": ("code", "name", "currency", "priority", "entries_link")}),
        (
            _("Derived prices"),
            {
                "description": _(
                    "For products without an entry of its own, the list can give the parent "
                    "list's price adjusted by a percentage (-10 means 10 % off)."
                ),
                "fields": ("parent", "adjustment_percent"),
            },
        ),
        (_("Validity"), {"fields": ("valid_from", "valid_until")}),
        (
            _("Assignment"),
            {
                "description": _(
                    "Contract prices for companies, or prices of customer groups. The "
                    "store's base list is chosen on the store."
                ),
                "fields": ("customer_groups", "companies"),
            },
        ),
    )
    inlines = (PriceEntryInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entry_count=Count("entries"))

    @admin.display(description=_("entries"), ordering="_entry_count")
    def entry_count(self, obj):
        return _entries_link(obj, obj._entry_count)

    @admin.display(description=_("entries"))
    def entries_link(self, obj):
        if obj.pk is None:
            return "-"
        return _entries_link(obj, obj._entry_count)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="pricing_pricelist_import_csv",
            ),
            path(
                "<path:object_id>/export-csv/",
                self.admin_site.admin_view(self.export_csv_view),
                name="pricing_pricelist_export_csv",
            ),
            *super().get_urls(),
        ]

    def import_csv_view(self, request, object_id):
        """Upload a CSV of tiers into the list: every problem shown by line, or all written."""
        price_list = self.get_object(request, unquote(object_id))
        if price_list is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, price_list):
            raise PermissionDenied
        refusal, problems = None, []
        if request.method == "POST":
            form = PriceListImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = price_list_import_csv(
                        price_list=price_list,
                        stream=text_stream(form.cleaned_data["file"]),
                        mode=form.cleaned_data["mode"],
                    )
                except BusinessRuleError as exc:
                    refusal, problems = exc.message, error_lines(exc.errors)
                else:
                    summary = gettext(
                        "Prices imported into %(code)s: %(created)d created, %(updated)d "
                        "updated, %(deleted)d deleted, %(unchanged)d unchanged."
                    ) % {
                        "code": price_list.code,
                        "created": result.created,
                        "updated": result.updated,
                        "deleted": result.deleted,
                        "unchanged": result.unchanged,
                    }
                    self.log_change(request, price_list, summary)
                    self.message_user(request, summary, messages.SUCCESS)
                    return redirect("admin:pricing_pricelist_change", price_list.pk)
        else:
            form = PriceListImportForm()
        hidden = len(problems) - MAX_SHOWN_ERRORS
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import prices into %(code)s") % {"code": price_list.code},
            "opts": self.opts,
            "original": price_list,
            "form": form,
            "refusal": refusal,
            "problems": problems[:MAX_SHOWN_ERRORS],
            "more_problems": (
                ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", hidden)
                % {"count": hidden}
                if hidden > 0
                else ""
            ),
        }
        return TemplateResponse(request, "admin/pricing/pricelist/import_csv.html", context)

    def export_csv_view(self, request, object_id):
        """The list's tiers as `<code>.csv`, in the format the import reads."""
        price_list = self.get_object(request, unquote(object_id))
        if price_list is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, price_list):
            raise PermissionDenied
        response = StreamingHttpResponse(
            price_list_csv_chunks(price_list), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{price_list.code}.csv"
        )
        return response


@admin.register(PriceEntry)
class PriceEntryAdmin(admin.ModelAdmin):
    """Every tier of every list, paginated: the place to work on long price lists."""

    list_display = ("price_list", "product_sku", "product_name", "min_qty", "price")
    list_display_links = ("product_sku",)
    list_editable = ("price",)
    list_select_related = ("price_list", "product")
    list_filter = ("price_list", "price_list__currency")
    search_fields = ("product__sku", "product__name", "price_list__code")
    ordering = ("price_list__priority", "price_list__code", "product__sku", "min_qty")
    autocomplete_fields = ("price_list", "product")
    list_per_page = 100

    @admin.display(description=_("SKU"), ordering="product__sku")
    def product_sku(self, obj):
        return obj.product.sku

    # Entries send no delete signal (pricing/apps.py): their deletions bump here.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        bump()

    @admin.display(description=_("product"), ordering="product__name")
    def product_name(self, obj):
        return obj.product.name


@admin.register(Promotion)
class PromotionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = with_translations(forms.ModelForm, Promotion)
    list_display = (
        "code",
        "name",
        percent_column(Promotion, "percent"),
        "valid_from",
        "valid_until",
        "group_codes",
    )
    list_filter = (ValidityListFilter, "customer_groups")
    search_fields = ("code", "name", "products__sku", "categories__code")
    ordering = ("code",)
    autocomplete_fields = ("customer_groups", "products", "categories")
    fieldsets = (
        (None, {"fields": ("code", "name", "percent")}),
        (_("Validity"), {"fields": ("valid_from", "valid_until")}),
        (_("Who and what"), {"fields": ("customer_groups", "products", "categories")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("customer_groups")

    @admin.display(description=_("customer groups"))
    def group_codes(self, obj):
        return ", ".join(group.code for group in obj.customer_groups.all())


@admin.register(VolumeDiscountTier)
class VolumeDiscountTierAdmin(admin.ModelAdmin):
    list_display = (
        "customer_group",
        "min_total_qty",
        percent_column(VolumeDiscountTier, "percent"),
    )
    list_select_related = ("customer_group",)
    list_filter = ("customer_group",)
    search_fields = ("customer_group__code", "customer_group__name")
    ordering = ("customer_group__code", "min_total_qty")
    autocomplete_fields = ("customer_group",)
