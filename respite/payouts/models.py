"""Payouts to respite hosts through Stripe Connect: accounts, rate cards, the payout ledger,
received webhook events and monthly reconciliation runs. Amounts are integer euro cents.

Only ``services`` changes these rows. A payout belongs to one completed respite booking
(at most one payout per booking) and carries the idempotency key Thuisnet sends to Stripe,
so a retried transfer never pays twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import failures


def format_euros(cents: int) -> str:
    """Dutch notation without the sign: 1.234,50."""
    return f"{cents / 100:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


class Unit(models.TextChoices):
    NIGHT = "night", _("per nacht")
    HOUR = "hour", _("per uur")
    DAY_PART = "day_part", _("per dagdeel")


UNIT_NOUNS = {Unit.NIGHT: _("nachten"), Unit.HOUR: _("uren"), Unit.DAY_PART: _("dagdelen")}
UNIT_NOUN_ONE = {Unit.NIGHT: _("nacht"), Unit.HOUR: _("uur"), Unit.DAY_PART: _("dagdeel")}


class ConnectedAccount(models.Model):
    """A host's Stripe Express account (``acct_...``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("aanmelding nog niet afgerond")
        RESTRICTED = "restricted", _("Stripe vraagt nog gegevens")
        ENABLED = "enabled", _("klaar voor uitbetalingen")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_account"
    )
    stripe_account_id = models.CharField(_("Stripe-account"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    details_submitted = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uitbetaalaccount")
        verbose_name_plural = _("uitbetaalaccounts")

    def __str__(self) -> str:
        return self.stripe_account_id

    @property
    def ready(self) -> bool:
        return self.status == self.Status.ENABLED


class RateCard(models.Model):
    """What a region pays a host per night, hour or day part, from a date on."""

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="payout_rates", verbose_name=_("regio")
    )
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices)
    amount_cents = models.PositiveIntegerField(_("bedrag (centen)"))
    valid_from = models.DateField(_("geldig vanaf"))

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarievenkaart")
        ordering = ["region", "unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "unit", "valid_from"], name="payouts_rate_once"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payouts_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_unit_display()} {self.amount}"

    @property
    def amount(self) -> str:
        return format_euros(self.amount_cents)


class Payout(models.Model):
    """One transfer to a host for one completed stay."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wordt overgemaakt")
        PAID = "paid", _("overgemaakt")
        FAILED = "failed", _("mislukt")
        REVERSED = "reversed", _("teruggedraaid")

    # Count towards the volunteer allowance (a failed or reversed transfer paid nothing).
    COUNTING = (Status.PENDING, Status.PAID)

    booking = models.OneToOneField(
        "respite.Booking", on_delete=models.PROTECT, related_name="payout", verbose_name=_("aanvraag")
    )
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="payouts")
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    account = models.ForeignKey(ConnectedAccount, on_delete=models.PROTECT, related_name="payouts")
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices)
    quantity = models.DecimalField(_("aantal"), max_digits=6, decimal_places=2)
    rate_cents = models.PositiveIntegerField(_("tarief (centen)"))
    amount_cents = models.PositiveIntegerField(_("bedrag (centen)"))
    # The month the amount counts in for the allowance (the day the provider confirmed).
    period = models.DateField(_("periode"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=80, unique=True)
    # When the current key was made: Stripe remembers a key for 24 hours, so the pending retry
    # counts from here (a retried payout gets a new key long after ``created_at``).
    key_issued_at = models.DateTimeField(default=timezone.now)
    stripe_transfer_id = models.CharField(max_length=64, blank=True, db_index=True)
    failure_reason = models.CharField(max_length=300, blank=True)  # Stripe's words (English)
    failure_code = models.CharField(max_length=60, blank=True)  # Stripe's error code
    failed_at = models.DateTimeField(null=True, blank=True)
    # Automatic retries since the last manual one, and when the next may run (None: only by hand).
    auto_retries = models.PositiveSmallIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retried_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitbetaling")
        verbose_name_plural = _("uitbetalingen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payouts_amount_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="payouts_quantity_positive"),
        ]
        indexes = [models.Index(fields=["host", "period"], name="payouts_host_period")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount_cents / 100:.2f} ({self.status})"

    @property
    def amount(self) -> str:
        return format_euros(self.amount_cents)

    @property
    def unit_noun(self) -> str:
        """ "nachten", "uur", ... to follow the quantity."""
        return str((UNIT_NOUN_ONE if self.quantity == 1 else UNIT_NOUNS)[self.unit])

    @property
    def booking_reference(self) -> str:
        return f"R{self.booking_id}"

    @property
    def failure_explanation(self) -> str:
        """Why the transfer failed, in plain Dutch."""
        return failures.explain(self.failure_code)


class PayoutFailure(models.Model):
    """One refused transfer of a payout, kept for the audit: the idempotency key it went with
    (a retry needs a new one: Stripe replays a failed answer under the old key), Stripe's code
    and message, and who or what sent it again, when, under which new key."""

    class Retry(models.TextChoices):
        MANUAL = "manual", _("door een medewerker")
        ACCOUNT_ENABLED = "account_enabled", _("vanzelf: account goedgekeurd")
        JOB = "job", _("vanzelf: later opnieuw geprobeerd")
        RECONFIRMED = "reconfirmed", _("opnieuw bevestigd")

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="failures")
    idempotency_key = models.CharField(max_length=80)
    code = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    failed_at = models.DateTimeField(default=timezone.now)
    retried_at = models.DateTimeField(null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retry = models.CharField(max_length=16, choices=Retry.choices, blank=True)
    new_idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("mislukte overboeking")
        verbose_name_plural = _("mislukte overboekingen")
        ordering = ["payout", "failed_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.payout_id} {self.code or '-'} {self.failed_at:%Y-%m-%d %H:%M}"

    @property
    def explanation(self) -> str:
        return failures.explain(self.code)


class WebhookEvent(models.Model):
    """A verified Stripe event, stored once (Stripe may deliver an event more than once)."""

    event_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]


class ReconciliationRun(models.Model):
    """Thuisnet's ledger against Stripe's transfers for one calendar month."""

    class Status(models.TextChoices):
        OK = "ok", _("klopt")
        DIFFERENCES = "differences", _("verschillen gevonden")
        ERROR = "error", _("Stripe niet bereikbaar")

    month = models.DateField(_("maand"))  # the first of the month
    status = models.CharField(_("uitkomst"), max_length=12, choices=Status.choices)
    ledger_count = models.PositiveIntegerField(default=0)
    ledger_cents = models.BigIntegerField(default=0)
    stripe_count = models.PositiveIntegerField(default=0)
    stripe_cents = models.BigIntegerField(default=0)
    differences = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afstemming")
        verbose_name_plural = _("afstemmingen")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status}"
