import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.catalog import admin as catalog_admin
from comptoir.catalog.models import Product
from comptoir.core.admin_money import money_column, percent_column
from comptoir.core.admin_translations import with_translations
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.models import (
    RULE_MESSAGES,
    GroupOrderRule,
    Order,
    OrderLine,
    OrderStatus,
    OrderTaxLine,
)
from comptoir.ordering.order_export import order_csv_chunks, store_time_zone
from comptoir.ordering.order_status import (
    StatusChange,
    allowed_statuses,
    order_set_status,
    orders_set_status,
    transition_refusal,
)
from comptoir.pricing.engine import QuantityRules

ADDRESS_LINES = (("line1",), ("line2",), ("postal_code", "city"), ("region", "country"))


def format_address(address):
    """A snapshot address (a dict) as lines of text."""
    if not isinstance(address, dict):
        return "-"
    lines = []
    for keys in ADDRESS_LINES:
        line = " ".join(str(address[key]) for key in keys if address.get(key))
        if line:
            lines.append((line,))
    return format_html_join(mark_safe("<br>"), "{}", lines) if lines else "-"


def format_json(value):
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


class ProductRulesForm(forms.ModelForm):
    """A product whose own minimum, maximum or step would leave a group's override
    unorderable is refused, naming the group: the override is checked when saved
    (`GroupOrderRule.clean`), and again here when the product changes under it."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned
        rules = QuantityRules(
            min_qty=cleaned.get("min_qty") or 1,
            max_qty=cleaned.get("max_qty"),
            qty_step=cleaned.get("qty_step") or 1,
        )
        overrides = GroupOrderRule.objects.filter(product=self.instance).select_related(
            "customer_group"
        )
        for override in overrides:
            for problem in override.problems_over(rules):
                self.add_error(
                    problem.field,
                    _("Group %(group)s: %(problem)s")
                    % {
                        "group": override.customer_group.code,
                        "problem": RULE_MESSAGES[problem.code] % problem.params,
                    },
                )
        return cleaned


# The catalogue's product page, with the check above: ordering knows the groups' overrides,
# the catalogue does not (dependencies point from ordering to catalog).
admin.site.unregister(Product)


@admin.register(Product)
class ProductAdmin(catalog_admin.ProductAdmin):
    form = with_translations(ProductRulesForm, Product)


@admin.register(GroupOrderRule)
class GroupOrderRuleAdmin(admin.ModelAdmin):
    list_display = ("customer_group", "product", "min_qty", "max_qty", "qty_step")
    list_select_related = ("customer_group", "product")
    list_filter = ("customer_group",)
    search_fields = ("product__sku", "product__name", "customer_group__code")
    ordering = ("customer_group__code", "product__sku")
    autocomplete_fields = ("customer_group", "product")


class SnapshotInlineMixin:
    """Rows copied when the order was placed: shown, never added, changed or deleted."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The snapshot's decimals, shown as money (core/admin_money.py).
LINE_MONEY = {
    name: money_column(OrderLine, name)
    for name in ("unit_price", "gross", "promotion_amount", "volume_amount", "net")
} | {
    name: percent_column(OrderLine, name)
    for name in ("promotion_percent", "volume_percent", "tax_rate")
}
TAX_LINE_MONEY = {
    "rate": percent_column(OrderTaxLine, "rate"),
    "base": money_column(OrderTaxLine, "base"),
    "amount": money_column(OrderTaxLine, "amount"),
}
ORDER_MONEY = {
    name: money_column(Order, name)
    for name in ("subtotal", "discount_total", "shipping_total", "tax_total", "total")
}


def as_money(names, columns):
    return tuple(columns.get(name, name) for name in names)


class OrderLineInline(SnapshotInlineMixin, admin.TabularInline):
    model = OrderLine
    fields = as_money(
        (
            "position",
            "sku",
            "name",
            "quantity",
            "unit_price",
            "gross",
            "promotion_percent",
            "promotion_amount",
            "volume_percent",
            "volume_amount",
            "net",
            "tax_class",
            "tax_rate",
        ),
        LINE_MONEY,
    )
    show_change_link = True


class OrderTaxLineInline(SnapshotInlineMixin, admin.TabularInline):
    model = OrderTaxLine
    fields = as_money(("rate", "base", "amount", "reason"), TAX_LINE_MONEY)


