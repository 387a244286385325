import pytest

from comptoir.bundle.checks import vat_number_problem


@pytest.mark.parametrize(
    ("country", "number"),
    [("FR", "FR40303265045"), ("BE", "BE0403019261"), ("DE", "DE136695976"), ("US", "")],
)
def test_valid_vat_numbers_pass(country, number):
    assert vat_number_problem(country, number) is None


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
    assert problem in vat_number_problem(country, number)
