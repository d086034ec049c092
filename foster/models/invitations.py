"""Invitations of households to a thank-you event."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pages import EveningPage
from .sessions import Registration


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
