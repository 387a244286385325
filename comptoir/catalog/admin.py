from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.catalog.families import off_grid, off_grid_message
from comptoir.catalog.forms import ProductDocumentForm, ProductImageForm
from comptoir.catalog.models import (
    AttributeDefinition,
    Category,
    FamilyVariant,
    Packaging,
    Product,
    ProductAttributeValue,
    ProductDocument,
    ProductFamily,
    ProductImage,
)
from comptoir.core.admin_translations import TranslationsAdminMixin, with_translations
from comptoir.core.admin_widgets import LongInlineFormSet, LongInlineMixin
from comptoir.core.versioned_cache import bump
from comptoir.pricing.models import PackagingPrice, PriceEntry


class AttributeDefinitionInline(TranslationsAdminMixin, admin.TabularInline):
    """The attributes its products and those of its subcategories may have."""

    model = AttributeDefinition
    form = with_translations(forms.ModelForm, AttributeDefinition)
    fields = ("code", "label", "type", "unit", "choices", "position")
    extra = 0


@admin.register(Category)
class CategoryAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "parent", "position", "product_count")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name")
    ordering = ("position", "name")
    autocomplete_fields = ("parent",)
    form = with_translations(forms.ModelForm, Category)
    fieldsets = ((None, {"fields": ("code", "name", "parent", "position")}),)
    inlines = (AttributeDefinitionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_product_count=Count("products"))

    @admin.display(description=_("products"), ordering="_product_count")
    def product_count(self, obj):
        return obj._product_count


class ProductPriceEntryInline(LongInlineMixin, admin.TabularInline):
    """The product's prices in every list, by quantity tier."""

    model = PriceEntry
    fields = ("price_list", "min_qty", "price")
    autocomplete_fields = ("price_list",)
    extra = 0
    verbose_name_plural = _("prices")


class ProductImageInline(TranslationsAdminMixin, admin.TabularInline):
    """The product's pictures, each uploaded once and shown as its thumbnail."""

    model = ProductImage
    form = with_translations(ProductImageForm, ProductImage)
    fields = ("preview", "picture", "alt", "position")
    readonly_fields = ("preview",)
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "—"
        # 96 px high, as wide as its proportions make it.
        return format_html(
            '<img src="{}" alt="{}" height="96" loading="lazy">', obj.thumbnail.url, obj.alt
        )


class ProductAttributeValueInline(TranslationsAdminMixin, admin.TabularInline):
    """The product's attribute values, checked against its category's definitions; a text
    value with its translations beside it (a number or a choice refuses them)."""

    model = ProductAttributeValue
    form = with_translations(forms.ModelForm, ProductAttributeValue)
    fields = ("definition", "value")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "definition":
            kwargs["queryset"] = AttributeDefinition.objects.select_related("category").order_by(
                "category__name", "position", "label"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProductDocumentInline(admin.TabularInline):
    """The product's documents (PDF), each a link to the file."""

    model = ProductDocument
    form = ProductDocumentForm
    fields = ("link", "upload", "title", "kind", "position")
    readonly_fields = ("link",)
    extra = 0

    @admin.display(description=_("file"))
    def link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.title)


class PackagingInline(admin.TabularInline):
    """The packagings a buyer may order the product in (docs/units-of-measure.md)."""

    model = Packaging
    fields = ("unit", "factor", "enabled", "percent_off", "min_qty", "max_qty", "qty_step")
    extra = 0


class PackagingPriceInline(admin.TabularInline):
    """A price list's own prices of this packaging, instead of the derived one."""

    model = PackagingPrice
    fields = ("price_list", "min_qty", "price")
    autocomplete_fields = ("price_list",)
    extra = 0


@admin.register(Packaging)
class PackagingAdmin(admin.ModelAdmin):
    list_display = ("product", "unit", "factor", "enabled", "percent_off")
    list_select_related = ("product",)
    list_filter = ("enabled", "unit")
    search_fields = ("product__sku", "product__name", "unit")
    autocomplete_fields = ("product",)
    inlines = (PackagingPriceInline,)


