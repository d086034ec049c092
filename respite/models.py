"""Respite care: offers, their capacity ledger, bookings, working agreements, unmet demand.

The capacity guarantee lives in ``Slot``: one row per offer and night (or day part), with
``capacity`` and ``held`` and a CHECK ``0 <= held <= capacity``. Only ``services`` changes
these rows, with the rows locked (``select_for_update``) in (day, part) order.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuisnet.accounts.models import Municipality, Organisation, Region


class Kind(models.TextChoices):
    PLACE = "place", _("Plek in een voorziening of gezinshuis (per nacht)")
    HOST_FAMILY = "host_family", _("Respijt- of weekendgezin (per nacht)")
    SUPPORT_FAMILY = "support_family", _("Steungezin (per dagdeel)")
    FLEXIBLE = "flexible", _("Flexibel verblijf (aaneengesloten dagen, in overleg)")


# Flexible stays hold the same per-night ledger rows as nights (arrival day up to the
# departure day); their length is counted in days, arrival and departure day both included.
NIGHT_KINDS = {Kind.PLACE, Kind.HOST_FAMILY, Kind.FLEXIBLE}
FLEX_MIN_DAYS = 2
FLEX_MAX_DAYS = 14


class Part(models.TextChoices):
    NIGHT = "night", _("nacht")
    MORNING = "morning", _("ochtend")
    AFTERNOON = "afternoon", _("middag")
    EVENING = "evening", _("avond")


DAY_PARTS = (Part.MORNING, Part.AFTERNOON, Part.EVENING)
# The local hours an availability occurrence must cover for a night or day part to count.
PART_HOURS = {
    Part.NIGHT: ((20, 0), (1, 8)),  # from 20:00 to 08:00 the next day
    Part.MORNING: ((8, 0), (0, 12)),
    Part.AFTERNOON: ((13, 0), (0, 17)),
    Part.EVENING: ((18, 0), (0, 21)),
}
PART_ORDER = {Part.NIGHT: 0, Part.MORNING: 1, Part.AFTERNOON: 2, Part.EVENING: 3}


class Need(models.TextChoices):
    LVB = "lvb", _("licht verstandelijke beperking")
    MEDICAL = "medical", _("medische zorg")
    BEHAVIOUR = "behaviour", _("gedragsproblemen")
    AUTISM = "autism", _("autisme")
    TRAUMA = "trauma", _("trauma")
    PHYSICAL = "physical", _("lichamelijke beperking")


AGE_BANDS = [(0, 3), (4, 7), (8, 11), (12, 15), (16, 17)]


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "18+"


class WorkingAgreement(models.Model):
    """Werkafspraken: how the region shares its scarce respite capacity."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="respite_agreement", verbose_name=_("regio")
    )
    max_nights_per_quarter = models.PositiveSmallIntegerField(
        _("maximaal aantal nachten per kind per kwartaal"),
        default=12,
        help_text=_("Dagdelen tellen als een halve nacht."),
    )
    lead_time_hours = models.PositiveSmallIntegerField(
        _("aanvraagtermijn (uren)"),
        default=48,
        help_text=_("Zo lang van tevoren moet een gewone aanvraag binnen zijn. Crisisopvang mag korter."),
    )
    emergency_share = models.PositiveSmallIntegerField(
        _("deel voor crisisopvang (%)"),
        default=20,
        help_text=_("Dit deel van de plekken per nacht is alleen voor crisisopvang."),
    )
    decision_hours = models.PositiveSmallIntegerField(_("beslistermijn aanbieder (uren)"), default=48)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("annuleren door ouder tot (uren voor aanvang)"), default=24
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("werkafspraken respijt")
        verbose_name_plural = _("werkafspraken respijt")
        constraints = [
            models.CheckConstraint(condition=Q(emergency_share__lte=100), name="respite_agreement_share_pct"),
        ]

    def __str__(self) -> str:
        return str(_("Werkafspraken %(region)s") % {"region": self.region})

    @classmethod
    def for_region(cls, region_id: int) -> WorkingAgreement:
        found = cls.objects.filter(region_id=region_id).first()
        return found or cls(region_id=region_id)

    def reserved(self, capacity: int) -> int:
        """Places per night kept for emergencies (rounded down, so capacity 1 keeps 0)."""
        return capacity * self.emergency_share // 100


