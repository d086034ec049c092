"""Public query functions: what pages and screens show. Nothing here changes state."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from thuisnet.accounts.policies import scope
from thuisnet.core import disclosure

from . import stats
from .models import (
    FUNNEL,
    EveningPage,
    EveningSession,
    Mode,
    Prospect,
    ProspectStep,
    Registration,
    Source,
    Stage,
)


def sessions_for_index(
    index_page, *, past: bool = False, municipality=None, family_form="", mode="", now=None
):
    now = now or timezone.now()
    pages = EveningPage.objects.live().descendant_of(index_page)
    qs = EveningSession.objects.filter(page__in=pages).select_related("page", "page__municipality")
    if past:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        qs = qs.filter(ends_at__gte=now).order_by("starts_at")
    if municipality is not None:  # online evenings are for every municipality
        qs = qs.filter(Q(page__municipality=municipality) | Q(page__mode=Mode.ONLINE))
    if mode:
        qs = qs.filter(page__mode=mode)
    sessions = list(qs[:200])
    if family_form:  # a JSON list: filtered in Python, portable across databases
        sessions = [s for s in sessions if family_form in (s.page.family_forms or [])]
    return sessions


def series_cards(sessions: list[EveningSession], *, more: int = 3) -> list[dict]:
    """One card per evening: its first session still to come and the next ``more`` dates of
    a series (a monthly series is one card with its dates, not eight identical cards)."""
    cards: dict[int, dict] = {}
    for s in sessions:
        card = cards.get(s.page_id)
        if card is None:
            cards[s.page_id] = {"s": s, "more": [], "count": 1}
        else:
            card["count"] += 1
            if len(card["more"]) < more:
                card["more"].append(s)
    return list(cards.values())


def index_context(page, request) -> dict:
    from .forms import FilterForm

    region = None
    first = EveningPage.objects.live().descendant_of(page).first()
    if first is not None:
        region = first.region
    form = FilterForm(request.GET or None, region=region)
    filters = {}
    if form.is_valid():
        filters = {
            "municipality": form.cleaned_data.get("municipality"),
            "family_form": form.cleaned_data.get("family_form") or "",
            "mode": form.cleaned_data.get("mode") or "",
        }
    past = request.GET.get("tab") == "eerder"
    sessions = sessions_for_index(page, past=past, **filters)
    return {
        "filter_form": form,
        "sessions": sessions,
        "cards": series_cards(sessions) if not past else [{"s": s, "more": []} for s in sessions],
        "past": past,
        "region": region,
        "vacancies": _vacancy_model().objects.child_of(page).live().select_related("municipality"),
    }


def _vacancy_model():
    from .models import VacancyPage

    return VacancyPage


def evening_context(page, request, form=None) -> dict:
    from thuisnet.core.idempotency import new_form_token

    from .forms import RegistrationForm
    from .services import offer_hours

    now = timezone.now()
    sessions = list(page.sessions.filter(ends_at__gte=now).order_by("starts_at")[:12])
    chosen = None
    wanted = request.POST.get("session") or request.GET.get("bijeenkomst")
    for s in sessions:
        if str(s.pk) == str(wanted):
            chosen = s
    if chosen is None:
        chosen = next((s for s in sessions if s.registration_open(now)), None)
    if form is None:
        form = RegistrationForm(page=page, initial={"form_token": new_form_token()})
    return {
        "sessions": sessions,
        "session": chosen,
        "form": form,
        "vacancies": page.vacancies.live().specific(),
        "is_open": bool(chosen and chosen.registration_open(now)),
        "offer_hours": offer_hours(),
    }


def evenings_for_vacancy(vacancy, *, limit: int = 5, now=None) -> list[EveningPage]:
    """Upcoming evenings for the family form the vacancy seeks: those linked to it, else the
    region's. An evening for support families is no answer to a child who needs a foster home."""
    now = now or timezone.now()
    upcoming = EveningPage.objects.live().filter(
        region_id=vacancy.region_id, sessions__starts_at__gte=now, sessions__cancelled_at__isnull=True
    )
    linked = [
        e for e in upcoming.filter(vacancies=vacancy).distinct() if vacancy.family_form in e.family_forms
    ]
    if linked:
        return linked[:limit]
    return [
        e for e in upcoming.distinct().order_by("starts_at")[:50] if vacancy.family_form in e.family_forms
    ][:limit]


