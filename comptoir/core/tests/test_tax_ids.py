import pytest

from comptoir.core.tax_ids import tax_number_compact, tax_number_problem


@pytest.mark.parametrize(
    ("country", "number"),
    [("FR", "FR40303265045"), ("BE", "BE0403019261"), ("DE", "DE136695976"), ("US", "")],
)
def test_valid_vat_numbers_pass(country, number):
    assert tax_number_problem(country, number) is None


@pytest.mark.parametrize(
    ("country", "number", "problem"),
    [
        ("FR", "FR40303265046", "is not a valid VAT number"),
        ("DE", "DE136695977", "is not a valid VAT number"),
        ("FR", "40303265045", "must start with FR"),
        ("BE", "FR40303265045", "must start with BE"),
        ("GR", "GR094259216", "must start with EL"),
    ],
)
def test_invalid_vat_numbers_say_why(country, number, problem):
    assert problem in tax_number_problem(country, number)


def test_us_tax_ids_are_checked_as_tins():
    assert tax_number_problem("US", "04-2103594") is None
    assert "not a valid VAT or tax number for US" in tax_number_problem("US", "12345")


def test_numbers_are_stored_compact_with_their_prefix():
    assert tax_number_compact("FR", "fr 40 303 265 045") == "FR40303265045"
    assert tax_number_compact("FR", "40 303 265 045") == "FR40303265045"
    assert tax_number_compact("GR", "094259216") == "EL094259216"
    assert tax_number_compact("US", "04-2103594") == "042103594"
