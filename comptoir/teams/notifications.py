"""The invitation e-mail, written in the language chosen for the invitee."""

from django.urls import reverse
from django.utils import translation

from comptoir.core.mail import language_of, send_templated
from comptoir.core.selectors import get_store
from comptoir.teams.links import INVITATION_DAYS, invitation_token


def invitation(invitation, site_url: str) -> None:
    with translation.override(language_of(invitation)):
        path = reverse("storefront:team_join", kwargs={"token": invitation_token(invitation)})
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "company": invitation.company,
        "store": get_store(),
        "link": site_url.rstrip("/") + path,
        "days": INVITATION_DAYS,
    }
    send_templated(invitation, "teams/email/invitation", context)
