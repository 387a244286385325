"""Field validators shared by the models, the admin forms and the bundle loader."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum import bic, iban
from stdnum.exceptions import ValidationError as StdnumError

from comptoir.core.geography import is_country, is_currency

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
CODE_RE = re.compile(CODE_PATTERN)

validate_code = RegexValidator(
    CODE_PATTERN,
    _("Use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)


def validate_country(value: str) -> None:
    if not is_country(value):
        raise ValidationError(
            _("%(value)s is not an ISO 3166 country code."), params={"value": value}
        )


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code."), params={"value": value}
        )


def validate_iban(value: str) -> None:
    """An IBAN, check digits included (python-stdnum); spaces are allowed."""
    try:
        iban.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid IBAN."), params={"value": value}
        ) from None


def validate_bic(value: str) -> None:
    try:
        bic.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid BIC (8 or 11 characters)."), params={"value": value}
        ) from None
