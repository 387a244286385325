"""Invitation links: signed, single-use, valid for seven days from when they were sent.

The signature covers the invitation and a nonce drawn at each sending, so a link cannot be
guessed or altered, and only the latest one sent works.
"""

import datetime

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Company
from comptoir.teams.models import Invitation

INVITATION_DAYS = 7
_SALT = "comptoir.teams.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=_SALT).sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_for_token(token: str, *, company: Company | None = None) -> Invitation:
    """The open invitation a link stands for; refused alike when expired, used, cancelled,
    tampered with, or (given a company) another company's, so a link reveals nothing."""
    invalid = BusinessRuleError(
        "invitation_invalid",
        _("This invitation link is not valid any more. Ask your administrator for a new one."),
    )
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        raise invalid from None
    pk, _dot, nonce = value.partition(".")
    invitation = (
        Invitation.objects.select_related("company").filter(pk=pk, nonce=nonce).first()
        if pk.isdigit()
        else None
    )
    if invitation is None or not invitation.is_open:
        raise invalid
    if timezone.now() > invitation.sent_at + datetime.timedelta(days=INVITATION_DAYS):
        raise invalid
    if company is not None and invitation.company_id != company.pk:
        raise invalid
    return invitation
