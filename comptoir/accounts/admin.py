from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.forms import RoleChoiceField
from comptoir.accounts.models import PERMISSION_LABELS, ApiToken, Role, User
from comptoir.accounts.permissions import PERMISSIONS
from comptoir.customers.models import CompanyStatus, Location


class UserCreationForm(AdminUserCreationForm):
    """Creates a user from an e-mail address (the login) and a password."""

    class Meta:
        model = User
        fields = ("email", "company", "role")
        field_classes = {}


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {}

    def clean(self):
        cleaned = super().clean()
        company, locations = cleaned.get("company"), cleaned.get("locations")
        if locations and any(
            location.company_id != getattr(company, "pk", None) for location in locations
        ):
            self.add_error("locations", _("Choose locations of the user's own company."))
        return cleaned


class RoleForm(forms.ModelForm):
    """Permissions ticked from the fixed set: nothing else can be saved."""

    permissions = forms.TypedMultipleChoiceField(
        label=_("permissions"),
        choices=[(code, PERMISSION_LABELS[code]) for code in PERMISSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = ("code", "name", "permissions")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """The store's own roles, beside the built-in Administrator, Buyer, Approver, Requester and
    Viewer; a role that users hold cannot be deleted."""

    form = RoleForm
    list_display = ("code", "name", "permission_list")
    search_fields = ("code", "name")

    @admin.display(description=_("permissions"))
    def permission_list(self, obj):
        return ", ".join(
            str(PERMISSION_LABELS[p]) for p in obj.permissions if p in PERMISSION_LABELS
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and not (obj and User.objects.filter(role=obj.code).exists())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class CompanyStatusListFilter(admin.SimpleListFilter):
    title = _("company status")
    parameter_name = "company_status"
    NO_COMPANY = "none"

    def lookups(self, request, model_admin):
        return [
            *CompanyStatus.choices,
            (self.NO_COMPANY, _("No company (merchant's staff)")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NO_COMPANY:
            return queryset.filter(company__isnull=True)
        if value in CompanyStatus.values:
            return queryset.filter(company__status=value)
        return queryset


class ApiTokenInline(admin.TabularInline):
    """The user's API tokens (only their digests are stored): delete one to revoke it."""

    model = ApiToken
    fields = ("created_at", "last_used_at")
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # a token is issued by POST /api/v1/auth/token, shown once


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Buyers of the customer companies and the merchant's staff, who log in by e-mail."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = (
        "email",
        "first_name",
        "last_name",
        "company",
        "role",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_select_related = ("company",)
    list_filter = (
        CompanyStatusListFilter,
        "role",
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
    )
    search_fields = ("email", "first_name", "last_name", "company__name", "company__code")
    ordering = ("email",)
    autocomplete_fields = ("company",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Company"), {"fields": ("company", "role", "all_locations", "locations")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
        (
            _("Company"),
            {
                "description": _("Leave the company empty for the merchant's staff."),
                "fields": ("company", "role"),
            },
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":
            return RoleChoiceField(label=db_field.verbose_name, help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "locations":
            user_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Location.objects.filter(company__users__pk=user_id)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        return (ApiTokenInline,) if obj is not None else ()
