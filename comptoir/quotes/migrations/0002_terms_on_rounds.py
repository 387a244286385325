from django.db import migrations, models


def terms_onto_rounds(apps, schema_editor):
    """The terms written on the quote move onto its rounds. The last round sent keeps the
    expiry and shipping price it was sent with and takes `promotions_apply`; a round being
    prepared after it takes the quote's values (the merchant's draft); the quote's expiry is
    again that of the round sent."""
    Quote = apps.get_model("quotes", "Quote")
    QuoteRound = apps.get_model("quotes", "QuoteRound")
    fields = ["promotions_apply", "expires_on", "shipping_price"]
    for quote in Quote.objects.all().iterator(chunk_size=500):
        rounds = list(QuoteRound.objects.filter(quote=quote).order_by("position"))
        if not rounds:
            continue
        draft = (quote.expires_on, quote.shipping_price, quote.promotions_apply)
        sent = [r for r in rounds if r.sent_at is not None]
        if sent:
            last_sent = sent[-1]
            last_sent.promotions_apply = quote.promotions_apply
            if last_sent.expires_on is None:
                last_sent.expires_on = quote.expires_on
            if last_sent.shipping_price is None:
                last_sent.shipping_price = quote.shipping_price
            last_sent.save(update_fields=fields)
            if quote.expires_on != last_sent.expires_on:
                quote.expires_on = last_sent.expires_on
                quote.save(update_fields=["expires_on"])
        latest = rounds[-1]
        if latest.sent_at is None:
            latest.expires_on, latest.shipping_price, latest.promotions_apply = draft
            latest.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ("quotes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="quoteround",
            name="promotions_apply",
            field=models.BooleanField(
                default=False,
                help_text="Off: the quoted prices are final, no promotion or volume discount.",
                verbose_name="promotions and volume discounts apply on top",
            ),
        ),
        migrations.AlterField(
            model_name="quote",
            name="expires_on",
            field=models.DateField(
                blank=True,
                help_text="The last day the buyer may accept the offer sent.",
                null=True,
                verbose_name="valid until",
            ),
        ),
        migrations.AlterField(
            model_name="quoteround",
            name="expires_on",
            field=models.DateField(
                blank=True,
                help_text="The last day the buyer may accept it; needed to send it.",
                null=True,
                verbose_name="valid until",
            ),
        ),
        migrations.AlterField(
            model_name="quoteround",
            name="shipping_price",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Empty: shipping is priced at checkout like any order.",
                max_digits=14,
                null=True,
                verbose_name="shipping price",
            ),
        ),
        migrations.AddConstraint(
            model_name="quoteround",
            constraint=models.CheckConstraint(
                condition=models.Q(("shipping_price", None), ("shipping_price__gte", 0), _connector="OR"),
                name="quote_round_shipping_gte_0",
            ),
        ),
        migrations.RunPython(terms_onto_rounds, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="quote",
            name="quote_shipping_gte_0",
        ),
        migrations.RemoveField(
            model_name="quote",
            name="promotions_apply",
        ),
        migrations.RemoveField(
            model_name="quote",
            name="shipping_price",
        ),
    ]
