"""The invoice tests' shop (comptoir/payments/tests/conftest.py): ACME in Lyon, with invoice
terms and a seller's identity."""

from comptoir.payments.tests.conftest import place, shop  # noqa: F401 (fixture and helper)
