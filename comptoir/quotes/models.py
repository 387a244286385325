from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comptoir.core.fields import AmountField, PercentField, PriceField
from comptoir.core.models import YearCounter
from comptoir.quotes import states


class QuoteState(models.TextChoices):
    REQUESTED = states.REQUESTED, pgettext_lazy("quote state", "requested")
    IN_REVIEW = states.IN_REVIEW, pgettext_lazy("quote state", "in review")
    SENT = states.SENT, pgettext_lazy("quote state", "sent")
    REVISION_REQUESTED = (
        states.REVISION_REQUESTED,
        pgettext_lazy("quote state", "revision requested"),
    )
    ACCEPTED = states.ACCEPTED, pgettext_lazy("quote state", "accepted")
    ORDERED = states.ORDERED, pgettext_lazy("quote state", "ordered")
    REJECTED = states.REJECTED, pgettext_lazy("quote state", "rejected")
    EXPIRED = states.EXPIRED, pgettext_lazy("quote state", "expired")
    CANCELLED = states.CANCELLED, pgettext_lazy("quote state", "cancelled")


class Quote(models.Model):
    """A buyer's request for prices and the merchant's answers, round after round.

    The lines and the merchant's terms of each round are kept (`QuoteRound`): the shipping
    price, the expiry, whether promotions apply on top, the message. The buyer only ever sees
    those of the last round sent; the merchant edits those of the round being prepared. The
    quote holds its state and, copied from the round when it is sent, the last day the offer in
    force may be accepted (`expires_on`, which the daily expiry and the lists filter on).
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (staff)"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The merchant's staff user who wrote it for the buyer; empty: the buyer."),
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        related_name="quotes",
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=QuoteState.choices, default=QuoteState.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    wished_delivery_date = models.DateField(_("wished delivery date"), null=True, blank=True)
    expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the buyer may accept the offer sent."),
    )
    currency = models.CharField(_("currency"), max_length=3)
    merchant_note = models.TextField(
        _("internal note"), blank=True, help_text=_("For the store's staff; never shown.")
    )
    order = models.OneToOneField(
        "ordering.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        related_name="quote",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-requested_at"], name="quote_company_requested_idx"),
            models.Index(fields=["state", "expires_on"], name="quote_state_expires_idx"),
        ]

    def __str__(self):
        return self.number


class QuoteRound(models.Model):
    """One exchange: the buyer's message (the request, or a revision asked), then the
    merchant's lines, terms and message. The merchant edits the round being prepared; once
    sent it is never changed, and it is what the buyer sees, accepts and orders until the next
    round is sent."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="rounds"
    )
    position = models.PositiveSmallIntegerField(_("round"))
    buyer_message = models.TextField(_("buyer's message"), blank=True)
    merchant_message = models.TextField(_("message to the buyer"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the buyer may accept it; needed to send it."),
    )
    shipping_price = AmountField(
        _("shipping price"),
        null=True,
        blank=True,
        help_text=_("Empty: shipping is priced at checkout like any order."),
    )
    promotions_apply = models.BooleanField(
        _("promotions and volume discounts apply on top"),
        default=False,
        help_text=_("Off: the quoted prices are final, no promotion or volume discount."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="quote_round_unique"),
            models.CheckConstraint(
                condition=Q(shipping_price=None) | Q(shipping_price__gte=0),
                name="quote_round_shipping_gte_0",
            ),
        ]

    def __str__(self):
        return f"{self.quote} #{self.position}"


class QuoteLine(models.Model):
    """A line of a round. `list_unit_price` is today's price for the buyer when the line was
    written (again when the round is sent); `unit_price` the price offered, fixed when sent.

    `quote` is the round's quote, kept on the line so that the back office edits the lines of
    the round being prepared on the quote's own page (an inline needs a key to the quote).
    """

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines"
    )
    round = models.ForeignKey(
        QuoteRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    list_unit_price = PriceField(_("today's price"), null=True, blank=True)
    quoted_unit_price = PriceField(_("quoted unit price"), null=True, blank=True)
    discount_percent = PercentField(_("discount (%)"), null=True, blank=True)
    unit_price = PriceField(_("unit price offered"), null=True, blank=True)
    waive_min_qty = models.BooleanField(_("minimum quantity waived"), default=False)
    waive_qty_step = models.BooleanField(_("quantity step waived"), default=False)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["round", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=1_000_000),
                name="quote_line_qty_range",
            ),
            models.CheckConstraint(
                condition=Q(quoted_unit_price=None) | Q(discount_percent=None),
                name="quote_line_price_or_discount",
                violation_error_message=_("Give a quoted price or a discount, not both."),
            ),
            models.CheckConstraint(
                condition=Q(quoted_unit_price=None) | Q(quoted_unit_price__gte=0),
                name="quote_line_price_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent=None)
                | (Q(discount_percent__gte=0) & Q(discount_percent__lte=100)),
                name="quote_line_discount_range",
            ),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"


class QuoteAction(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("quote action", "requested")
    REVIEW = states.REVIEW, pgettext_lazy("quote action", "taken into review")
    EDITED = "edited", pgettext_lazy("quote action", "edited")
    SEND = states.SEND, pgettext_lazy("quote action", "sent")
    ACCEPT = states.ACCEPT, pgettext_lazy("quote action", "accepted")
    REJECT = states.REJECT, pgettext_lazy("quote action", "rejected")
    REVISE = states.REVISE, pgettext_lazy("quote action", "revision requested")
    ORDER = states.ORDER, pgettext_lazy("quote action", "ordered")
    EXPIRE = states.EXPIRE, pgettext_lazy("quote action", "expired")
    CANCEL = states.CANCEL, pgettext_lazy("quote action", "cancelled")


class QuoteEvent(models.Model):
    """The audit trail of a quote: every transition and edit, by whom (a company user, the
    merchant's staff, or nobody for the daily expiry)."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for them, by (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The merchant's staff user who did it in the company user's name."),
    )
    action = models.CharField(_("action"), max_length=12, choices=QuoteAction.choices)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("quote event")
        verbose_name_plural = _("quote events")
        ordering = ["quote", "at", "id"]

    def __str__(self):
        return f"{self.quote} {self.action}"


class QuoteCounter(YearCounter):
    """The last quote number of a year: DEV-2026-000123."""

    class Meta:
        verbose_name = _("quote counter")
        verbose_name_plural = _("quote counters")
