"""Recruitment: evening pages (CMS), the seat ledger per session, registrations, the funnel.

Counters never live on a Wagtail page: ``EveningSession`` holds ``capacity`` and ``held``
(attendees confirmed or offered a seat) with a CHECK ``held <= capacity``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class FamilyForm(models.TextChoices):
    FULL_TIME = "full_time", _("Voltijdpleegzorg")
    PART_TIME = "part_time", _("Deeltijdpleegzorg")
    WEEKEND = "weekend", _("Weekendpleegzorg")
    SUPPORT = "support", _("Steungezin")
    FAMILY_HOME = "family_home", _("Gezinshuis")


def family_form_labels(values) -> list[str]:
    labels = dict(FamilyForm.choices)
    return [str(labels.get(v, v)) for v in values or []]


class ChoiceListField(models.JSONField):
    """A list of FamilyForm values, edited as checkboxes (in Wagtail and Django forms)."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=FamilyForm.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
        )


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("Op locatie")
    ONLINE = "online", _("Online")


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("Informatieavond (werving)")
    THEME = "theme", _("Thema-avond voor ouders")
    THANKS = "thanks", _("Bedankmoment (op uitnodiging)")


class KnowledgeTheme(models.TextChoices):
    """The knowledge themes' keys (``knowledge.models.Theme``), kept here as plain values."""

    PROCEDURES = "procedures", _("Procedures en formulieren")
    MONEY = "money", _("Geld en vergoedingen")
    PARENTING = "parenting", _("Opvoeding en gedrag")
    SCHOOL = "school", _("School")
    BIRTH_PARENTS = "birth_parents", _("Contact met ouders")
    EXPERIENCES = "experiences", _("Ervaringen delen")
    START = "start", _("Starten als gezinshuis")


class Repeat(models.TextChoices):
    NONE = "", _("Eenmalig")
    WEEKLY = "WEEKLY", _("Elke week (of om de zoveel weken)")
    MONTHLY_WEEKDAY = "MONTHLY_WD", _("Elke maand op dezelfde weekdag (bijv. elke tweede woensdag)")
    MONTHLY = "MONTHLY", _("Elke maand op dezelfde datum")


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = [
    _("maandag"),
    _("dinsdag"),
    _("woensdag"),
    _("donderdag"),
    _("vrijdag"),
    _("zaterdag"),
    _("zondag"),
]
NTH_NAMES = {1: _("eerste"), 2: _("tweede"), 3: _("derde"), 4: _("vierde"), -1: _("laatste")}


