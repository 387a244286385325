"""The compiled French catalogue, read as a French proofreader would: VAT is "TVA", and a
no-break space comes before the two-part signs (: ; ! ?) and the percent sign, so that
none of them starts a line."""

import gettext
import re
from pathlib import Path

import pytest

MO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
NARROW = "\N{NARROW NO-BREAK SPACE}"
NO_BREAK = "\N{NO-BREAK SPACE}" + NARROW
# A no-break space before a colon, a narrow one (or a full one) before ; ! and ?, so that no
# sign starts a line. "https://" and "02:30" are not punctuation.
BAD_PUNCTUATION = re.compile(rf"(?<![{NO_BREAK}])(?:[;!?]|:(?!//)(?<!\d:(?=\d)))")
BAD_PERCENT = re.compile(rf"(?<=[^{NO_BREAK}%])%%|(?<=[\d ])%(?![(%])")


def french_messages() -> list[str]:
    with MO.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    return [text for key, text in catalog.items() if key]


def test_the_catalogue_is_compiled_and_not_empty():
    assert len(french_messages()) > 500


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Total : 12 €", 1),  # a breaking space
        ("Total: 12 €", 1),
        ("Total\N{NO-BREAK SPACE}: 12 €", 0),
        ("Vraiment\N{NARROW NO-BREAK SPACE}? Oui\N{NARROW NO-BREAK SPACE}!", 0),
        ("Vraiment\N{NO-BREAK SPACE}? Oui ; non!", 2),
        ("une adresse https://exemple.fr à 02:30", 0),
        ("TVA %(rate)s %%", 1),
        ("TVA %(rate)s\N{NO-BREAK SPACE}%%", 0),
        ("20 % de remise, 20% de plus", 2),
        ("taux (%)", 0),
    ],
)
def test_the_check_itself(text, faults):
    assert len(BAD_PUNCTUATION.findall(text)) + len(BAD_PERCENT.findall(text)) == faults


def test_every_message_puts_a_no_break_space_before_two_part_signs_and_percent():
    faulty = [
        text
        for text in french_messages()
        if BAD_PUNCTUATION.search(text) or BAD_PERCENT.search(text)
    ]
    assert faulty == []


def test_tax_is_called_tva():
    assert [text for text in french_messages() if re.search(r"\btaxes?\b", text, re.I)] == []
