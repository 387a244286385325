"""Integration API keys in the back office: the merchant makes one per ERP, copies the key
from the message shown once, and revokes it when the integration stops."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.integrations.keys import api_key_create, api_keys_revoke
from comptoir.integrations.models import SCOPE_LABELS, ApiKey, Tombstone


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=list(SCOPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiKey
        fields = ("name", "scopes")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "hint", "scope_list", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("hint", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ("revoke",)

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        # A key's scopes are fixed once made: make another key for other rights.
        return (*self.readonly_fields, "name", "scopes") if obj else self.readonly_fields

    def get_fields(self, request, obj=None):
        return ("name", "scopes", *self.readonly_fields) if obj else ("name", "scopes")

    def save_model(self, request, obj, form, change):
        if change:
            return
        key, plain = api_key_create(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
        )
        obj.__dict__.update(key.__dict__)  # the admin's log and redirect name this row
        self.message_user(
            request,
            _("Copy the key now, it is not shown again: %(key)s") % {"key": plain},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked keys stay listed, with when they were revoked

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = api_keys_revoke(key_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """What the sync reports as deleted; read only."""

    list_display = ("kind", "key", "deleted_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
