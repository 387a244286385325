"""Model field factories, so that every price and amount has the same precision."""

from django.db import models

from comptoir.core.validators import validate_code, validate_country


def PriceField(verbose_name, **kwargs):
    """A unit price: up to 4 decimals (DESIGN.md "Rounding")."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=4, **kwargs)


def AmountField(verbose_name, **kwargs):
    """An amount in cents."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def PercentField(verbose_name, **kwargs):
    """A percentage such as 20.00 or 8.875."""
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=4, **kwargs)


def CodeField(verbose_name, **kwargs):
    kwargs.setdefault("max_length", 64)
    kwargs.setdefault("validators", [validate_code])
    return models.CharField(verbose_name, **kwargs)


def CountryField(verbose_name, **kwargs):
    return models.CharField(verbose_name, max_length=2, validators=[validate_country], **kwargs)


def RegionField(verbose_name, **kwargs):
    """A subdivision code without its country ("NY"); blank when the whole country is meant."""
    return models.CharField(verbose_name, max_length=8, blank=True, default="", **kwargs)
