"""Mentor pairing: experienced parents offer to be a mentor; new parents ask one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    START = "start", _("De eerste maanden")
    MONEY = "money", _("Geld en vergoedingen")
    BEHAVIOUR = "behaviour", _("Gedrag en hechting")
    BIRTH_PARENTS = "birth_parents", _("Contact met ouders")
    SCHOOL = "school", _("School")
    OWN_CHILDREN = "own_children", _("Eigen kinderen in het gezin")
    TEENAGERS = "teenagers", _("Pubers en 18+")


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        verbose_name=_("mentor"),
    )
    is_available = models.BooleanField(_("beschikbaar voor nieuwe koppelingen"), default=True)
    max_mentees = models.PositiveSmallIntegerField(_("hoeveel ouders tegelijk"), default=1)
    themes = models.JSONField(_("onderwerpen"), default=list, blank=True)
    about = models.TextField(_("over mij"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentorprofiel")
        verbose_name_plural = _("mentorprofielen")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_mentees__gte=1, max_mentees__lte=3), name="mentor_max_mentees_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class MentorRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        ACCEPTED = "accepted", _("Gekoppeld")
        DECLINED = "declined", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")
        ENDED = "ended", _("Beëindigd")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_requests_sent",
        verbose_name=_("ouder"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_requests_received",
        verbose_name=_("mentor"),
    )
    message = models.TextField(_("bericht"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentorverzoek")
        verbose_name_plural = _("mentorverzoeken")
        ordering = ["-created_at"]
        constraints = [
            # One open request per pair, and one mentor at a time per new parent.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["requested", "accepted"]),
                name="mentor_request_one_open_per_pair",
            ),
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status="accepted"), name="mentor_request_one_mentor_per_mentee"
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="mentor_request_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.get_status_display()})"
