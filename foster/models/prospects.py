"""The recruitment funnel: prospective parents and the steps they took."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FamilyForm, Source
from .pages import VacancyPage


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
