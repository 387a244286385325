"""The shop of `tests.shops` (ACME, group PRO, in Lyon) with invoice terms and a seller's
identity, for the invoice tests.

Payment methods: TRANSFER (bank transfer, no terms), PO (purchase order), INVOICE30
(invoice, 30 days net, for companies with a credit limit: ACME's is 5,000.00) and
INVOICE45EOM (invoice, 45 days then end of month).
"""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.payments.models import TermRule
from tests.factories import PaymentMethodFactory
from tests.shops import build_shop

SELLER_VAT = "FR40303265045"


@pytest.fixture
def shop(store):
    store.legal_address = "Quincaillerie Martin & Fils SAS\n18 rue de l'Industrie\n69200 Vénissieux"
    store.vat_number = SELLER_VAT
    store.iban = "FR76 3000 6000 0112 3456 7890 189"
    store.bic = "AGRIFRPP"
    store.save()
    shop = build_shop(store)
    shop.company.credit_limit = Decimal("5000.00")
    shop.company.vat_number = "FR83404833048"
    shop.company.save()
    shop.products["SCR-100"].stock = 100_000  # enough for many orders
    shop.products["SCR-100"].save()
    PaymentMethodFactory(code="INVOICE30", invoice=True, position=3)
    PaymentMethodFactory(
        code="INVOICE45EOM",
        invoice=True,
        name="Invoice, 45 days end of month",
        net_days=45,
        term_rule=TermRule.END_OF_MONTH,
        position=4,
    )
    return shop


def place(shop, *rows, payment="TRANSFER", user=None, **choices):
    """Fills the buyer's cart with (sku, quantity) rows and places it."""
    viewer = viewer_for(get_store(), user or shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(n, sku, q) for n, (sku, q) in enumerate(rows, 1)])
    request = CheckoutRequest(payment_method=payment, **choices)
    return order_place(viewer=viewer, request=request).order
