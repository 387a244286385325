"""Quotes in the back office: the list, and a quote's page where the merchant prepares the
offer (today's price and its explanation per line, the quoted price or discount, waived
rules, shipping, expiry, message) and sends it. Every change goes through `quotes.offers`,
the functions the tests call, so the table of transitions is asked whatever the page does.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.core.admin_filters import store_today
from comptoir.core.admin_money import localized_decimal
from comptoir.core.errors import BusinessRuleError
from comptoir.quotes import offers, selectors, states
from comptoir.quotes.models import Quote, QuoteLine, QuoteRound
from comptoir.quotes.offers import LineOffer, Terms
from comptoir.quotes.workflow import MAX_MESSAGE

SEND = "_send_quote"
CANCEL = "_cancel_quote"


class ExpiryListFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("past", _("Past its last day")),
            ("week", _("Ends within 7 days")),
            ("later", _("Ends later")),
            ("none", _("No expiry date")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        today = store_today()
        week = today + datetime.timedelta(days=7)
        return {
            "past": lambda: queryset.filter(expires_on__lt=today),
            "week": lambda: queryset.filter(expires_on__gte=today, expires_on__lte=week),
            "later": lambda: queryset.filter(expires_on__gt=week),
            "none": lambda: queryset.filter(expires_on=None),
        }.get(value, lambda: queryset)()


class CurrentRoundFormSet(BaseInlineFormSet):
    """Only the lines of the round being prepared: sent rounds are kept as they were."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            latest = instance.rounds.order_by("-position").values_list("pk", flat=True).first()
            kwargs["queryset"] = QuoteLine.objects.filter(round_id=latest).select_related("product")
        super().__init__(*args, **kwargs)