class Offer(models.Model):
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="respite_offers",
        limit_choices_to={"kind": "provider"},
        verbose_name=_("aanbieder"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("naam"), max_length=140, help_text=_("Bijvoorbeeld 'Weekendgezin Epe' of 'Logeerhuis De Linde'.")
    )
    description = models.TextField(_("beschrijving"), blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("gemeente"))
    postcode = models.CharField(_("postcode (4 cijfers)"), max_length=4)
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), default=0)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), default=17)
    handles = models.JSONField(_("kan omgaan met"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("kinderen tegelijk"), default=1)
    min_notice_hours = models.PositiveSmallIntegerField(_("minimale aanmeldtermijn (uren)"), default=24)
    max_stay = models.PositiveSmallIntegerField(
        _("maximale duur"), default=3, help_text=_("In nachten, of dagen bij een steungezin.")
    )
    min_stay = models.PositiveSmallIntegerField(
        _("minimale duur (dagen)"),
        default=FLEX_MIN_DAYS,
        help_text=_(
            "Alleen bij flexibel verblijf. Aankomst- en vertrekdag tellen allebei mee; "
            "de maximale duur is dan ook in dagen (hoogstens 14)."
        ),
    )
    host_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="respite_host_offers",
        verbose_name=_("account van het gastgezin"),
        help_text=_("Dit gastgezin mag zelf zijn beschikbaarheid bijhouden."),
    )
    is_active = models.BooleanField(_("zichtbaar voor ouders"), default=True)
    # The handover: shown to the parent only once a stay is accepted (email, .ics, booking page).
    address = models.CharField(
        _("adres"),
        max_length=200,
        blank=True,
        help_text=_("Straat en huisnummer; ouders zien het pas na acceptatie."),
    )
    arrival_time = models.TimeField(_("aankomst vanaf"), null=True, blank=True)
    departure_time = models.TimeField(_("vertrek uiterlijk"), null=True, blank=True)
    what_to_bring = models.TextField(_("wat neemt het kind mee"), blank=True)
    contact_phone = models.CharField(
        _("telefoon voor ouders"),
        max_length=30,
        blank=True,
        help_text=_("Leeg: het nummer van het gastgezin of de aanbieder."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("respijtaanbod")
        verbose_name_plural = _("respijtaanbod")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="respite_offer_age_range"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="respite_offer_capacity_min"),
            models.CheckConstraint(
                condition=~Q(kind="flexible")
                | Q(
                    min_stay__gte=FLEX_MIN_DAYS,
                    max_stay__gte=models.F("min_stay"),
                    max_stay__lte=FLEX_MAX_DAYS,
                ),
                name="respite_offer_flexible_length",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def per_night(self) -> bool:
        return self.kind in NIGHT_KINDS

    @property
    def is_flexible(self) -> bool:
        return self.kind == Kind.FLEXIBLE

    @property
    def parts(self) -> tuple[str, ...]:
        return (Part.NIGHT,) if self.per_night else DAY_PARTS

    def handles_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(n, n)) for n in self.handles]


class AvailabilityPattern(models.Model):
    """When an offer is available: a django-scheduler event (possibly recurring)."""

    class Repeat(models.TextChoices):
        ONCE = "once", _("eenmalig")
        DAILY = "daily", _("elke dag")
        WEEKLY = "weekly", _("elke week")
        FORTNIGHTLY = "fortnightly", _("om de week")

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="patterns", verbose_name=_("aanbod")
    )
    event = models.OneToOneField("schedule.Event", on_delete=models.CASCADE, related_name="+")
    repeat = models.CharField(_("herhaling"), max_length=12, choices=Repeat.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheid")
        ordering = ["event__start"]


class BlockedDate(models.Model):
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="blocked_dates", verbose_name=_("aanbod")
    )
    day = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=140, blank=True)

    class Meta:
        verbose_name = _("geblokkeerde datum")
        verbose_name_plural = _("geblokkeerde datums")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["offer", "day"], name="respite_blocked_unique")]


