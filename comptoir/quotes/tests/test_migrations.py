"""quotes 0002: the terms written on the quote move onto its rounds without showing the
buyer a draft: the round sent keeps what it was sent with, the round being prepared takes the
quote's values."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comptoir.quotes.models import Quote
from comptoir.quotes.offers import Terms, quote_send, quote_set_terms
from comptoir.quotes.services import quote_revise

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("quotes", "0001_initial")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _latest():
    """Through 0002 to the last migration of every app: going back to quotes 0001 also undid
    the migrations of other apps that depend on later quotes ones (sales, approvals...), and
    the tests after this one need the whole schema back."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_draft_goes_to_the_round_being_prepared(requested, viewer, clerk, today):
    sent_until = today + datetime.timedelta(days=30)
    quote_set_terms(
        quote_id=requested.pk,
        actor=clerk,
        terms=Terms(expires_on=sent_until, shipping_price=Decimal("15.00")),
    )
    quote_send(quote_id=requested.pk, actor=clerk)
    quote_revise(viewer=viewer, number=requested.number, message="Less?")
    draft_until = today + datetime.timedelta(days=5)

    _migrate(BEFORE)
    with connection.cursor() as cursor:
        # What 0001 wrote while the clerk edited round 2: the draft on the quote's row.
        cursor.execute(
            "UPDATE quotes_quote SET shipping_price = %s, promotions_apply = %s, "
            "expires_on = %s WHERE id = %s",
            ["87.65", True, draft_until, requested.pk],
        )
    _migrate(_latest())

    quote = Quote.objects.get(pk=requested.pk)
    sent, draft = quote.rounds.order_by("position")
    assert (sent.expires_on, sent.shipping_price, sent.promotions_apply) == (
        sent_until,
        Decimal("15.00"),
        True,
    )
    assert (draft.sent_at, draft.expires_on, draft.shipping_price, draft.promotions_apply) == (
        None,
        draft_until,
        Decimal("87.65"),
        True,
    )
    assert quote.expires_on == sent_until