# What staff are offered to move an order to, as actions and as buttons on its page.
STATUS_ACTIONS = {
    OrderStatus.CONFIRMED: _("Mark as confirmed"),
    OrderStatus.SHIPPED: _("Mark as shipped"),
    OrderStatus.DELIVERED: _("Mark as delivered"),
    OrderStatus.CANCELLED: _("Cancel (restores stock)"),
}
SHOWN_REFUSALS = 10  # refusals spelled out in a message; the others are counted
SHOWN_ORDERS = 100  # orders listed on the cancellation page; the others are counted


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are placed by buyers; the snapshot stays as placed.

    The status moves only through the actions and the buttons of an order's page, which call
    `orders_set_status` (allowed transitions only; cancelling restores stock, once). Only
    the payment status is edited in the form.
    """

    list_display = (
        "number",
        "placed_at",
        "company",
        "status",
        "payment_status",
        "line_count",
        ORDER_MONEY["total"],
        "currency",
    )
    list_select_related = ("company",)
    list_filter = (
        "status",
        "payment_status",
        "placed_at",
        "customer_group_code",
        "payment_method_code",
        "shipping_method_code",
    )
    search_fields = ("number", "company__code", "company__name", "buyer__email", "po_number")
    ordering = ("-placed_at", "-id")
    date_hierarchy = "placed_at"
    editable_fields = ("payment_status",)
    actions = ("mark_confirmed", "mark_shipped", "mark_delivered", "cancel", "export_csv")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "placed_at",
                    "company",
                    "buyer",
                    "customer_group_code",
                    "status",
                    "payment_status",
                    "invoice_link",
                )
            },
        ),
        (
            _("Payment and shipping"),
            {
                "fields": (
                    "payment_method_code",
                    "payment_method_name",
                    "shipping_method_code",
                    "shipping_method_name",
                    "po_number",
                    "comment",
                )
            },
        ),
        (_("Addresses"), {"fields": ("shipping_address_display", "billing_address_display")}),
        (
            _("Totals"),
            {
                "fields": as_money(
                    (
                        "currency",
                        "subtotal",
                        "discount_total",
                        "shipping_total",
                        "tax_total",
                        "total",
                    ),
                    ORDER_MONEY,
                )
            },
        ),
    )
    inlines = (OrderLineInline, OrderTaxLineInline)

    def get_queryset(self, request):
        """Lines counted by a subquery, not a join and GROUP BY: the actions' querysets stay
        plain, so the status service can lock their rows and the export select from them."""
        lines = (
            OrderLine.objects.filter(order=OuterRef("pk"))
            .order_by()
            .values("order")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_line_count=Coalesce(Subquery(lines), 0, output_field=IntegerField()))
        )

    def get_readonly_fields(self, request, obj=None):
        """An invoiced order's payment status follows its invoice's payments."""
        fields = [name for _title, options in self.fieldsets for name in options["fields"]]
        editable = self.editable_fields if obj is None or not _invoiced(obj) else ()
        return [name for name in fields if name not in editable]

    @admin.display(description=_("invoice"))
    def invoice_link(self, obj):
        invoice = _invoiced(obj)
        if invoice is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:payments_invoice_change", args=[invoice.pk]),
            invoice.number,
            invoice.get_status_display(),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("lines"), ordering="_line_count")
    def line_count(self, obj):
        return obj._line_count

    # Status

    @admin.action(description=STATUS_ACTIONS[OrderStatus.CONFIRMED], permissions=["change"])
    def mark_confirmed(self, request, queryset):
        self._set_status(request, queryset, OrderStatus.CONFIRMED)

    @admin.action(description=STATUS_ACTIONS[OrderStatus.SHIPPED], permissions=["change"])
    def mark_shipped(self, request, queryset):
        self._set_status(request, queryset, OrderStatus.SHIPPED)

    @admin.action(description=STATUS_ACTIONS[OrderStatus.DELIVERED], permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._set_status(request, queryset, OrderStatus.DELIVERED)

    @admin.action(description=STATUS_ACTIONS[OrderStatus.CANCELLED], permissions=["change"])
    def cancel(self, request, queryset):
        """Asks first: a cancellation is final and puts the lines back into stock."""
        if "confirm" not in request.POST:
            return self._cancel_confirmation(
                request,
                queryset,
                hidden={
                    "action": "cancel",
                    "select_across": request.POST.get("select_across", "0"),
                    admin.helpers.ACTION_CHECKBOX_NAME: request.POST.getlist(
                        admin.helpers.ACTION_CHECKBOX_NAME
                    ),
                },
                back_url=request.get_full_path(),
            )
        self._set_status(request, queryset, OrderStatus.CANCELLED)
        return None

    def _set_status(self, request, queryset, status):
        self._report(request, orders_set_status(orders=queryset, status=status), status)

    def _report(self, request, change: StatusChange, status):
        if change.changed:
            if status == OrderStatus.CANCELLED:
                message = ngettext(
                    "%(count)d order cancelled; the stock of its lines was restored.",
                    "%(count)d orders cancelled; the stock of their lines was restored.",
                    change.changed,
                )
            else:
                message = ngettext(
                    "%(count)d order marked as “%(status)s”.",
                    "%(count)d orders marked as “%(status)s”.",
                    change.changed,
                )
            self.message_user(
                request,
                message % {"count": change.changed, "status": OrderStatus(status).label},
                messages.SUCCESS,
            )
        if change.refused:
            reasons = [refusal.message for refusal in change.refused[:SHOWN_REFUSALS]]
            hidden = len(change.refused) - SHOWN_REFUSALS
            if hidden > 0:
                reasons.append(
                    ngettext("… and %(count)d more.", "… and %(count)d more.", hidden)
                    % {"count": hidden}
                )
            self.message_user(
                request,
                ngettext(
                    "%(count)d order was left unchanged: %(reasons)s",
                    "%(count)d orders were left unchanged: %(reasons)s",
                    len(change.refused),
                )
                % {"count": len(change.refused), "reasons": " ".join(reasons)},
                messages.WARNING,
            )

    def _cancel_confirmation(self, request, queryset, *, hidden, back_url):
        orders = queryset.order_by("number").values_list("number", "status")
        shown, refused = [], []
        total = 0
        for number, status in orders.iterator(chunk_size=1000):
            total += 1
            refusal = transition_refusal(
                number=number, current=status, status=OrderStatus.CANCELLED
            )
            if refusal is not None:
                refused.append(refusal.message)
            elif len(shown) < SHOWN_ORDERS:
                shown.append((number, OrderStatus(status).label))
        cancellable = total - len(refused)
        hidden_inputs = [
            (name, value)
            for name, values in hidden.items()
            for value in (values if isinstance(values, list) else [values])
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel orders"),
            "opts": self.opts,
            "orders": shown,
            "more": cancellable - len(shown),
            "cancellable": cancellable,
            "refused": refused[:SHOWN_REFUSALS],
            "more_refused": max(len(refused) - SHOWN_REFUSALS, 0),
            "hidden_inputs": hidden_inputs,
            "back_url": back_url,
        }
        return TemplateResponse(request, "admin/ordering/order/cancel_confirmation.html", context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.set_status_view),
                name="ordering_order_set_status",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The order's page offers a button for each status it may move to."""
        next_statuses = []
        if obj is not None and self.has_change_permission(request, obj):
            next_statuses = [
                (status, STATUS_ACTIONS[status]) for status in allowed_statuses(obj.status)
            ]
        context["next_statuses"] = next_statuses
        return super().render_change_form(request, context, add, change, form_url, obj)

    def set_status_view(self, request, object_id):
        """The buttons of an order's page: one order to the status posted."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        order = self.get_object(request, unquote(object_id))
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        change_url = reverse("admin:ordering_order_change", args=(order.pk,))
        status = request.POST.get("status", "")
        if status == OrderStatus.CANCELLED and "confirm" not in request.POST:
            return self._cancel_confirmation(
                request,
                Order.objects.filter(pk=order.pk),
                hidden={"status": status},
                back_url=change_url,
            )
        try:
            order_set_status(order=order, status=status)
        except BusinessRuleError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self._report(request, StatusChange(1, []), status)
        return HttpResponseRedirect(change_url)

    # Export

    @admin.action(description=_("Export selected orders as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        """One row per order line (order_export.py), streamed as it is read."""
        time_zone = store_time_zone()
        response = StreamingHttpResponse(
            order_csv_chunks(queryset, time_zone=time_zone),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"orders-{timezone.now().astimezone(time_zone):%Y%m%d-%H%M%S}.csv"
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        return response

    @admin.display(description=_("shipping address"))
    def shipping_address_display(self, obj):
        return format_address(obj.shipping_address)

    @admin.display(description=_("billing address"))
    def billing_address_display(self, obj):
        return format_address(obj.billing_address)


def _invoiced(order):
    """The order's invoice, or None (read once per order page)."""
    try:
        return order.invoice
    except ObjectDoesNotExist:
        return None