class Slot(models.Model):
    """The capacity ledger: one row per offer and night or day part."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField()
    part = models.CharField(max_length=10, choices=Part.choices)
    capacity = models.PositiveSmallIntegerField(default=0)
    held = models.PositiveSmallIntegerField(default=0)
    # The day this night or day part was opened (got capacity from an availability pattern or
    # the offer's capacity): a hub family's night is for its own constellation first, counted
    # from here. Empty for rows from before this was recorded: open to everyone.
    opened_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["day", "part"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "day", "part"], name="respite_slot_unique"),
            models.CheckConstraint(
                condition=Q(held__lte=models.F("capacity")), name="respite_slot_held_lte_capacity"
            ),
            models.CheckConstraint(condition=Q(held__gte=0), name="respite_slot_held_gte_0"),
        ]
        indexes = [models.Index(fields=["day", "part"], name="respite_slot_day_part")]

    @property
    def free(self) -> int:
        return self.capacity - self.held


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        ACCEPTED = "accepted", _("geaccepteerd")
        DECLINED = "declined", _("afgewezen")
        EXPIRED = "expired", _("verlopen")
        CANCELLED = "cancelled", _("geannuleerd door ouder")
        CANCELLED_BY_PROVIDER = "cancelled_by_provider", _("geannuleerd door aanbieder")

    HOLDING = (Status.REQUESTED, Status.ACCEPTED)

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("aanbod")
    )
    household = models.ForeignKey(
        "accounts.Household",
        on_delete=models.PROTECT,
        related_name="respite_bookings",
        verbose_name=_("huishouden"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="respite_bookings"
    )
    start = models.DateField(_("van"))
    end = models.DateField(_("tot"), help_text=_("Bij nachten de vertrekdag; bij dagdelen de laatste dag."))
    part = models.CharField(_("dagdeel"), max_length=10, choices=Part.choices, default=Part.NIGHT)
    units = models.PositiveSmallIntegerField(_("nachten of dagdelen"), default=1)
    emergency = models.BooleanField(_("crisisopvang"), default=False)
    # The child: a reference chosen by the parent, an age and needs. Never a name.
    child_ref = models.CharField(_("referentie van het kind"), max_length=40, blank=True)
    child_age = models.PositiveSmallIntegerField(_("leeftijd"), null=True, blank=True)
    age_band = models.CharField(_("leeftijdsgroep"), max_length=8)
    needs = models.JSONField(_("aandachtspunten"), default=list, blank=True)
    notes = models.TextField(_("toelichting voor de aanbieder"), blank=True)
    # The parent's phone for the provider: shown from acceptance until 30 days after the stay.
    contact_phone = models.CharField(
        _("telefoon waarop de aanbieder je kan bereiken"), max_length=30, blank=True
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.REQUESTED)
    decide_by = models.DateTimeField(_("beslissen voor"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reden"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    scrubbed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("respijtaanvraag")
        verbose_name_plural = _("respijtaanvragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="respite_booking_dates"),
        ]
        indexes = [models.Index(fields=["status", "decide_by"], name="respite_booking_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.offer} {self.start}–{self.end}"

    @property
    def is_holding(self) -> bool:
        return self.status in self.HOLDING

    def days(self) -> list:
        """The nights (start..end-1) or the days (start..end) this booking covers."""
        last = self.end - timedelta(days=1) if self.part == Part.NIGHT else self.end
        n = (last - self.start).days + 1
        return [self.start + timedelta(days=i) for i in range(max(n, 0))]

    def stay_end(self):
        return self.end

    def needs_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(n, n)) for n in self.needs]

    def child_visible_until(self):
        return self.end + timedelta(days=30)


class BookingSlot(models.Model):
    """Which ledger rows a booking holds (while requested or accepted)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="booking_slots")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="booking_slots")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "slot"], name="respite_bookingslot_unique")]


class UnmetDemand(models.Model):
    class Source(models.TextChoices):
        EMPTY_SEARCH = "empty_search", _("zoekopdracht zonder resultaat")
        DECLINED = "declined", _("afgewezen aanvraag")
        EXPIRED = "expired", _("verlopen aanvraag")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="respite_unmet")
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices)
    start = models.DateField(_("van"))
    end = models.DateField(_("tot"))
    units = models.PositiveSmallIntegerField(_("nachten of dagdelen"), default=1)
    age_band = models.CharField(_("leeftijdsgroep"), max_length=8, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("gemeente")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, blank=True)
    needs = models.JSONField(_("aandachtspunten"), default=list, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="unmet"
    )
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onvervulde vraag")
        verbose_name_plural = _("onvervulde vraag")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="respite_unmet_dedupe"
            ),
        ]


class BookingMessage(models.Model):
    """A short message between the household and the provider about one booking.

    No email addresses are exchanged: a message containing one is refused, and the other side
    is told through "Mijn meldingen", never by the sender's address.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_provider = models.BooleanField(default=False)
    body = models.TextField(_("bericht"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bericht bij een respijtaanvraag")
        verbose_name_plural = _("berichten bij respijtaanvragen")
        ordering = ["created_at", "pk"]
