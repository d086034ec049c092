"""The Wagtail pages of recruitment: the evenings' index, vacancies and evening pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index

from .choices import (
    AMSTERDAM,
    NTH_NAMES,
    WEEKDAY_NAMES,
    WEEKDAYS,
    EventKind,
    FamilyForm,
    KnowledgeTheme,
    Mode,
    Repeat,
    family_form_labels,
    nth_weekday,
)
from .fields import ChoiceListField


class EveningIndexPage(Page):
    intro = RichTextField(_("inleiding"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["foster.EveningPage", "foster.VacancyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("overzicht informatieavonden")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

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
        from ..forms import InterestForm

        context = super().get_context(request, *args, **kwargs)
        from .. import selectors

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

    def permissions_for_user(self, user) -> PagePermissionTester:
        """Wagtail's permissions, plus publishing where the region lets an organising
        provider's editor publish their own evenings (``foster.publish_evening``)."""
        return _EveningPermissionTester(user, self)

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
            from ..series import exceptions_errors

            errors.update(exceptions_errors(self))
        if self.pk and self.capacity is not None:
            from .sessions import EveningSession

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
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.evening_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from ..views import register_on_page

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


class _EveningPermissionTester(PagePermissionTester):
    """Adds the region's "editors publish their own evenings" to Wagtail's page permissions."""

    def _own_evening(self) -> bool:
        from thuisnet.accounts.policies import can

        return self.user.is_active and can(self.user, "foster.publish_evening", self.page)

    def can_publish(self) -> bool:
        return super().can_publish() or (not self.page_is_root and self._own_evening())

    def can_unpublish(self) -> bool:
        if super().can_unpublish():
            return True
        return self.page.live and not self.page_locked() and self._own_evening()
