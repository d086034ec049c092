"""The seat ledger per session, the registrations, and the link to the scheduler's event.

Counters never live on a Wagtail page: ``EveningSession`` holds ``capacity`` and ``held``
(attendees confirmed or offered a seat) with a CHECK ``held <= capacity``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Source, family_form_labels
from .fields import ChoiceListField
from .pages import EveningPage, VacancyPage


class EveningSession(models.Model):
    """One occurrence of an evening and its seat ledger (counted in attendees)."""

    page = models.ForeignKey(EveningPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"))
    capacity = models.PositiveIntegerField(_("plaatsen"))
    held = models.PositiveIntegerField(_("bezet"), default=0)
    cancelled_at = models.DateTimeField(_("afgelast op"), null=True, blank=True)
    cancel_reason = models.TextField(_("reden afgelasting"), blank=True)
    # Cancelled because its date was taken out of the series (not by an organiser): when the
    # date comes back before it starts, the session reopens and its former registrants hear so.
    cancelled_by_series = models.BooleanField(default=False, editable=False)
    # The calendar UID registrants got; kept when the session moves, so calendars update.
    ics_uid = models.CharField(max_length=200, blank=True, default="")
    # What registrants were last told (time, place, title): a publish that changes it tells them.
    told = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("bijeenkomst")
        constraints = [
            models.CheckConstraint(
                condition=Q(held__lte=F("capacity")), name="foster_session_held_lte_capacity"
            ),
            models.UniqueConstraint(fields=["page", "starts_at"], name="foster_session_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page.title} ({timezone.localtime(self.starts_at):%d-%m-%Y %H:%M})"

    @property
    def free(self) -> int:
        return max(self.capacity - self.held, 0)

    @property
    def deadline(self):
        return self.starts_at - timedelta(hours=self.page.deadline_hours)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.cancelled_at is None and now < self.deadline

    @property
    def uid(self) -> str:
        return self.ics_uid or f"thuisnet-avond-{self.page_id}-{self.starts_at:%Y%m%dT%H%M%SZ}@thuisnet"


MAX_GUESTS = 10


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Aangemeld")
        WAITING = "waiting", _("Wachtlijst")
        OFFERED = "offered", _("Plaats aangeboden")
        CANCELLED = "cancelled", _("Afgemeld")
        EXPIRED = "expired", _("Aanbod verlopen")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)

    session = models.ForeignKey(EveningSession, on_delete=models.CASCADE, related_name="registrations")
    token = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode (4 cijfers)"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendees = models.PositiveSmallIntegerField(_("aantal personen"), default=1)
    # Set when a parent registered with their account (theme evenings): no prospect is made.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="foster_registrations",
        verbose_name=_("account"),
    )
    childcare_children = models.PositiveSmallIntegerField(_("kinderen voor de opvang"), default=0)
    # A thank-you event: what the household wished to eat (free text, no identifiers).
    dietary = models.CharField(_("dieetwensen"), max_length=300, blank=True)
    interests = ChoiceListField(_("interesse"), default=list)
    source = models.CharField(_("hoe gehoord"), max_length=20, choices=Source.choices, default=Source.WEBSITE)
    vacancy = models.ForeignKey(
        VacancyPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    is_walk_in = models.BooleanField(_("binnenloper"), default=False)
    attended_at = models.DateTimeField(_("aanwezig"), null=True, blank=True)
    consent_at = models.DateTimeField(_("toestemming gegeven"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The SEQUENCE of the last calendar file sent to this registrant (same UID, higher number).
    ics_sequence = models.PositiveIntegerField(default=0)
    # Cancelled because its session was (not by the registrant): told if the session reopens.
    cancelled_with_session = models.BooleanField(default=False, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("aanmelding")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                name="foster_one_registration",
                condition=Q(anonymised_at__isnull=True),
            ),
            # 1 or 2 for evenings (checked by the services); a thank-you invitation up to 10 guests.
            models.CheckConstraint(
                condition=Q(attendees__gte=1) & Q(attendees__lte=MAX_GUESTS), name="foster_attendees_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.session}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("foster:registration", args=[self.token])

    @property
    def holds_seat(self) -> bool:
        return self.status in self.HOLDING

    @property
    def personal_url(self) -> str:
        return settings.BASE_URL + self.get_absolute_url()

    @property
    def interest_labels(self) -> list[str]:
        return family_form_labels(self.interests)


class EveningEvent(models.Model):
    """Links an evening page to its django-scheduler Event in the region's calendar."""

    page = models.OneToOneField(EveningPage, on_delete=models.CASCADE, related_name="schedule")
    event = models.OneToOneField("schedule.Event", on_delete=models.CASCADE, related_name="+")
