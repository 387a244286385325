"""The back office of returns: the merchant accepts or refuses a request, marks the goods
received (restocked or not) and issues the credit note, from the return's page; every move
goes through services.py. Returns are never typed in nor deleted here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comptoir.core.errors import BusinessRuleError
from comptoir.returns import services
from comptoir.returns.models import ReturnEvent, ReturnLine, ReturnRequest
from comptoir.returns.views import photo_response

ACTIONS = {
    "accept": lambda found, user, message: services.return_accept(
        request=found, user=user, message=message
    ),
    "refuse": lambda found, user, message: services.return_refuse(
        request=found, user=user, message=message
    ),
    "receive_restock": lambda found, user, message: services.return_receive(
        request=found, user=user, restock=True
    ),
    "receive": lambda found, user, message: services.return_receive(
        request=found, user=user, restock=False
    ),
    "credit": lambda found, user, message: services.return_credit(request=found, user=user),
}


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    fields = ("sku", "name", "quantity")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    fields = ("at", "actor", "from_state", "to_state", "message")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "requested_at", "company", "order", "reason", "state")
    list_select_related = ("company", "order")
    list_filter = ("state", "reason")
    search_fields = ("number", "order__number", "company__code", "company__name")
    ordering = ("-requested_at", "-number")
    fields = (
        "number",
        "order",
        "company",
        "requested_by",
        "state",
        "reason",
        "comment",
        "photo_link",
        "decision",
        "restocked",
        "credit_note",
        "requested_at",
    )
    readonly_fields = fields
    inlines = (ReturnLineInline, ReturnEventInline)
    change_form_template = "admin/returns/returnrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        if not obj.photo:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:returns_returnrequest_photo", args=[obj.pk]),
            _("See the photo"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/move/",
                self.admin_site.admin_view(self.move_view),
                name="returns_returnrequest_move",
            ),
            path(
                "<int:pk>/photo/",
                self.admin_site.admin_view(self.photo_view),
                name="returns_returnrequest_photo",
            ),
            *super().get_urls(),
        ]

    def _found(self, request, pk, *, change: bool) -> ReturnRequest:
        found = ReturnRequest.objects.filter(pk=pk).select_related("order").first()
        if found is None:
            raise Http404(_("No such return."))
        allowed = (
            self.has_change_permission(request, found)
            if change
            else self.has_view_or_change_permission(request, found)
        )
        if not allowed:
            raise PermissionDenied
        return found

    def move_view(self, request, pk):
        """One of ACTIONS, posted from the return's page, through the services."""
        found = self._found(request, pk, change=True)
        change_url = reverse("admin:returns_returnrequest_change", args=[found.pk])
        action = request.POST.get("action", "")
        if request.method != "POST" or action not in ACTIONS:
            return HttpResponseRedirect(change_url)
        try:
            ACTIONS[action](found, request.user, request.POST.get("message", "")[:1000])
        except BusinessRuleError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Return %(number)s: %(state)s.")
                % {"number": found.number, "state": found.get_state_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    def photo_view(self, request, pk):
        return photo_response(self._found(request, pk, change=False))
