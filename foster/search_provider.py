"""Published evenings and vacancies for the site search (Wagtail's search backend)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from search.types import SearchHit
from thuisnet.accounts.models import Municipality

from .models import EveningPage, EveningSession, VacancyPage


def search(query: str, *, user=None, limit: int = 20) -> list[SearchHit]:
    query = (query or "").strip()
    if not query:
        return []
    hits: list[SearchHit] = []
    now = timezone.now()
    evenings = list(EveningPage.objects.live().search(query)[:limit])
    # The next session of every hit in one query (not one per hit).
    upcoming: dict[int, EveningSession] = {}
    for s in EveningSession.objects.filter(
        page_id__in=[p.pk for p in evenings], ends_at__gte=now, cancelled_at__isnull=True
    ).order_by("-starts_at"):
        upcoming[s.page_id] = s  # the earliest wins: it comes last
    for page in evenings:
        nxt = upcoming.get(page.pk)
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
    vacancies = list(VacancyPage.objects.live().search(query)[:limit])
    municipalities = Municipality.objects.in_bulk({v.municipality_id for v in vacancies})
    for page in vacancies:
        hits.append(
            SearchHit(
                title=page.title,
                url=page.url,
                kind="vacancy",
                kind_label=_("Vacature"),
                snippet=Truncator(page.interests).chars(200),
                score=float(getattr(page, "_score", 0) or 0),
                extra={"municipality": municipalities[page.municipality_id].name, "age_band": page.age_band},
            )
        )
    return hits[:limit]


# --- The search index (see search/types.py) --------------------------------------------------

KINDS = {"evening": _("Informatieavond"), "vacancy": _("Vacature")}


def _evening_id(obj) -> int:
    return obj.page_id if isinstance(obj, EveningSession) else obj.pk


WATCHED = [
    (EveningPage, "evening", _evening_id),
    (EveningSession, "evening", _evening_id),
    (VacancyPage, "vacancy", _evening_id),
]


def documents(kind: str, ids=None):
    from search.types import Document

    from .models import family_form_labels

    now = timezone.now()
    if kind == "evening":
        pages = EveningPage.objects.live().public().select_related("municipality")
        if ids is not None:
            pages = pages.filter(pk__in=ids)
        upcoming: dict[int, EveningSession] = {}
        for s in EveningSession.objects.filter(
            page__in=pages, ends_at__gte=now, cancelled_at__isnull=True
        ).order_by("-starts_at"):
            upcoming[s.page_id] = s
        for page in pages:
            nxt = upcoming.get(page.pk)
            if nxt is None:
                continue  # only evenings still to come are worth finding
            yield Document(
                kind="evening",
                object_id=page.pk,
                title=page.title,
                body=" ".join([strip_tags(page.intro), page.venue, page.accessibility]),
                url=page.url or "",
                municipality=page.municipality.name if page.municipality_id else "",
                region_id=page.region_id,
                family_forms=list(page.family_forms or []),
                starts_at=nxt.starts_at,
                changed_at=page.last_published_at,
                extra={"starts_at": nxt.starts_at.isoformat(), "mode": page.mode},
            )
    elif kind == "vacancy":
        pages = VacancyPage.objects.live().public().select_related("municipality")
        if ids is not None:
            pages = pages.filter(pk__in=ids)
        for page in pages:
            yield Document(
                kind="vacancy",
                object_id=page.pk,
                title=page.title,
                body=f"{page.interests} {page.needs} {' '.join(family_form_labels([page.family_form]))}",
                url=page.url or "",
                municipality=page.municipality.name,
                region_id=page.region_id,
                family_forms=[page.family_form],
                changed_at=page.last_published_at,
                extra={"age_band": page.age_band},
            )


def visible(user, kind: str, ids: set[int]) -> set[int]:
    # Live, public pages are for everyone; what is no longer live is no longer a hit.
    model = EveningPage if kind == "evening" else VacancyPage
    return set(model.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))