@admin.register(Product)
class ProductAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = with_translations(forms.ModelForm, Product)
    list_display = (
        "sku",
        "name",
        "category",
        "unit",
        "pack_size",
        "stock",
        "active",
        "visibility",
    )
    list_select_related = ("category",)
    list_filter = ("category", "active", "visibility", "tax_class", "backorder")
    search_fields = ("sku", "name")
    ordering = ("sku",)
    autocomplete_fields = ("category", "visible_groups", "visible_companies")
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("sku", "name", "description", "category", "tax_class")}),
        (
            _("Selling unit and quantities"),
            {
                "description": _(
                    "Quantities count selling units; the minimum and maximum must be "
                    "multiples of the step."
                ),
                "fields": ("unit", "pack_size", "min_qty", "max_qty", "qty_step"),
            },
        ),
        (_("Stock"), {"fields": ("stock", "backorder")}),
        (
            _("Availability"),
            {"fields": ("active", "visibility", "visible_groups", "visible_companies")},
        ),
    )
    inlines = (
        ProductImageInline,
        ProductDocumentInline,
        ProductAttributeValueInline,
        PackagingInline,
        ProductPriceEntryInline,
    )

    @admin.action(description=_("Activate the selected products"), permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.filter(active=False).update(active=True, updated_at=timezone.now())
        bump()  # update() sends no signal: the category trees must see the change
        self.message_user(
            request,
            ngettext("%(count)d product activated.", "%(count)d products activated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Deactivate the selected products"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.filter(active=True).update(active=False, updated_at=timezone.now())
        bump()
        self.message_user(
            request,
            ngettext("%(count)d product deactivated.", "%(count)d products deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class FamilyVariantFormSet(LongInlineFormSet):
    """The family's variants as this save leaves them, checked against the axes as this save
    leaves them: changing the axes must not orphan a variant (it would leave the grid while
    the API still lists it), unless the same save moves it to a remaining value."""

    def clean(self):
        super().clean()
        family = self.instance
        cells, kept = [], set()
        for form in self.forms:
            if form.instance.pk is not None:
                kept.add(form.instance.pk)
            if self._should_delete_form(form) or not (form.instance.pk or form.has_changed()):
                continue
            product = form.cleaned_data.get("product") or getattr(form.instance, "product", None)
            label = product.sku if product is not None else "—"
            cells.append((label, form.instance.row_value, form.instance.column_value))
        if family.pk is not None:
            others = FamilyVariant.objects.filter(family=family).exclude(pk__in=kept)
            others = others.order_by("product__sku")
            cells += others.values_list("product__sku", "row_value", "column_value")
        orphans = off_grid(family.rows, family.columns, cells)
        if orphans:
            raise forms.ValidationError(off_grid_message(orphans))

    def save_existing_objects(self, commit=True):
        """Also the rows the family respelled (`FamilyVariant.clean`: "navy" as "Navy") though
        the form did not change them: the grid matches values as the family writes them."""
        saved = super().save_existing_objects(commit)
        for form in self.initial_forms:
            variant = form.instance
            if variant in saved or variant in self.deleted_objects or form.has_changed():
                continue
            if (variant.row_value, variant.column_value) != (
                form.initial.get("row_value"),
                form.initial.get("column_value"),
            ):
                variant.save(update_fields=["row_value", "column_value"])
                saved.append(variant)
        return saved


class FamilyVariantInline(LongInlineMixin, admin.TabularInline):
    """The family's cells: each an ordinary product, at its values of the family's axes."""

    model = FamilyVariant
    formset = FamilyVariantFormSet
    fields = ("product", "row_value", "column_value")
    autocomplete_fields = ("product",)
    extra = 0
    max_shown = 900  # 30 × 30 cells


@admin.register(ProductFamily)
class ProductFamilyAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = with_translations(forms.ModelForm, ProductFamily)
    list_display = ("code", "name", "category", "row_axis", "column_axis", "variant_count")
    list_select_related = ("category",)
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name", "variants__product__sku")
    ordering = ("name",)
    autocomplete_fields = ("category",)
    fieldsets = (
        (None, {"fields": ("code", "name", "description", "category")}),
        (
            _("Grid"),
            {
                "description": _(
                    "Rows and columns of the grid buyers order from; a variant's values must "
                    "be among these."
                ),
                "fields": ("row_axis", "row_values", "column_axis", "column_values"),
            },
        ),
    )
    inlines = (FamilyVariantInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_variant_count=Count("variants"))

    @admin.display(description=_("variants"), ordering="_variant_count")
    def variant_count(self, obj):
        return obj._variant_count
