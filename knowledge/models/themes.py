"""Themes of the knowledge base and the Q&A."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    PROCEDURES = "procedures", _("Procedures en formulieren")
    MONEY = "money", _("Geld en vergoedingen")
    PARENTING = "parenting", _("Opvoeding en gedrag")
    SCHOOL = "school", _("School")
    BIRTH_PARENTS = "birth_parents", _("Contact met ouders")
    EXPERIENCES = "experiences", _("Ervaringen delen")
    START = "start", _("Starten als gezinshuis")


THEME_DESCRIPTIONS = {
    Theme.PROCEDURES: _("Aanvragen, formulieren, de gezinsvoogd en wie wat beslist."),
    Theme.MONEY: _("Pleegvergoeding, bijzondere kosten, toeslagen en belasting."),
    Theme.PARENTING: _("Hechting, gedrag, puberteit en opgroeien in twee gezinnen."),
    Theme.SCHOOL: _("Inschrijven, passend onderwijs, toestemming en de mentor."),
    Theme.BIRTH_PARENTS: _("Omgangsregeling, bezoek, loyaliteit en contact met familie."),
    Theme.EXPERIENCES: _("Wat andere ouders meemaakten en wat hen hielp."),
    Theme.START: _("Vergunningen, contracten, kwaliteit en geld bij het starten van een gezinshuis."),
}
