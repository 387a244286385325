"""Typed product attributes (issue 20): what a value must be for its definition. Pure.

A category defines attributes (thread, length in mm, material among choices); its products
and those of its subcategories give them values. A number is kept written as the store
writes it back (`Decimal`, no exponent, no trailing zeros); a choice must be one of the
definition's, matched without regard to case and written as defined.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

TEXT, NUMBER, CHOICE = "text", "number", "choice"
MAX_VALUE_LENGTH = 200

NOT_A_NUMBER = _("Write a number, e.g. 12 or 2.5.")
NOT_A_CHOICE = _("Choose one of: %(choices)s.")
EMPTY = _("Write a value or remove the line.")
NUMBER_NOT_TRANSLATED = _("A number is not translated: each language writes it in its own format.")
CHOICE_NOT_TRANSLATED = _(
    "A choice is not translated on the product: translate the attribute's choices."
)


def choice_list(text: str) -> list[str]:
    """The choices of a definition, one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def normalized_value(kind: str, choices: list[str], raw: str) -> tuple[str | None, object]:
    """(the value as stored, None) or (None, the message saying why it is refused)."""
    value = " ".join((raw or "").split())
    if not value:
        return None, EMPTY
    if kind == NUMBER:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            return None, NOT_A_NUMBER
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            return None, NOT_A_NUMBER
        number = number.normalize()
        # `1e-999999` would be written out as a million characters: refused before
        if number.as_tuple().exponent < -MAX_VALUE_LENGTH:
            return None, NOT_A_NUMBER
        text = format(number, "f")
        return text, None
    if kind == CHOICE:
        for choice in choices:
            if choice.casefold() == value.casefold():
                return choice, None
        return None, NOT_A_CHOICE % {"choices": ", ".join(choices)}
    return value[:MAX_VALUE_LENGTH], None


def translation_refusal(kind: str):
    """Why a value of this kind takes no translation (None: a text does). A number is written
    in the reader's format and a choice in the translated choices of its definition, so a
    translation of either on the product would only contradict them."""
    if kind == NUMBER:
        return NUMBER_NOT_TRANSLATED
    if kind == CHOICE:
        return CHOICE_NOT_TRANSLATED
    return None