def nth_weekday(day) -> int:
    """Which of its weekday in the month ``day`` is: 1-4, or -1 for the fifth (the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n >= 5 else n


class EveningIndexPage(Page):
    intro = RichTextField(_("inleiding"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["foster.EveningPage", "foster.VacancyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("overzicht informatieavonden")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.index_context(self, request))
        return context


class VacancyPage(Page):
    """An anonymised child or sibling group looking for a family (client-targeted recruitment)."""

    class AgeBand(models.TextChoices):
        BABY = "0-3", _("0 tot 4 jaar")
        YOUNG = "4-7", _("4 tot 8 jaar")
        CHILD = "8-11", _("8 tot 12 jaar")
        TEEN = "12-15", _("12 tot 16 jaar")
        OLDER = "16-17", _("16 tot 18 jaar")

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    age_band = models.CharField(_("leeftijdsgroep"), max_length=8, choices=AgeBand.choices)
    siblings = models.PositiveSmallIntegerField(
        _("aantal kinderen"), default=1, help_text=_("Meer dan 1 bij een broertjes-zusjesgroep.")
    )
    interests = models.TextField(_("waar het kind van houdt"), max_length=1000)
    needs = models.TextField(_("wat het kind nodig heeft"), max_length=2000)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    family_form = models.CharField(_("gezocht gezin"), max_length=20, choices=FamilyForm.choices)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "provider"},
        verbose_name=_("aanbieder"),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("age_band"), FieldPanel("siblings")]),
        FieldPanel("interests"),
        FieldPanel("needs"),
        FieldRowPanel([FieldPanel("municipality"), FieldPanel("family_form")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("provider")]),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("interests"),
        index.SearchField("needs"),
        index.FilterField("family_form"),
    ]
    parent_page_types = ["foster.EveningIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("vacature (gezin gezocht)")
        verbose_name_plural = _("vacatures")

    def clean(self):
        super().clean()
        from thuisnet.core.pii import explain, find_identifiers

        errors = {}
        for name in ("title", "interests", "needs"):
            findings = find_identifiers(getattr(self, name) or "")
            if findings:
                errors[name] = _("Haal herleidbare gegevens weg: %(why)s") % {"why": explain(findings)}
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from .forms import InterestForm

        context = super().get_context(request, *args, **kwargs)
        from . import selectors

        context["form"] = InterestForm(vacancy=self)
        context["evenings"] = selectors.evenings_for_vacancy(self)
        return context


class EveningPage(Page):
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    kind = models.CharField(
        _("soort bijeenkomst"),
        max_length=12,
        choices=EventKind.choices,
        default=EventKind.RECRUITMENT,
        help_text=_(
            "Een informatieavond is openbaar. Voor een thema-avond melden pleeg-, steun- en "
            "gezinshuisouders van de regio zich aan met hun account."
        ),
    )
    theme = models.CharField(
        _("thema"),
        max_length=20,
        choices=KnowledgeTheme.choices,
        blank=True,
        help_text=_("Het thema uit de kennisbank waar de thema-avond over gaat."),
    )
    childcare = models.BooleanField(
        _("kinderopvang aanwezig"),
        default=False,
        help_text=_("Ouders kunnen bij het aanmelden opgeven hoeveel kinderen opvang nodig hebben."),
    )
    intro = RichTextField(_("inleiding"), blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    repeat = models.CharField(_("herhaling"), max_length=10, choices=Repeat.choices, blank=True, default="")
    repeat_interval = models.PositiveSmallIntegerField(
        _("om de hoeveel weken of maanden"),
        default=1,
        help_text=_("1: elke week of maand; 2: om de week of om de maand; enzovoort."),
    )
    repeat_until = models.DateField(_("herhalen tot en met"), null=True, blank=True)
    skip_dates = models.TextField(
        _("datums overslaan"),
        blank=True,
        help_text=_("Eén datum per regel, als dd-mm-jjjj. Wie zich al had aangemeld, krijgt bericht."),
    )
    moved_dates = models.TextField(
        _("verplaatste datums"),
        blank=True,
        help_text=_(
            "Eén per regel: „dd-mm-jjjj naar dd-mm-jjjj uu:mm” (de tijd mag weg). Wie zich al had "
            "aangemeld, krijgt bericht met een bijgewerkt agendabestand."
        ),
    )
    mode = models.CharField(_("vorm"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("locatie"), max_length=160, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    accessibility = models.TextField(_("toegankelijkheid"), blank=True)
    online_url = models.URLField(
        _("link voor online deelname"),
        blank=True,
        help_text=_("Alleen zichtbaar voor mensen die zijn aangemeld."),
    )
    capacity = models.PositiveIntegerField(_("aantal plaatsen (personen)"), default=40)
    deadline_hours = models.PositiveIntegerField(_("aanmelden sluit (uren vóór begin)"), default=24)
    family_forms = ChoiceListField(_("gezinsvormen"), default=list)
    organisers = ParentalManyToManyField(
        "accounts.Organisation",
        related_name="+",
        verbose_name=_("organiserende aanbieders"),
        limit_choices_to={"kind": "provider"},
    )
    is_joint = models.BooleanField(_("gezamenlijke wervingsavond van de regio"), default=False)
    vacancies = ParentalManyToManyField(
        VacancyPage, blank=True, related_name="evenings", verbose_name=_("vacatures")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldRowPanel([FieldPanel("theme"), FieldPanel("childcare")])],
            heading=_("Soort bijeenkomst"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel(
                    [FieldPanel("repeat"), FieldPanel("repeat_interval"), FieldPanel("repeat_until")]
                ),
                FieldRowPanel([FieldPanel("skip_dates"), FieldPanel("moved_dates")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("deadline_hours")]),
            ],
            heading=_("Wanneer en hoeveel"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("municipality"),
                FieldPanel("accessibility"),
                FieldPanel("online_url"),
            ],
            heading=_("Waar"),
        ),
        FieldPanel("family_forms"),
        FieldRowPanel([FieldPanel("region"), FieldPanel("is_joint")]),
        FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("vacancies"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("venue"),
        index.FilterField("mode"),
    ]
    parent_page_types = ["foster.EveningIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("informatieavond")
        verbose_name_plural = _("informatieavonden")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Het einde moet na het begin liggen.")
        if self.mode == Mode.ONLINE and not self.online_url:
            errors["online_url"] = _("Geef de link voor een online avond.")
        if self.mode == Mode.IN_PERSON and not (self.venue and self.address):
            errors["address"] = _("Geef locatie en adres voor een avond op locatie.")
        if self.kind == EventKind.THEME and not self.theme:
            errors["theme"] = _("Kies het thema van de thema-avond.")
        if self.repeat and not self.repeat_until:
            errors["repeat_until"] = _("Geef aan tot wanneer de reeks loopt.")
        if self.repeat_interval is not None and not 1 <= self.repeat_interval <= 12:
            errors["repeat_interval"] = _("Kies een getal van 1 tot en met 12.")
        if not errors.get("repeat_until"):
            from .series import exceptions_errors

            errors.update(exceptions_errors(self))
        if self.pk and self.capacity is not None:
            fullest = (
                EveningSession.objects.filter(
                    page_id=self.pk, cancelled_at__isnull=True, ends_at__gte=timezone.now()
                )
                .order_by("-held", "starts_at")
                .first()
            )
            if fullest is not None and fullest.held > self.capacity:
                errors["capacity"] = _(
                    "Er zijn al %(held)s plaatsen bezet op %(date)s. Het aantal plaatsen kan niet "
                    "lager worden dan dat; meld eerst mensen af of kies minstens %(held)s."
                ) % {
                    "held": fullest.held,
                    "date": timezone.localtime(fullest.starts_at).strftime("%d-%m-%Y %H:%M"),
                }
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.evening_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from .views import register_on_page

            return register_on_page(request, self)
        return super().serve(request, *args, **kwargs)

    @property
    def family_form_labels(self) -> list[str]:
        return family_form_labels(self.family_forms)

    @property
    def for_parents(self) -> bool:
        """Parents register with their account (no anonymous form, no prospect)."""
        return self.kind == EventKind.THEME

    @property
    def by_invitation(self) -> bool:
        """A thank-you event: households are invited; the page shows no form."""
        return self.kind == EventKind.THANKS

    @property
    def repeat_label(self) -> str:
        """How people say the series: "Elke tweede woensdag van de maand", "Om de 2 weken"."""
        n = self.repeat_interval or 1
        local = timezone.localtime(self.starts_at, AMSTERDAM) if self.starts_at else None
        if self.repeat == Repeat.WEEKLY:
            if n == 1:
                return str(_("Elke week op %(day)s") % {"day": WEEKDAY_NAMES[local.weekday()]})
            return str(_("Om de %(n)s weken op %(day)s") % {"n": n, "day": WEEKDAY_NAMES[local.weekday()]})
        if self.repeat == Repeat.MONTHLY_WEEKDAY:
            what = {"nth": NTH_NAMES[nth_weekday(local)], "day": WEEKDAY_NAMES[local.weekday()]}
            if n == 1:
                return str(_("Elke %(nth)s %(day)s van de maand") % what)
            return str(_("Om de %(n)s maanden, op de %(nth)s %(day)s") % {**what, "n": n})
        if self.repeat == Repeat.MONTHLY:
            if n == 1:
                return str(_("Elke maand op de %(d)se") % {"d": local.day})
            return str(_("Om de %(n)s maanden op de %(d)se") % {"n": n, "d": local.day})
        return ""

    def rule_spec(self) -> tuple[str, str] | None:
        """(frequency, params) of the django-scheduler rule for this series, or None."""
        if not self.repeat:
            return None
        params = []
        n = self.repeat_interval or 1
        if n > 1:
            params.append(f"interval:{n}")
        if self.repeat == Repeat.MONTHLY_WEEKDAY:
            local = timezone.localtime(self.starts_at, AMSTERDAM)
            params += [f"byweekday:{WEEKDAYS[local.weekday()]}", f"bysetpos:{nth_weekday(local)}"]
            return "MONTHLY", ";".join(params)
        return self.repeat, ";".join(params)


class EveningSession(models.Model):
    """One occurrence of an evening and its seat ledger (counted in attendees)."""

    page = models.ForeignKey(EveningPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"))
    capacity = models.PositiveIntegerField(_("plaatsen"))
    held = models.PositiveIntegerField(_("bezet"), default=0)
    cancelled_at = models.DateTimeField(_("afgelast op"), null=True, blank=True)
    cancel_reason = models.TextField(_("reden afgelasting"), blank=True)
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


class Source(models.TextChoices):
    WEBSITE = "website", _("Website van de regio of aanbieder")
    SOCIAL = "social", _("Sociale media")
    FRIEND = "friend", _("Via iemand die ik ken")
    PRESS = "press", _("Krant of huis-aan-huisblad")
    EVENT = "event", _("Markt, kerk of ander evenement")
    VACANCY = "vacancy", _("Een vacature voor een kind")
    OTHER = "other", _("Anders")


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


class Stage(models.TextChoices):
    REGISTERED = "registered", _("Aangemeld")
    ATTENDED = "attended", _("Avond bezocht")
    CONVERSATION = "conversation", _("Eerste gesprek")
    COURSE = "course", _("Voorbereidingstraining")
    ASSESSMENT = "assessment", _("Beoordeling")
    APPROVED = "approved", _("Goedgekeurd")
    WITHDRAWN = "withdrawn", _("Gestopt")
    NOT_SUITABLE = "not_suitable", _("Niet geschikt")


FUNNEL = [
    Stage.REGISTERED,
    Stage.ATTENDED,
    Stage.CONVERSATION,
    Stage.COURSE,
    Stage.ASSESSMENT,
    Stage.APPROVED,
]
CLOSED = {Stage.APPROVED, Stage.WITHDRAWN, Stage.NOT_SUITABLE}


class Prospect(models.Model):
    """A prospective parent for one family form, followed up by one provider."""

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aanbieder (opvolging)"),
    )
    family_form = models.CharField(_("gezinsvorm"), max_length=20, choices=FamilyForm.choices)
    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices)
    vacancy = models.ForeignKey(
        VacancyPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(_("fase"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    stage_date = models.DateField(_("datum laatste stap"))
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stage_date", "pk"]
        verbose_name = _("aspirant-ouder")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "email", "family_form"],
                condition=Q(anonymised_at__isnull=True),
                name="foster_one_prospect_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_family_form_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED


class ProspectStep(models.Model):
    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("fase"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("datum"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["prospect", "stage"], name="foster_step_once_per_stage")
        ]


class EveningEvent(models.Model):
    """Links an evening page to its django-scheduler Event in the region's calendar."""

    page = models.OneToOneField(EveningPage, on_delete=models.CASCADE, related_name="schedule")
    event = models.OneToOneField("schedule.Event", on_delete=models.CASCADE, related_name="+")


class Invitation(models.Model):
    """A household invited to a thank-you event, with its personal link (no account needed)."""

    page = models.ForeignKey(EveningPage, on_delete=models.CASCADE, related_name="invitations")
    household = models.ForeignKey(
        "accounts.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("huishouden")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    coming = models.BooleanField(_("komt"), null=True, blank=True)
    guests = models.PositiveSmallIntegerField(_("aantal gasten"), default=0)
    dietary = models.CharField(_("dieetwensen"), max_length=300, blank=True)
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("uitnodiging")
        constraints = [
            models.UniqueConstraint(fields=["page", "household"], name="foster_invite_household_once")
        ]

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("foster:invitation", args=[self.token])

    @property
    def personal_url(self) -> str:
        return settings.BASE_URL + self.get_absolute_url()
