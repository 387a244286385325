from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.permissions import (
    ADMINISTRATOR,
    APPROVE_ORDERS,
    APPROVER,
    BUILTIN_ROLES,
    BUYER,
    MANAGE_ADDRESSES,
    MANAGE_LISTS,
    MANAGE_USERS,
    PLACE_ORDERS,
    REQUEST_QUOTES,
    REQUESTER,
    SEE_COMPANY_ORDERS,
    SEE_INVOICES,
    SEE_PRICES,
    VIEWER,
    unknown_permissions,
)
from comptoir.core.fields import CodeField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


def language_choices():
    return settings.LANGUAGES


PERMISSION_LABELS = {
    PLACE_ORDERS: _("Place orders"),
    APPROVE_ORDERS: _("Approve orders"),
    SEE_PRICES: _("See prices"),
    SEE_INVOICES: _("See invoices and credit"),
    SEE_COMPANY_ORDERS: _("See the company's orders (else only one's own)"),
    MANAGE_USERS: _("Manage users"),
    MANAGE_ADDRESSES: _("Manage addresses"),
    MANAGE_LISTS: _("Manage shared lists"),
    REQUEST_QUOTES: _("Request quotes"),
}

BUILTIN_ROLE_NAMES = {
    ADMINISTRATOR: _("Administrator"),
    BUYER: _("Buyer"),
    APPROVER: _("Approver"),
    REQUESTER: _("Requester"),
    VIEWER: _("Viewer"),
}


class Role(models.Model):
    """A role the merchant adds for the store: a named set of permissions.

    The built-in roles (`permissions.BUILTIN_ROLES`) live in code, not here: they exist on every
    store, loaded or empty, and nobody can change what they allow.
    """

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)

    class Meta:
        verbose_name = _("store role")
        verbose_name_plural = _("store roles")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @classmethod
    def code_exists(cls, code: str) -> bool:
        """Whether a user may be given this role code: built-in, or one of the store's."""
        return code in BUILTIN_ROLES or cls.objects.filter(code=code).exists()

    def clean(self):
        super().clean()
        if self.code in BUILTIN_ROLES:
            raise ValidationError({"code": _("This code belongs to a built-in role.")})
        if not isinstance(self.permissions, list) or not all(
            isinstance(p, str) for p in self.permissions
        ):
            raise ValidationError({"permissions": _("Give a list of permission names.")})
        unknown = unknown_permissions(self.permissions)
        if unknown:
            raise ValidationError(
                {
                    "permissions": _("Unknown permissions: %(names)s.")
                    % {"names": ", ".join(unknown)}
                }
            )


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in by e-mail: a buyer of a customer company, or the merchant's staff."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Empty for the merchant's staff."),
    )
    role = models.CharField(
        _("role"),
        max_length=64,
        default=BUYER,
        help_text=_("The code of a built-in role or of a store role."),
    )
    all_locations = models.BooleanField(
        _("all locations"),
        default=True,
        help_text=_("Acts for every location of the company; else only for those chosen."),
    )
    locations = models.ManyToManyField(
        "customers.Location",
        verbose_name=_("locations"),
        blank=True,
        related_name="users",
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the back office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=language_choices,
        help_text=_("The language of the e-mails this user receives; empty: the store's."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if not Role.code_exists(self.role):
            raise ValidationError({"role": _("There is no role with this code.")})

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
