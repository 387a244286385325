"""Model field factories, so that every price and amount has the same precision."""

from decimal import Decimal

from django import forms
from django.db import models

from comptoir.core.money import format_decimal
from comptoir.core.validators import validate_code, validate_country


class TrimmedDecimalInput(forms.NumberInput):
    """A number input showing `8.49` for a stored 8.4900 (a rate: `20` for 20.0000)."""

    def __init__(self, attrs=None, min_places=2):
        super().__init__(attrs)
        self.min_places = min_places

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return format_decimal(value, self.min_places)
        return super().format_value(value)


class TrimmedDecimalField(models.DecimalField):
    """A decimal whose forms (back office, editable lists, inlines) show no trailing zeros
    beyond `min_places`. Migrations see a plain DecimalField: nothing in the column changes."""

    min_places = 2

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", TrimmedDecimalInput(min_places=self.min_places))
        return super().formfield(**kwargs)


class RateDecimalField(TrimmedDecimalField):
    """A percentage: `20`, `5.5`, `8.875` in its input."""

    min_places = 0


def PriceField(verbose_name, **kwargs):
    """A unit price: up to 4 decimals (DESIGN.md "Rounding")."""
    return TrimmedDecimalField(verbose_name, max_digits=14, decimal_places=4, **kwargs)


def AmountField(verbose_name, **kwargs):
    """An amount in cents."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def PercentField(verbose_name, **kwargs):
    """A percentage such as 20.00 or 8.875."""
    return RateDecimalField(verbose_name, max_digits=7, decimal_places=4, **kwargs)


def CodeField(verbose_name, **kwargs):
    kwargs.setdefault("max_length", 64)
    kwargs.setdefault("validators", [validate_code])
    return models.CharField(verbose_name, **kwargs)


def CountryField(verbose_name, **kwargs):
    return models.CharField(verbose_name, max_length=2, validators=[validate_country], **kwargs)


def RegionField(verbose_name, **kwargs):
    """A subdivision code without its country ("NY"); blank when the whole country is meant."""
    return models.CharField(verbose_name, max_length=8, blank=True, default="", **kwargs)
