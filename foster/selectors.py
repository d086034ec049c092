"""Public query functions: what pages and screens show. Nothing here changes state."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from . import stats
from .models import FUNNEL, EveningPage, EveningSession, Prospect, ProspectStep, Source, Stage


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
    if municipality is not None:
        qs = qs.filter(page__municipality=municipality)
    if mode:
        qs = qs.filter(page__mode=mode)
    sessions = list(qs[:200])
    if family_form:  # a JSON list: filtered in Python, portable across databases
        sessions = [s for s in sessions if family_form in (s.page.family_forms or [])]
    return sessions


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
    return {
        "filter_form": form,
        "sessions": sessions_for_index(page, past=past, **filters),
        "past": past,
        "region": region,
        "vacancies": page.get_children().live().type(_vacancy_model()).specific(),
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


def organised_sessions(user, *, past: bool = False):
    from thuisnet.accounts.policies import can
    from thuisnet.accounts.roles import roles_of

    r = roles_of(user)
    now = timezone.now()
    qs = EveningSession.objects.select_related("page").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    )
    if not user.is_superuser:
        qs = qs.filter(
            Q(page__organisers__in=r.organiser_provider_ids) | Q(page__region__in=r.coordinator_region_ids)
        ).distinct()
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at")
    )
    return [s for s in qs[:100] if can(user, "foster.organise", s)]


def prospects_for(user, *, show_closed: bool = False):
    from thuisnet.accounts.roles import roles_of

    from . import services

    r = roles_of(user)
    qs = Prospect.objects.filter(anonymised_at__isnull=True).select_related("provider", "municipality")
    if not user.is_superuser:
        qs = qs.filter(Q(provider__in=r.provider_ids) | Q(region__in=r.coordinator_region_ids))
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


def funnel_report(region, *, start: date | None = None, end: date | None = None, municipality=None) -> dict:
    qs = Prospect.objects.filter(region=region)
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
    for row in rows:
        row["label"] = labels[row["stage"]]
        row["shown"] = stats.suppress(row["reached"])
    closed = {
        s: stats.suppress(sum(1 for v in steps.values() if s in v))
        for s in (Stage.WITHDRAWN, Stage.NOT_SUITABLE)
    }
    source_labels = dict(Source.choices)
    sources = [
        {"label": source_labels.get(s, s), "count": c, "shown": stats.suppress(c)}
        for s, c in qs.values_list("source").annotate(c=Count("pk")).order_by("-c")
    ]
    per_municipality = [
        {"name": name or "-", "shown": stats.suppress(c)}
        for name, c in qs.values_list("municipality__name")
        .annotate(c=Count("pk"))
        .order_by("municipality__name")
    ]
    total = len(ids)
    return {
        "rows": rows,
        "closed": [(labels[s], v) for s, v in closed.items()],
        "sources": sources,
        "per_municipality": per_municipality,
        "total": total,
        "total_shown": stats.suppress(total),
        "max_reached": max((r["reached"] for r in rows), default=0),
    }