def organised_sessions(user, *, past: bool = False) -> list[EveningSession]:
    """The sessions ``user`` organises (the scope of ``foster.organise``), with counts.

    The counts are subqueries per session, never a join over the page's organisers: an
    evening with two organising providers must not count its registrations twice.
    """
    now = timezone.now()
    per_session = Registration.objects.filter(session=OuterRef("pk")).order_by().values("session")

    def _count(status: str):
        return Coalesce(
            Subquery(per_session.filter(status=status).annotate(n=Count("pk")).values("n")[:1]), 0
        )

    qs = scope(user, "foster.organise", EveningSession.objects.select_related("page")).annotate(
        confirmed=_count("confirmed"), waiting=_count("waiting")
    )
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at")
    )
    return list(qs[:100])


def prospects_for(user, *, show_closed: bool = False) -> list[dict]:
    """The prospects ``user`` follows up (the scope of ``foster.follow_up``), oldest step first."""
    from . import services

    qs = scope(
        user,
        "foster.follow_up",
        Prospect.objects.filter(anonymised_at__isnull=True).select_related("provider", "municipality"),
    )
    if not show_closed:
        qs = qs.exclude(stage__in=[Stage.APPROVED, Stage.WITHDRAWN, Stage.NOT_SUITABLE])
    today = timezone.localdate()
    rows = []
    for p in qs.order_by("stage_date", "pk")[:500]:
        rows.append(
            {
                "prospect": p,
                "days": (today - p.stage_date).days,
                "flag": services.needs_first_conversation(p, today),
            }
        )
    rows.sort(key=lambda r: (not r["flag"], -r["days"]))
    return rows


def report_region(user):
    """The region whose funnel report ``user`` sees: their own region when the policy allows
    it, else the first region it allows (None when none)."""
    from thuisnet.accounts.models import Region

    regions = scope(user, "foster.view_report", Region.objects.all())
    return regions.filter(pk=user.region_id).first() or regions.order_by("pk").first()


def funnel_report(
    region, *, start: date | None = None, end: date | None = None, municipality=None, user=None
) -> dict:
    qs = Prospect.objects.filter(region=region)
    if user is not None:  # the aggregate answers the same question as the list
        qs = scope(user, "foster.follow_up", qs)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    ids = list(qs.values_list("pk", flat=True))
    steps: dict[int, dict[str, date]] = {pk: {} for pk in ids}
    for pid, stage, when in ProspectStep.objects.filter(prospect_id__in=ids).values_list(
        "prospect_id", "stage", "date"
    ):
        steps[pid][stage] = when
    rows = stats.funnel(list(steps.values()), [str(s) for s in FUNNEL])
    labels = dict(Stage.choices)
    stats.protect_funnel(rows)  # counts, shares and bar lengths through the disclosure module
    for row in rows:
        row["label"] = labels[row["stage"]]
    closed = {
        s: disclosure.count(sum(1 for v in steps.values() if s in v))
        for s in (Stage.WITHDRAWN, Stage.NOT_SUITABLE)
    }
    source_labels = dict(Source.choices)
    by_source = list(qs.values_list("source").annotate(c=Count("pk")).order_by("-c"))
    by_muni = list(
        qs.values_list("municipality__name").annotate(c=Count("pk")).order_by("municipality__name")
    )
    # Both tables add up to the same total: protected together (thuisnet.core.disclosure).
    (source_texts, muni_texts), total_shown = stats.protect_tables(
        [[c for _s, c in by_source], [c for _n, c in by_muni]]
    )
    sources = [
        {"label": source_labels.get(s, s), "count": c, "shown": text}
        for (s, c), text in zip(by_source, source_texts, strict=True)
    ]
    per_municipality = [
        {"name": name or "-", "shown": text} for (name, _c), text in zip(by_muni, muni_texts, strict=True)
    ]
    total = len(ids)
    if total_shown == stats.disclosure.SECONDARY:
        for row in rows:  # the first stages usually equal the total
            if row["reached"] == total:
                row["shown"], row["bar"], row["conversion_text"] = total_shown, None, None
    return {
        "rows": rows,
        "closed": [(labels[s], v) for s, v in closed.items()],
        "sources": sources,
        "per_municipality": per_municipality,
        "total": total,
        "total_shown": total_shown,
        "max_reached": max((r["bar"] or 0 for r in rows), default=0),  # only shown bars scale
    }
