"""Region settings of the Q&A (who may post anonymously per theme)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .themes import Theme


class AnonymousPostingRule(models.Model):
    """Per region and theme: may parents post questions without their name showing?"""

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)
    allowed = models.BooleanField(_("anoniem plaatsen toegestaan"), default=True)

    panels = [FieldPanel("region"), FieldPanel("theme"), FieldPanel("allowed")]

    class Meta:
        verbose_name = _("regel anoniem plaatsen")
        verbose_name_plural = _("regels anoniem plaatsen")
        constraints = [models.UniqueConstraint(fields=["region", "theme"], name="knowledge_anon_rule_unique")]

    def __str__(self) -> str:
        state = _("ja") if self.allowed else _("nee")
        return f"{self.region} – {self.get_theme_display()}: {state}"
