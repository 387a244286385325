"""Acting as a buyer in the session (issue 18): switch, check on every request, switch back.

The session is the buyer's while a staff user acts, so the storefront and the API apply the
buyer's own role and company without knowing about acting; the staff user's id rides along
under `SESSION_KEY`. The session is switched by hand rather than with `auth.login`, so that
the buyer's `last_login` and the log-in throttle are not touched by someone else's visit.
The way back asks no password: the session holds the staff user's id; a session that ended
meanwhile (logged out, acting no longer allowed) means logging in to the back office again.
"""

from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpResponseForbidden
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.sales import rules
from comptoir.sales.selectors import actor_facts, target_facts
from comptoir.sales.services import acting_stop, acting_wrote
from comptoir.storefront import auth_backend

SESSION_KEY = "sales_acting_staff_id"
STAFF_HASH_KEY = "sales_acting_staff_hash"
"""The staff user's session hash when acting began: a password change since then ends acting,
as it ends the staff user's other sessions (the way back would otherwise hand the staff
session over without the new password)."""
BACKEND = auth_backend.PATH

REFUSED_WHILE_ACTING = frozenset(
    {
        "storefront:login",
        "storefront:password_reset",
        "storefront:password_reset_sent",
        "storefront:password_set",
        "storefront:password_set_done",
        "storefront:team_join",
    }
)
"""Pages that touch the buyer's credentials or identity: never the representative's to use."""

WRITES_REFUSED_WHILE_ACTING = frozenset(
    {
        "storefront:approval_rule_new",
        "storefront:approval_rule",
        "storefront:approval_rule_delete",
        "storefront:budget_new",
        "storefront:budget",
        "storefront:budget_delete",
        "storefront:certificate_upload",
    }
)
"""Company administration a representative may look at but not change while acting: the
company's own spending controls (approval rules, budgets) and its tax-exemption declarations.
Loosening a customer's controls or declaring an exemption is the customer's decision; the
merchant changes them in the back office, where its own permissions and history apply
(docs/sales-representatives.md, "Writes while acting")."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def switch_session(request, user: User, *, acting_staff: User | None = None) -> None:
    """Make the session `user`'s, with a new key and CSRF token (as a log-in does)."""
    request.session.cycle_key()
    request.session[USER_SESSION_KEY] = user._meta.pk.value_to_string(user)
    request.session[BACKEND_SESSION_KEY] = BACKEND
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if acting_staff is None:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(STAFF_HASH_KEY, None)
    else:
        request.session[SESSION_KEY] = acting_staff.pk
        request.session[STAFF_HASH_KEY] = acting_staff.get_session_auth_hash()
    request.user = user
    rotate_token(request)


def still_allowed(staff: User | None, buyer) -> bool:
    """Acting ends by itself when the rules stop allowing it (company unassigned, account
    deactivated, staff rights withdrawn) between two requests."""
    if staff is None or not buyer.is_authenticated:
        return False
    return rules.acting_refusal(actor_facts(staff), target_facts(buyer)) is None


class ActingMiddleware:
    """Sets `request.acting_staff` (None unless acting) and keeps acting within its limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_staff = None
        staff_id = request.session.get(SESSION_KEY)
        if staff_id is None:
            return self.get_response(request)
        # Read before `request.user`, whose loading empties a session that no longer
        # authenticates (the buyer's password changed).
        buyer_id = request.session.get(USER_SESSION_KEY)
        staff = User.objects.filter(pk=staff_id).first()
        if not (
            still_allowed(staff, request.user)
            and constant_time_compare(
                request.session.get(STAFF_HASH_KEY, ""), staff.get_session_auth_hash()
            )
        ):
            buyer = _session_buyer(request, buyer_id)
            if staff is not None and buyer is not None:
                acting_stop(staff=staff, buyer=buyer, ip_address=client_ip(request))
            request.session.flush()
            return redirect("admin:login")
        request.acting_staff = staff
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            self._record_write(request, staff, response)
        return response

    @staticmethod
    def _record_write(request, staff: User, response) -> None:
        """Every write accepted while acting goes into the acting trail, beside whatever the
        written row records itself; the way back (and logging out) records its own end."""
        if request.session.get(SESSION_KEY) != staff.pk or not request.user.is_authenticated:
            return
        acting_wrote(
            staff=staff,
            buyer=request.user,
            request=f"{request.method} {request.path} {response.status_code}",
            ip_address=client_ip(request),
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.acting_staff is None or request.resolver_match is None:
            return None
        match = request.resolver_match
        if match.view_name in REFUSED_WHILE_ACTING:
            return HttpResponseForbidden(
                render_to_string("sales/refused_while_acting.html", request=request)
            )
        if match.view_name in WRITES_REFUSED_WHILE_ACTING and request.method not in SAFE_METHODS:
            return HttpResponseForbidden(
                render_to_string(
                    "sales/refused_while_acting.html",
                    {"company_administration": True},
                    request=request,
                )
            )
        if "admin" in match.namespaces:
            messages.info(request, _("Stop acting as the buyer to go back to the back office."))
            return redirect("storefront:home")
        return None


def _session_buyer(request, buyer_id) -> User | None:
    """The buyer this session acts as, even when their account no longer authenticates
    (deactivated, password changed): the audit trail names them in the recorded stop."""
    if request.user.is_authenticated:
        return request.user
    return User.objects.filter(pk=buyer_id).first() if buyer_id else None


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_out)
def _logged_out_while_acting(sender, request, user, **kwargs):
    """Logging out of the storefront while acting ends acting too: the audit trail says so."""
    if request is None or user is None:
        return
    staff_id = request.session.get(SESSION_KEY)
    staff = User.objects.filter(pk=staff_id).first() if staff_id else None
    if staff is not None:
        acting_stop(staff=staff, buyer=user, ip_address=client_ip(request))
