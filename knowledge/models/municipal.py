"""Rules per municipality (allowances, reimbursements, contacts) for the comparison table."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .themes import Theme


class MunicipalRule(models.Model):
    """One municipality's rule on a topic (an allowance, a reimbursement, a contact), filled
    by editors; the money theme shows them side by side per topic."""

    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, default=Theme.MONEY)
    topic = models.CharField(
        _("onderwerp"), max_length=120, help_text=_("Bijvoorbeeld: Bijzondere bijstand voor pleeggezinnen.")
    )
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    rule = models.CharField(_("regel"), max_length=300)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    source_url = models.URLField(_("bron"), blank=True)
    checked_on = models.DateField(_("gecontroleerd op"), default=date.today)

    panels = [
        FieldPanel("theme"),
        FieldPanel("topic"),
        FieldPanel("municipality"),
        FieldPanel("rule"),
        FieldPanel("contact"),
        FieldPanel("source_url"),
        FieldPanel("checked_on"),
    ]

    class Meta:
        verbose_name = _("gemeentelijke regel")
        verbose_name_plural = _("gemeentelijke regels")
        ordering = ["topic", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "municipality"], name="knowledge_rule_topic_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} – {self.municipality}"
