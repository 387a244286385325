import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.accounts.forms import RoleChoiceField
from comptoir.accounts.models import User
from comptoir.core.admin_forms import ask_reason
from comptoir.core.admin_money import localized_decimal, money_column
from comptoir.core.admin_widgets import LongInlineMixin
from comptoir.core.errors import BusinessRuleError
from comptoir.core.money import round2
from comptoir.core.selectors import get_store, store_today
from comptoir.customers.models import (
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    GroupMove,
    GroupMoveSource,
    Location,
    SegmentationCondition,
    SegmentationRule,
)
from comptoir.customers.profiles import company_profiles, with_order_metrics
from comptoir.customers.segmentation import active_rules, decide
from comptoir.customers.segmentation_services import (
    group_move_record,
    load_rules,
    segmentation_apply,
    segmentation_preview,
)
from comptoir.customers.services import (
    companies_approve,
    companies_reject,
    companies_suspend,
    locations_ensure,
)
from comptoir.ordering.models import GroupOrderRule
from comptoir.pricing.models import VolumeDiscountTier
from comptoir.tax.models import TaxCertificate


def changelist_link(model, text, **filters):
    """A link to a model's back-office list, filtered (`field__id__exact=...`)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, text)


# Customer groups


class VolumeDiscountTierInline(admin.TabularInline):
    model = VolumeDiscountTier
    fields = ("min_total_qty", "percent")
    extra = 0


class GroupOrderRuleInline(LongInlineMixin, admin.TabularInline):
    model = GroupOrderRule
    fields = ("product", "min_qty", "max_qty", "qty_step")
    autocomplete_fields = ("product",)
    extra = 0


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "company_count",
        "min_order_amount",
        "tax_exempt",
        "limit_catalog",
    )
    list_filter = ("tax_exempt", "limit_catalog")
    search_fields = ("code", "name")
    ordering = ("code",)
    autocomplete_fields = ("catalog_categories",)
    readonly_fields = ("related_lists",)
    fieldsets = (
        (None, {"fields": ("code", "name", "related_lists")}),
        (_("Order rules and tax"), {"fields": ("min_order_amount", "tax_exempt")}),
        (_("Catalog"), {"fields": ("limit_catalog", "catalog_categories")}),
    )
    inlines = (VolumeDiscountTierInline, GroupOrderRuleInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_company_count=Count("companies"))

    @admin.display(description=_("companies"), ordering="_company_count")
    def company_count(self, obj):
        return changelist_link(Company, obj._company_count, group__id__exact=obj.pk)

    @admin.display(description=_("see also"))
    def related_lists(self, obj):
        if obj.pk is None:
            return "-"
        return format_html(
            "{} · {}",
            changelist_link(
                Company,
                ngettext("%(count)d company", "%(count)d companies", obj._company_count)
                % {"count": obj._company_count},
                group__id__exact=obj.pk,
            ),
            changelist_link(GroupOrderRule, _("order rules"), customer_group__id__exact=obj.pk),
        )


# Companies


class CompanyChildInline(admin.TabularInline):
    """An inline whose choices of addresses and locations are those of the company shown."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Address, Location):
            company_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = db_field.related_model.objects.filter(company_id=company_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LocationInline(CompanyChildInline):
    """The company's sites; its users may be limited to some of them."""

    model = Location
    fields = ("position", "code", "name", "billing_address")
    extra = 0


class AddressInline(CompanyChildInline):
    model = Address
    fields = (
        "position",
        "code",
        "location",
        "line1",
        "line2",
        "postal_code",
        "city",
        "region",
        "country",
    )
    extra = 0


class BuyerInline(admin.TabularInline):
    """The company's buyers; a new one logs in once it has a password (reset or set it)."""

    model = User
    fk_name = "company"
    fields = ("email", "first_name", "last_name", "role", "all_locations", "is_active")
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":
            return RoleChoiceField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    verbose_name = _("buyer")
    verbose_name_plural = _("buyers (open a buyer to set a password)")


class TaxCertificateInline(admin.TabularInline):
    """The company's certificates, to read: they are added, reviewed and renewed on their own
    page, where uploads are checked and decisions reach the buyers."""

    model = TaxCertificate
    fields = ("number", "country", "region", "issued_on", "expires_on", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class GroupMoveInline(admin.TabularInline):
    """The company's audit trail of group changes, newest first; read-only."""

    model = GroupMove
    fk_name = "company"
    fields = ("moved_at", "from_group_code", "to_group_code", "source", "why", "moved_by")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-moved_at", "-id")
    verbose_name_plural = _("group changes (audit trail)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moved_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("rule"))
    def why(self, obj):
        if obj.rule_description:
            return obj.rule_description
        if obj.source == GroupMoveSource.RULE:
            return _("no rule matched: the store's default group")
        return "-"


def _request_store(request):
    """The store, read once per request (the list's queryset and filters all need it)."""
    store = getattr(request, "_comptoir_store", None)
    if store is None:
        store = request._comptoir_store = get_store()
    return store


class OrderVolumeFilter(admin.SimpleListFilter):
    """Ranges of the net order volume over 12 months; each includes its lower bound."""

    title = _("order volume 12 m")
    parameter_name = "volume_12m"
    RANGES = {
        "none": (None, Decimal("0.01")),
        "lt1k": (Decimal("0.01"), Decimal("1000")),
        "1k-10k": (Decimal("1000"), Decimal("10000")),
        "10k-50k": (Decimal("10000"), Decimal("50000")),
        "ge50k": (Decimal("50000"), None),
    }

    def lookups(self, request, model_admin):
        def amount(value):
            return number_format(value, decimal_pos=0, force_grouping=True)

        return [
            ("none", _("no order")),
            ("lt1k", _("under %(high)s") % {"high": amount(1000)}),
            ("1k-10k", _("%(low)s to %(high)s") % {"low": amount(1000), "high": amount(10000)}),
            (
                "10k-50k",
                _("%(low)s to %(high)s") % {"low": amount(10000), "high": amount(50000)},
            ),
            ("ge50k", _("%(low)s and more") % {"low": amount(50000)}),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high = self.RANGES[self.value()]
        if low is not None:
            queryset = queryset.filter(order_volume_12m__gte=low)
        if high is not None:
            queryset = queryset.filter(order_volume_12m__lt=high)
        return queryset


class LastOrderFilter(admin.SimpleListFilter):
    title = _("last order")
    parameter_name = "last_order"
    DAYS = {"30": 30, "90": 90, "365": 365}

    def lookups(self, request, model_admin):
        return [
            ("30", _("in the last 30 days")),
            ("90", _("in the last 90 days")),
            ("365", _("in the last 12 months")),
            ("older", _("more than 12 months ago")),
            ("never", _("never")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "never":
            return queryset.filter(last_order_at__isnull=True)
        if value not in self.DAYS and value != "older":
            return queryset
        store = _request_store(request)
        days = self.DAYS.get(value, 365)
        since = datetime.datetime.combine(
            store_today(store) - datetime.timedelta(days=days),
            datetime.time.min,
            tzinfo=ZoneInfo(store.time_zone),
        )
        if value == "older":
            return queryset.filter(last_order_at__lt=since)
        return queryset.filter(last_order_at__gte=since)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "group",
        "status",
        "country",
        money_column(Company, "credit_limit"),
        "buyer_count",
        "volume_12m",
        "orders_12m",
        "last_order",
        "created_at",
    )
    list_select_related = ("group",)
    list_filter = (
        "status",
        "group",
        "country",
        "pinned_group",
        OrderVolumeFilter,
        LastOrderFilter,
    )
    search_fields = ("code", "name", "vat_number", "users__email")
    ordering = ("name",)
    readonly_fields = ("created_at", "segmentation_profile")
    actions = ("approve", "reject", "suspend")
    fieldsets = (
        (None, {"fields": ("code", "name", "status", "rejection_reason", "created_at")}),
        (_("Customer group"), {"fields": ("group", "pinned_group", "segmentation_profile")}),
        (_("Tax and location"), {"fields": ("country", "region", "vat_number")}),
        (_("Payment"), {"fields": ("credit_limit",)}),
    )
    inlines = (LocationInline, AddressInline, BuyerInline, TaxCertificateInline, GroupMoveInline)

    def get_queryset(self, request):
        """Each company with its buyer count and order metrics, as subqueries (no join, no
        GROUP BY): the list's columns and filters cost no query per row."""
        store = _request_store(request)
        buyers = (
            User.objects.filter(company=OuterRef("pk"))
            .order_by()
            .values("company")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = (
            super().get_queryset(request).annotate(_buyer_count=Coalesce(Subquery(buyers), 0))
        )
        queryset = with_order_metrics(queryset, today=store_today(store), time_zone=store.time_zone)
        return queryset.annotate(
            last_order_on=TruncDate("last_order_at", tzinfo=ZoneInfo(store.time_zone))
        )

    @admin.display(description=_("buyers"), ordering="_buyer_count")
    def buyer_count(self, obj):
        return obj._buyer_count

    @admin.display(description=_("order volume 12 m"), ordering="order_volume_12m")
    def volume_12m(self, obj):
        return localized_decimal(round2(obj.order_volume_12m))

    @admin.display(description=_("orders 12 m"), ordering="order_count_12m")
    def orders_12m(self, obj):
        return obj.order_count_12m

    @admin.display(description=_("last order"), ordering="last_order_at", empty_value="-")
    def last_order(self, obj):
        return obj.last_order_on

    @admin.display(description=_("segmentation profile"))
    def segmentation_profile(self, obj):
        """The company's metrics today and the group the rules give it."""
        if obj is None or obj.pk is None:
            return "-"
        store = get_store()
        today = store_today(store)
        profile = next(
            company_profiles(
                Company.objects.filter(pk=obj.pk), today=today, time_zone=store.time_zone
            ),
            None,
        )
        if profile is None:
            return "-"
        decision = decide(
            profile, active_rules(load_rules()), default_group_id=store.default_group_id
        )
        target = (
            CustomerGroup.objects.filter(pk=decision.group_id)
            .values_list("code", flat=True)
            .first()
        )
        rows = [
            (_("order volume 12 m (net)"), localized_decimal(profile.order_volume_12m)),
            (_("orders 12 m"), profile.order_count_12m),
            (_("units 12 m"), profile.units_12m),
            (_("average days between orders"), _none(profile.avg_days_between_orders)),
            (_("days since the last order"), _none(profile.days_since_last_order)),
            (_("last order"), _none(profile.last_order_on)),
            (_("categories bought"), ", ".join(sorted(profile.categories_bought)) or "-"),
        ]
        if decision.rule is None:
            verdict = _("No rule matches: the store's default group, %(group)s.") % {
                "group": target
            }
        else:
            verdict = _("Rule %(position)s matches: group %(group)s.") % {
                "position": decision.rule.position,
                "group": target,
            }
        if obj.status != CompanyStatus.APPROVED:
            verdict = format_html(
                "{} {}", verdict, _("The company is not approved: the rules leave it alone.")
            )
        elif profile.pinned and decision.group_id != profile.group_id:
            verdict = format_html("{} {}", verdict, _("The group is pinned: it stays."))
        return format_html(
            '<table class="segmentation-profile">{}</table><p>{}</p><p class="help">{}</p>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
            verdict,
            _("On %(today)s, over the 12 months to that day.") % {"today": today.isoformat()},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        locations_ensure(company_ids=[form.instance.pk])

    def save_model(self, request, obj, form, change):
        """A change of group by hand goes into the audit trail."""
        super().save_model(request, obj, form, change)
        if change and "group" in form.changed_data:
            previous = CustomerGroup.objects.get(pk=form.initial["group"])
            group_move_record(company=obj, from_group=previous, moved_by=request.user)
            if not obj.pinned_group:
                self.message_user(
                    request,
                    _(
                        "The segmentation rules may move this company again: pin its group "
                        "to keep it in %(group)s."
                    )
                    % {"group": obj.group.code},
                    messages.WARNING,
                )

    def get_readonly_fields(self, request, obj=None):
        """Status changes go through the actions, which tell the buyers (e-mails, links)."""
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "status", "rejection_reason") if obj else fields

    @admin.action(description=_("Approve the selected companies"), permissions=["change"])
    def approve(self, request, queryset):
        count = companies_approve(companies=queryset, site_url=request.build_absolute_uri("/"))
        self.message_user(
            request,
            ngettext(
                "%(count)d company approved; its buyers were sent an e-mail.",
                "%(count)d companies approved; their buyers were sent an e-mail.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected account requests"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason first: it goes to the applicants."""
        reason = ask_reason(
            self,
            request,
            label=_("Reason, sent to the applicants"),
            title=_("Reject account requests"),
            intro=_(
                "These pending requests will be rejected; the applicants receive the reason "
                "by e-mail:"
            ),
            nothing=_("None of the selected companies is a pending request: nothing will change."),
            selected=queryset,
            rejected=[
                f"{company} ({company.country})"
                for company in queryset.filter(status=CompanyStatus.PENDING)
            ],
        )
        if isinstance(reason, TemplateResponse):
            return reason
        count = companies_reject(
            companies=queryset,
            reason=reason,
            site_url=request.build_absolute_uri("/"),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d account request rejected.", "%(count)d account requests rejected.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Suspend the selected companies"), permissions=["change"])
    def suspend(self, request, queryset):
        count = companies_suspend(companies=queryset)
        self.message_user(
            request,
            ngettext("%(count)d company suspended.", "%(count)d companies suspended.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("company", "code", "line1", "postal_code", "city", "region", "country")
    list_select_related = ("company",)
    list_filter = ("country",)
    search_fields = ("company__code", "company__name", "code", "line1", "postal_code", "city")
    ordering = ("company__name", "position", "id")
    autocomplete_fields = ("company",)


# Segmentation

PREVIEW_LISTED = 50  # companies named per move in the preview; the others are counted


def _none(value):
    return "-" if value is None else value


class SegmentationConditionInline(admin.TabularInline):
    model = SegmentationCondition
    fields = ("field", "op", "value")
    extra = 1


@admin.register(SegmentationRule)
class SegmentationRuleAdmin(admin.ModelAdmin):
    change_list_template = "admin/customers/segmentationrule/change_list.html"
    list_display = ("position", "group", "conditions_summary", "active")
    list_display_links = ("position", "group")
    list_select_related = ("group",)
    list_filter = ("active", "group")
    list_editable = ("active",)
    search_fields = ("group__code", "group__name", "conditions__value")
    ordering = ("position",)
    fields = ("position", "group", "active")
    inlines = (SegmentationConditionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="customers_segmentationrule_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The dry run of the rules, and the button that applies them (POST)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_apply = request.user.has_perm("customers.change_company")
        if request.method == "POST":
            if not may_apply:
                raise PermissionDenied
            try:
                result = segmentation_apply(
                    moved_by=request.user,
                    expected_fingerprint=request.POST.get("fingerprint", ""),
                )
            except BusinessRuleError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d company moved.", "%(count)d companies moved.", result.moved)
                    % {"count": result.moved},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.path)
        plan = segmentation_preview()
        return TemplateResponse(
            request,
            "admin/customers/segmentationrule/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Preview segmentation"),
                "opts": self.model._meta,
                "plan": plan,
                "outcomes": plan.outcomes(listed=PREVIEW_LISTED),
                "may_apply": may_apply,
            },
        )

    @admin.display(description=_("conditions"))
    def conditions_summary(self, obj):
        conditions = obj.conditions.all()
        if not conditions:
            return _("every company")
        return format_html_join(
            mark_safe("<br>"),
            "{} {} {}",
            ((c.get_field_display(), c.get_op_display(), c.value) for c in conditions),
        )


@admin.register(SegmentationCondition)
class SegmentationConditionAdmin(admin.ModelAdmin):
    list_display = ("rule", "field", "op", "value")
    list_select_related = ("rule__group",)
    list_filter = ("field", "rule__group")
    search_fields = ("value", "rule__group__code")
    ordering = ("rule__position", "id")