class QuoteLineForm(forms.ModelForm):
    """A line of the offer; a new line names its product by SKU (a product widget would
    query the database once per line)."""

    add_sku = forms.CharField(label=_("SKU to add"), required=False, max_length=64)

    class Meta:
        model = QuoteLine
        fields = (
            "quantity",
            "quoted_unit_price",
            "discount_percent",
            "waive_min_qty",
            "waive_qty_step",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["add_sku"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and self.has_changed() and not cleaned.get("add_sku"):
            self.add_error("add_sku", _("Give the SKU of the product to add."))
        return cleaned


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    form = QuoteLineForm
    formset = CurrentRoundFormSet
    fk_name = "quote"
    extra = 0
    readonly_fields = ("sku", "name")
    fields = (
        "sku",
        "name",
        "add_sku",
        "quantity",
        "quoted_unit_price",
        "discount_percent",
        "waive_min_qty",
        "waive_qty_step",
    )
    verbose_name_plural = _("lines of the offer being prepared")

    def _editable(self, obj) -> bool:
        return obj is not None and obj.state in states.EDITABLE

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class QuoteAdminForm(forms.ModelForm):
    """The terms of the round being prepared (the buyer keeps seeing those of the round sent
    until this one is), and the quote's internal note."""

    expires_on = forms.DateField(
        label=QuoteRound._meta.get_field("expires_on").verbose_name,
        help_text=QuoteRound._meta.get_field("expires_on").help_text,
        required=False,
        widget=AdminDateWidget,
    )
    shipping_price = forms.DecimalField(
        label=QuoteRound._meta.get_field("shipping_price").verbose_name,
        help_text=QuoteRound._meta.get_field("shipping_price").help_text,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    promotions_apply = forms.BooleanField(
        label=QuoteRound._meta.get_field("promotions_apply").verbose_name,
        help_text=QuoteRound._meta.get_field("promotions_apply").help_text,
        required=False,
    )
    message = forms.CharField(
        label=_("message to the buyer"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Quote
        fields = ("merchant_note",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.instance.rounds.order_by("-position").first() if self.instance.pk else None
        if latest is not None:
            self.fields["expires_on"].initial = latest.expires_on
            self.fields["shipping_price"].initial = latest.shipping_price
            self.fields["promotions_apply"].initial = latest.promotions_apply
            self.fields["message"].initial = latest.merchant_message


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    form = QuoteAdminForm
    list_display = (
        "number",
        "company",
        "requester",
        "state",
        "requested_at",
        "expires_on",
        "location",
    )
    list_select_related = ("company", "requester", "location")
    list_filter = ("state", ("company", RelatedOnlyFieldListFilter), ExpiryListFilter)
    search_fields = ("number", "company__code", "company__name", "requester__email")
    ordering = ("-requested_at", "-id")
    date_hierarchy = "requested_at"
    inlines = (QuoteLineInline,)
    actions = ("send_quotes",)
    change_form_template = "admin/quotes/quote/change_form.html"
    readonly_fields = (
        "number",
        "company",
        "requester",
        "location",
        "state",
        "requested_at",
        "wished_delivery_date",
        "buyer_message",
        "todays_prices",
        "estimate",
        "rounds_sent",
        "trail",
        "order",
        "offer_terms",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("number", "state"),
                    ("company", "requester", "location"),
                    ("requested_at", "wished_delivery_date"),
                    "buyer_message",
                )
            },
        ),
        (
            _("Offer"),
            {
                "fields": (
                    "todays_prices",
                    ("expires_on", "shipping_price"),
                    "promotions_apply",
                    "message",
                    "merchant_note",
                    "estimate",
                )
            },
        ),
        (_("Quote history"), {"fields": ("rounds_sent", "trail", "order")}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state not in states.EDITABLE:
            return (*self.readonly_fields, *QuoteAdminForm.Meta.fields)
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        """Once sent, the terms are those of the round sent, shown, not edited."""
        if obj is not None and obj.state not in states.EDITABLE:
            offer = ("todays_prices", "offer_terms", "merchant_note", "estimate")
            return (self.fieldsets[0], (_("Offer"), {"fields": offer}), self.fieldsets[2])
        return self.fieldsets

    # What the page shows.

    def _current_lines(self, obj):
        latest = obj.rounds.order_by("-position").first()
        return list(latest.lines.select_related("product").order_by("position", "id"))

    @admin.display(description=_("buyer's message"))
    def buyer_message(self, obj):
        latest = obj.rounds.order_by("-position").first()
        return latest.buyer_message if latest and latest.buyer_message else "—"

    @admin.display(description=_("today's prices"))
    def todays_prices(self, obj):
        """Per line: today's price for the buyer, how it was found, and the quantity rules it
        breaks (which the offer must waive, line by line, to be sent)."""
        lines = self._current_lines(obj)
        today = selectors.today_prices(obj, lines)
        rows = []
        for line in lines:
            found = today[line.pk]
            price = "—" if found.unit_price is None else localized_decimal(found.unit_price)
            steps = "; ".join(f"{s.step} {s.source}: {s.detail}" for s in found.steps) or "—"
            rows.append((line.sku, line.quantity, price, steps, " ".join(found.messages)))
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("SKU"),
            _("quantity"),
            _("today's price"),
            _("explanation"),
            _("rules"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    @admin.display(description=_("terms"))
    def offer_terms(self, obj):
        """The terms of the latest round (the one sent, once the quote is no longer edited)."""
        latest = obj.rounds.order_by("-position").first()
        shipping = latest.shipping_price
        return format_html_join(
            " · ",
            "{}: {}",
            [
                (_("valid until"), latest.expires_on.isoformat() if latest.expires_on else "—"),
                (_("shipping"), "—" if shipping is None else localized_decimal(shipping)),
                (
                    _("promotions and volume discounts apply on top"),
                    _("Yes") if latest.promotions_apply else _("No"),
                ),
            ],
        )

    @admin.display(description=_("estimate (taxes decided at order time)"))
    def estimate(self, obj):
        found = selectors.quote_estimate(obj, selectors.latest_round(obj))
        parts = [
            (_("subtotal"), localized_decimal(found.subtotal)),
            (_("discounts"), localized_decimal(found.discount_total)),
            (
                _("shipping"),
                "—" if found.shipping_total is None else localized_decimal(found.shipping_total),
            ),
            (_("tax"), localized_decimal(found.tax_total)),
            (_("total"), localized_decimal(found.total)),
        ]
        if found.unpriced:
            parts.append((_("without a price"), ", ".join(found.unpriced)))
        return format_html_join(" · ", "{}: {}", parts)

    @admin.display(description=_("rounds"))
    def rounds_sent(self, obj):
        rounds = obj.rounds.prefetch_related("lines").order_by("position")
        return format_html_join(
            "",
            "<p><strong>{}</strong> {}<br>{}<br><em>{}</em></p>",
            (
                (
                    _("Round %(number)s") % {"number": r.position},
                    r.sent_at.date().isoformat() if r.sent_at else _("(being prepared)"),
                    ", ".join(
                        f"{line.sku} × {line.quantity}"
                        + (f" @ {localized_decimal(line.unit_price)}" if line.unit_price else "")
                        for line in r.lines.all()
                    ),
                    r.merchant_message,
                )
                for r in rounds
            ),
        )

    @admin.display(description=_("trail"))
    def trail(self, obj):
        """Every step, by whom; a step a staff member took in a buyer's name names both."""
        events = obj.events.select_related("actor", "staff").order_by("at", "id")
        return format_html_join(
            "",
            "<p>{} — {} — {} {}</p>",
            (
                (
                    e.at.strftime("%Y-%m-%d %H:%M"),
                    _by(e),
                    e.get_action_display(),
                    e.detail,
                )
                for e in events
            ),
        )

    # Writes, through the services.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal of the services is a message on the page, and nothing is written."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except BusinessRuleError as refused:
            self._refused(request, refused)
            return HttpResponseRedirect(request.get_full_path())

    def _refused(self, request, refused: BusinessRuleError) -> None:
        self.message_user(request, refused.message, messages.ERROR)
        for error in refused.errors:
            self.message_user(request, error.get("message") or error["code"], messages.ERROR)

    def save_model(self, request, obj, form, change):
        if not form.has_changed() or obj.state not in states.EDITABLE:
            return
        data = form.cleaned_data
        offers.quote_set_terms(
            quote_id=obj.pk,
            actor=request.user,
            terms=Terms(
                expires_on=data["expires_on"],
                shipping_price=data["shipping_price"],
                promotions_apply=data["promotions_apply"],
                message=data["message"],
                note=data["merchant_note"],
            ),
        )

    def save_formset(self, request, form, formset, change):
        """Each line through the services; what changed is noted as `formset.save()` would
        for the admin's history."""
        quote = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for line_form in formset.forms:
            if not hasattr(line_form, "cleaned_data") or not line_form.cleaned_data:
                continue
            line = line_form.instance
            data = line_form.cleaned_data
            if data.get("DELETE"):
                if line.pk:
                    offers.quote_remove_line(quote_id=quote.pk, actor=request.user, line_id=line.pk)
                continue
            if not line_form.has_changed():
                continue
            offer = LineOffer(
                quantity=data["quantity"],
                quoted_unit_price=data.get("quoted_unit_price"),
                discount_percent=data.get("discount_percent"),
                waive_min_qty=data.get("waive_min_qty", False),
                waive_qty_step=data.get("waive_qty_step", False),
            )
            if line.pk:
                offers.quote_set_line(
                    quote_id=quote.pk, actor=request.user, line_id=line.pk, offer=offer
                )
                formset.changed_objects.append((line, line_form.changed_data))
            else:
                formset.new_objects.append(
                    offers.quote_add_line(
                        quote_id=quote.pk, actor=request.user, sku=data["add_sku"], offer=offer
                    )
                )

    def response_change(self, request, obj):
        for button, act, done in (
            (SEND, offers.quote_send, _("Quote %(number)s is sent to the buyer.")),
            (CANCEL, offers.quote_cancel, _("Quote %(number)s is cancelled.")),
        ):
            if button in request.POST:
                try:
                    act(quote_id=obj.pk, actor=request.user)
                except BusinessRuleError as refused:
                    self._refused(request, refused)
                else:
                    self.message_user(request, done % {"number": obj.number}, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        actions = states.actions_for(obj.state, states.MERCHANT) if obj is not None else []
        context.update({"can_send": states.SEND in actions, "can_cancel": states.CANCEL in actions})
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Send the selected quotes to the buyer"))
    def send_quotes(self, request, queryset):
        sent = 0
        for quote in queryset.only("pk", "number"):
            try:
                offers.quote_send(quote_id=quote.pk, actor=request.user)
            except BusinessRuleError as refused:
                self.message_user(request, f"{quote.number}: {refused.message}", messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d quote sent.", "%(count)d quotes sent.", sent) % {"count": sent},
                messages.SUCCESS,
            )


def _by(event) -> str:
    if event.actor is None:
        return _("the store (automatic)")
    if event.staff is None:
        return event.actor.email
    return _("%(buyer)s (entered by %(staff)s)") % {
        "buyer": event.actor.email,
        "staff": event.staff.email,
    }
