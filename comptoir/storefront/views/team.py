"""The team page of a company (issue 15): colleagues, invitations and the record of changes,
for users who may manage users; and the page where an invited colleague joins."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.accounts.permissions import BUYER, MANAGE_USERS
from comptoir.accounts.selectors import user_access
from comptoir.core.errors import BusinessRuleError
from comptoir.storefront import auth_backend
from comptoir.storefront.access import open_to_visitors
from comptoir.teams import selectors
from comptoir.teams.forms import InvitationForm, JoinForm, PlacementForm
from comptoir.teams.links import invitation_for_token
from comptoir.teams.services import (
    invitation_accept,
    invitation_cancel,
    invitation_resend,
    member_invite,
    member_set_active,
    member_update,
)


def _refusal(request):
    """A clear page, not a bare 403, for a colleague whose role does not cover the team."""
    viewer = request.viewer
    if viewer.company is not None and user_access(viewer.user).allows(MANAGE_USERS):
        return None
    return TemplateResponse(
        request,
        "storefront/permission_denied.html",
        {"reason": _("Your role does not allow you to manage your company's users.")},
        status=403,
    )


@require_http_methods(["GET", "POST"])
@login_required
def team(request):
    """GET: the team; POST: invite a colleague (bad input re-renders the page)."""
    refused = _refusal(request)
    if refused:
        return refused
    company = request.viewer.company
    locations = selectors.company_locations(company)
    form = InvitationForm(
        request.POST or None,
        locations=locations,
        initial={"language": get_language(), "role": BUYER},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = member_invite(
                actor=request.viewer.user,
                staff=request.viewer.staff,
                email=form.cleaned_data["email"],
                placement=form.placement(),
                language=form.cleaned_data["language"],
                site_url=request.build_absolute_uri("/"),
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("storefront:team")
    return render(
        request,
        "storefront/team.html",
        {
            "company": company,
            "members": selectors.team_of(company),
            "invitations": selectors.open_invitations(company),
            "events": selectors.team_events(company),
            "locations": locations,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def team_member(request, user_id: int):
    """Change a colleague's role and locations, or deactivate or reactivate them."""
    refused = _refusal(request)
    if refused:
        return refused
    company = request.viewer.company
    member = next((m for m in selectors.team_of(company) if m.user.pk == user_id), None)
    if member is None:
        raise Http404
    locations = selectors.company_locations(company)
    initial = {
        "role": member.user.role,
        "all_locations": member.locations is None,
        "locations": [loc.code for loc in member.locations or []],
    }
    form = PlacementForm(request.POST or None, locations=locations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member_update(
                actor=request.viewer.user,
                staff=request.viewer.staff,
                user_id=user_id,
                placement=form.placement(),
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(email)s updated.") % {"email": member.user.email})
            return redirect("storefront:team")
    return render(
        request,
        "storefront/team_member.html",
        {"member": member, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def team_member_active(request, user_id: int):
    refused = _refusal(request)
    if refused:
        return refused
    active = request.POST.get("active") == "1"
    try:
        member = member_set_active(
            actor=request.viewer.user, staff=request.viewer.staff, user_id=user_id, active=active
        )
    except BusinessRuleError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, error.message)
    else:
        text = _("%(email)s can log in again.") if active else _("%(email)s is deactivated.")
        messages.success(request, text % {"email": member.email})
    return redirect("storefront:team")


@require_POST
@login_required
def team_invitation(request, invitation_id: int):
    """Send an invitation again (a new link) or cancel it."""
    refused = _refusal(request)
    if refused:
        return refused
    try:
        if request.POST.get("action") == "cancel":
            invitation_cancel(
                actor=request.viewer.user, staff=request.viewer.staff, invitation_id=invitation_id
            )
            messages.success(request, _("Invitation cancelled."))
        else:
            invitation = invitation_resend(
                actor=request.viewer.user,
                staff=request.viewer.staff,
                invitation_id=invitation_id,
                site_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
            )
    except BusinessRuleError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, error.message)
    return redirect("storefront:team")


@open_to_visitors
@require_http_methods(["GET", "POST"])
def team_join(request, token: str):
    """The invited colleague chooses a name and a password, and is logged in."""
    try:
        invitation = invitation_for_token(token)
    except BusinessRuleError as error:
        return TemplateResponse(
            request, "storefront/permission_denied.html", {"reason": error.message}, status=400
        )
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except BusinessRuleError as error:
            form.add_error(
                "password1" if error.code == "password_too_weak" else None, error.message
            )
        else:
            login(request, user, backend=auth_backend.PATH)
            messages.success(
                request, _("Welcome to %(company)s.") % {"company": invitation.company.name}
            )
            return redirect("storefront:home")
    return render(
        request,
        "storefront/team_join.html",
        {"invitation": invitation, "form": form},
        status=422 if request.method == "POST" else 200,
    )
