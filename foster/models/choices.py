"""The foster app's choices and calendar constants: family forms, modes, kinds, themes, repeats."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Source(models.TextChoices):
    WEBSITE = "website", _("Website van de regio of aanbieder")
    SOCIAL = "social", _("Sociale media")
    FRIEND = "friend", _("Via iemand die ik ken")
    PRESS = "press", _("Krant of huis-aan-huisblad")
    EVENT = "event", _("Markt, kerk of ander evenement")
    VACANCY = "vacancy", _("Een vacature voor een kind")
    OTHER = "other", _("Anders")
