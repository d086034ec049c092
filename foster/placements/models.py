"""The placement register: one row per child, carer and start date. Pseudonymous only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlacementType(models.TextChoices):
    REGULAR = "regular", _("Reguliere pleegzorg")
    KINSHIP = "kinship", _("Netwerkpleegzorg")
    FAMILY_HOME = "family_home", _("Gezinshuis")
    CRISIS = "crisis", _("Crisisplaatsing")
    RESPITE = "respite", _("Respijt (telt niet mee)")


class Schedule(models.TextChoices):
    FULL_TIME = "full_time", _("Voltijd")
    PART_TIME = "part_time", _("Deeltijd")


class AgeBand(models.TextChoices):
    A0_3 = "0-3", _("0 t/m 3 jaar")
    A4_7 = "4-7", _("4 t/m 7 jaar")
    A8_11 = "8-11", _("8 t/m 11 jaar")
    A12_15 = "12-15", _("12 t/m 15 jaar")
    A16_17 = "16-17", _("16 en 17 jaar")
    A18 = "18+", _("18 jaar en ouder")


class EndCode(models.TextChoices):
    """CBS Jeugdzorg: reden beëindiging jeugdhulptraject."""

    PLANNED = "01", _("01 Volgens plan beëindigd")
    AGREED = "02", _("02 Voortijdig beëindigd, in overeenstemming")
    BY_CLIENT = "03", _("03 Voortijdig beëindigd, eenzijdig door de cliënt")
    BY_PROVIDER = "04", _("04 Voortijdig beëindigd, eenzijdig door de aanbieder")
    OUTSIDE = "05", _("05 Voortijdig beëindigd door externe omstandigheden")


class EndReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("Doel bereikt")
    REUNIFICATION = "reunification", _("Terug naar (eigen) ouders")
    TURNED_18 = "turned_18", _("18 jaar geworden")
    PLANNED_MOVE = "planned_move", _("Geplande overstap naar andere plek")
    CARER_REQUEST = "carer_request", _("Pleegouder of gezinshuisouder vroeg om beëindiging")
    CHILD_BEHAVIOUR = "child_behaviour", _("Gedrag van het kind")
    CHILD_REQUEST = "child_request", _("Het kind wilde weg")
    PARENT_REQUEST = "parent_request", _("Ouders wilden beëindiging")
    ALLEGATION = "allegation", _("Melding of beschuldiging")
    CARER_CIRCUMSTANCES = "carer_circumstances", _("Omstandigheden van het gezin (ziekte, scheiding)")
    MISMATCH = "mismatch", _("Matching bleek niet passend")
    COURT_DECISION = "court_decision", _("Besluit rechter of gecertificeerde instelling")
    MOVED_OUT_OF_REGION = "moved_out_of_region", _("Verhuisd buiten de regio (telt als lopend tot dan)")
    OTHER = "other", _("Anders")


BREAKDOWN_CODES = frozenset({"02", "03", "04", "05"})


class Placement(models.Model):
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="placements",
        limit_choices_to={"kind": "provider"},
        verbose_name=_("aanbieder"),
    )
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="placements", verbose_name=_("regio")
    )
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("gemeente"),
        help_text=_("De gemeente die de jeugdhulp inzet."),
    )
    child_ref = models.CharField(
        _("kindreferentie"),
        max_length=40,
        help_text=_("Een pseudoniem van de aanbieder, nooit een naam, geboortedatum of BSN."),
    )
    carer_ref = models.CharField(
        _("gezinsreferentie"), max_length=40, help_text=_("Een pseudoniem voor het pleeggezin of gezinshuis.")
    )
    placement_type = models.CharField(_("soort plaatsing"), max_length=20, choices=PlacementType.choices)
    schedule = models.CharField(
        _("voltijd of deeltijd"), max_length=10, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    age_band = models.CharField(_("leeftijd bij start"), max_length=5, choices=AgeBand.choices)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    end_code = models.CharField(
        _("reden beëindiging (CBS)"), max_length=2, blank=True, choices=EndCode.choices
    )
    end_reason = models.CharField(
        _("toelichting beëindiging"), max_length=30, blank=True, choices=EndReason.choices
    )
    # Process fields the providers already record (issue 17): optional, unknown when empty.
    matching_conversation = models.BooleanField(_("matchingsgesprek gevoerd"), null=True, blank=True)
    met_before_start = models.BooleanField(
        _("kind en gezin ontmoetten elkaar voor de start"), null=True, blank=True
    )
    emergency = models.BooleanField(_("spoedplaatsing"), null=True, blank=True)
    perspective_in_time = models.BooleanField(
        _("perspectiefbesluit binnen de wettelijke termijn"), null=True, blank=True
    )
    carer_supported = models.BooleanField(
        _("gezin ondersteund door mentor of respijt in het eerste jaar"),
        null=True,
        blank=True,
        help_text=_("Volgens de eigen gegevens van de aanbieder over zijn gezinnen."),
    )
    # The provider's own household (issue 17, item 5): when set, ``carer_supported`` follows
    # from matching's mentor pairings and respite's stays of that household (support.py).
    household = models.ForeignKey(
        "accounts.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gezin in Thuisnet"),
        help_text=_(
            "Een van de eigen gezinnen van de aanbieder. Dan volgt 'ondersteund door mentor of "
            "respijt' uit de koppelingen en respijtverblijven van dat gezin."
        ),
    )
    created_at = models.DateTimeField(_("geregistreerd op"), default=timezone.now)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "child_ref", "carer_ref", "start_date"], name="placement_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_code=""), name="placement_code_needs_end"
            ),
        ]
        indexes = [models.Index(fields=["region", "start_date"], name="placement_region_start")]

    def __str__(self) -> str:
        return f"{self.child_ref} / {self.carer_ref} ({self.start_date:%d-%m-%Y})"

    @property
    def is_breakdown(self) -> bool:
        return self.end_code in BREAKDOWN_CODES


class Target(models.Model):
    """The region's target, e.g. "of placements started 2025-2026, at most 20% break down
    within 12 months"."""

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="placement_targets", verbose_name=_("regio")
    )
    cohort_start = models.DateField(_("cohort vanaf (startdatum)"))
    cohort_end = models.DateField(_("cohort tot en met (startdatum)"))
    horizon_months = models.PositiveSmallIntegerField(_("termijn in maanden"), default=12)
    max_share = models.DecimalField(
        _("hoogstens aandeel breakdown"),
        max_digits=4,
        decimal_places=3,
        help_text=_("Als fractie: 0,200 is 20%."),
    )
    last_status = models.CharField(_("laatste status"), max_length=20, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    note = models.TextField(_("toelichting bij het besluit"), blank=True)
    basis = models.JSONField(
        _("onderbouwing"),
        default=dict,
        blank=True,
        help_text=_("De haalbaarheidsberekening bij het besluit."),
    )
    last_checked_at = models.DateTimeField(_("laatst bekeken"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regionaal doel breakdown")
        verbose_name_plural = _("regionale doelen breakdown")
        ordering = ["-cohort_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_share__gt=0) & Q(max_share__lt=1), name="target_share_fraction"
            ),
            models.CheckConstraint(
                condition=Q(cohort_end__gte=F("cohort_start")), name="target_cohort_order"
            ),
            models.CheckConstraint(
                condition=Q(horizon_months__gte=1) & Q(horizon_months__lte=60), name="target_horizon_range"
            ),
        ]

    def __str__(self) -> str:
        return _("%(share)s%% na %(months)s maanden (start %(start)s–%(end)s)") % {
            "share": round(float(self.max_share) * 100, 1),
            "months": self.horizon_months,
            "start": self.cohort_start.year,
            "end": self.cohort_end.year,
        }
