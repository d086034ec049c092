"""Published evenings and vacancies for the site search (Wagtail's search backend)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from search.types import SearchHit

from .models import EveningPage, VacancyPage


def search(query: str, *, user=None, limit: int = 20) -> list[SearchHit]:
    query = (query or "").strip()
    if not query:
        return []
    hits: list[SearchHit] = []
    now = timezone.now()
    for page in EveningPage.objects.live().search(query)[:limit]:
        nxt = page.sessions.filter(ends_at__gte=now, cancelled_at__isnull=True).first()
        when = (
            timezone.localtime(nxt.starts_at).strftime("%d-%m-%Y %H:%M") if nxt else _("geen komende datum")
        )
        hits.append(
            SearchHit(
                title=page.title,
                url=page.url,
                kind="evening",
                kind_label=_("Informatieavond"),
                snippet=Truncator(f"{when} · {strip_tags(page.intro)}").chars(200),
                score=float(getattr(page, "_score", 0) or 0) + (1.0 if nxt else 0.0),
                extra={"starts_at": nxt.starts_at.isoformat() if nxt else None},
            )
        )
    for page in VacancyPage.objects.live().search(query)[:limit]:
        hits.append(
            SearchHit(
                title=page.title,
                url=page.url,
                kind="vacancy",
                kind_label=_("Vacature"),
                snippet=Truncator(page.interests).chars(200),
                score=float(getattr(page, "_score", 0) or 0),
                extra={"municipality": page.municipality.name, "age_band": page.age_band},
            )
        )
    return hits[:limit]
