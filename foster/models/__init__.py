"""Recruitment: evening pages (CMS), the seat ledger per session, registrations, the funnel.

Counters never live on a Wagtail page: ``EveningSession`` holds ``capacity`` and ``held``
(attendees confirmed or offered a seat) with a CHECK ``held <= capacity``.

The models live in submodules; every name that ``foster.models`` offered before the split
(when it was one file) is imported here, so ``from foster.models import X`` keeps working.
Each submodule imports what it needs itself, so the order of the imports here is free.
"""

from __future__ import annotations

# Names the one-file module had at its top level (its own imports); kept importable.
import secrets  # noqa: F401
from datetime import timedelta  # noqa: F401
from zoneinfo import ZoneInfo  # noqa: F401

from django import forms  # noqa: F401
from django.conf import settings  # noqa: F401
from django.core.exceptions import ValidationError  # noqa: F401
from django.db import models  # noqa: F401
from django.db.models import F, Q  # noqa: F401
from django.utils import timezone  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401
from modelcluster.fields import ParentalManyToManyField  # noqa: F401
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel  # noqa: F401
from wagtail.fields import RichTextField  # noqa: F401
from wagtail.models import Page  # noqa: F401
from wagtail.search import index  # noqa: F401

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
    Source,
    family_form_labels,
    nth_weekday,
)
from .fields import ChoiceListField
from .invitations import Invitation
from .pages import EveningIndexPage, EveningPage, VacancyPage
from .prospects import CLOSED, FUNNEL, Prospect, ProspectStep, Stage
from .sessions import MAX_GUESTS, EveningEvent, EveningSession, Registration

__all__ = [
    "AMSTERDAM",
    "CLOSED",
    "FUNNEL",
    "MAX_GUESTS",
    "NTH_NAMES",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "ChoiceListField",
    "EveningEvent",
    "EveningIndexPage",
    "EveningPage",
    "EveningSession",
    "EventKind",
    "FamilyForm",
    "Invitation",
    "KnowledgeTheme",
    "Mode",
    "Prospect",
    "ProspectStep",
    "Registration",
    "Repeat",
    "Source",
    "Stage",
    "VacancyPage",
    "family_form_labels",
    "nth_weekday",
]
