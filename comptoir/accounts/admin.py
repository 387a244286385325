from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.models import ApiToken, User
from comptoir.customers.models import CompanyStatus


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
        (_("Company"), {"fields": ("company", "role")}),
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

    def get_inlines(self, request, obj):
        return (ApiTokenInline,) if obj is not None else ()
