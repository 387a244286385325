"""Webhooks in the back office: endpoints (URL, event types as checkboxes, active, the
signing secret shown to staff allowed to see it, a test event, re-enabling), the delivery
log (read-only, filters, replay) and the events (read-only). Every change goes through
`services`, which the tests call too."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.webhooks import services
from comptoir.webhooks.models import SUBSCRIBABLE, Delivery, Endpoint, Event

SECRET_PERMISSION = "webhooks.view_endpoint_secret"


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The events sent to this URL."),
    )

    class Meta:
        model = Endpoint
        fields = ("url", "description", "event_types", "active")

    def clean_url(self):
        url = self.cleaned_data["url"]
        refusal = services.url_refusal(url)
        if refusal is not None:
            raise ValidationError(refusal.message, code=refusal.code)
        return url


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("url", "description", "active", "subscribed", "disabled_at", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = (
        "signing_secret",
        "secret_hidden",
        "disabled_at",
        "disabled_reason",
        "created_at",
    )
    actions = ("send_test_event", "reactivate", "roll_secret")

    def get_fields(self, request, obj=None):
        fields = ["url", "description", "event_types", "active"]
        if obj is not None:
            secret = (
                "signing_secret" if request.user.has_perm(SECRET_PERMISSION) else "secret_hidden"
            )
            fields += [secret, "disabled_at", "disabled_reason", "created_at"]
        return fields

    @admin.display(description=_("event types"))
    def subscribed(self, obj):
        return len(obj.event_types)

    @admin.display(description=_("signing secret"))
    def signing_secret(self, obj):
        return format_html("<code>{}</code>", obj.secret)

    @admin.display(description=_("signing secret"))
    def secret_hidden(self, obj):
        return _("Hidden: ask someone allowed to see webhook secrets.")

    def save_model(self, request, obj, form, change):
        services.endpoint_save(endpoint=obj)

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the endpoint's page, where its secret is shown to copy."""
        self.message_user(
            request,
            _("Give the signing secret shown below to the receiver: it verifies every delivery."),
            messages.INFO,
        )
        return super().response_add(request, obj, post_url_continue=post_url_continue)

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test_event(self, request, queryset):
        endpoints = list(queryset.filter(active=True))
        for endpoint in endpoints:
            services.endpoint_send_test(endpoint=endpoint)
        self.message_user(
            request,
            ngettext(
                "A test event is on its way to %(count)d active endpoint.",
                "A test event is on its way to %(count)d active endpoints.",
                len(endpoints),
            )
            % {"count": len(endpoints)},
        )

    @admin.action(description=_("Re-enable and resend what failed"), permissions=["change"])
    def reactivate(self, request, queryset):
        count = services.endpoints_reactivate(endpoints=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d endpoint re-enabled; its failed deliveries are sent again.",
                "%(count)d endpoints re-enabled; their failed deliveries are sent again.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Generate a new signing secret"), permissions=["change"])
    def roll_secret(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_roll_secret(endpoint=endpoint)
        self.message_user(
            request,
            _("New secrets generated: give them to the receivers before the next event."),
            messages.WARNING,
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """The outbox and its log are facts: nothing added, edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's actions ask without an object: replay stays possible.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "event_id_column",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "endpoint", "event__type")
    list_select_related = ("event", "endpoint")
    search_fields = ("event__public_id", "event__resource_key")
    ordering = ("-event_id", "pk")
    actions = ("replay",)
    fields = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "started_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "response_code",
        "response_body",
        "error",
    )
    readonly_fields = fields

    @admin.display(description=_("event"), ordering="event_id")
    def event_id_column(self, obj):
        return obj.event.public_id

    @admin.display(description=_("type"), ordering="event__type")
    def event_type(self, obj):
        return obj.event.get_type_display()

    @admin.action(description=_("Replay the selected deliveries"), permissions=["change"])
    def replay(self, request, queryset):
        count = services.deliveries_replay(deliveries=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
        )


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "type", "resource_type", "resource_key", "sequence", "created_at")
    list_filter = ("type", "resource_type")
    search_fields = ("public_id", "resource_key")
    ordering = ("-pk",)
    actions = None
    fields = (
        "public_id",
        "type",
        "resource_type",
        "resource_key",
        "sequence",
        "created_at",
        "payload_json",
    )
    readonly_fields = fields

    @admin.display(description=_("payload"))
    def payload_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))