class SnapshotAdmin(admin.ModelAdmin):
    """A view-only list of rows copied when orders were placed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderLine)
class OrderLineAdmin(SnapshotAdmin):
    list_display = as_money(
        ("order", "sku", "name", "quantity", "unit_price", "net", "tax_rate"), LINE_MONEY
    )
    list_select_related = ("order",)
    list_filter = ("order__status", "tax_class", "category_code")
    search_fields = ("=order__number", "sku", "name")
    ordering = ("-order__placed_at", "order_id", "position", "id")
    fields = as_money(
        (
            "order",
            "position",
            "product",
            "sku",
            "name",
            "category_code",
            "quantity",
            "stock_taken",
            "unit_price",
            "gross",
            "promotion_percent",
            "promotion_amount",
            "volume_percent",
            "volume_amount",
            "net",
            "tax_class",
            "tax_rate",
            "explanation_display",
        ),
        LINE_MONEY,
    )
    readonly_fields = ("explanation_display", *LINE_MONEY.values())

    @admin.display(description=_("price explanation"))
    def explanation_display(self, obj):
        return format_json(obj.explanation)


@admin.register(OrderTaxLine)
class OrderTaxLineAdmin(SnapshotAdmin):
    list_display = as_money(("order", "rate", "base", "amount", "reason"), TAX_LINE_MONEY)
    fields = list_display
    readonly_fields = tuple(TAX_LINE_MONEY.values())
    list_select_related = ("order",)
    list_filter = ("rate", "reason")
    search_fields = ("=order__number", "reason")
    ordering = ("-order__placed_at", "order_id", "-rate", "reason")
