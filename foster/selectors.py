"""Public query functions: what pages and screens show. Nothing here changes state."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can, scope
from thuisnet.core import disclosure

from . import stats
from .models import (
    FUNNEL,
    EveningPage,
    EveningSession,
    EventKind,
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
            if len(card["more"]) < more and not s.cancelled_at:
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

    from .forms import ParentRegistrationForm, RegistrationForm
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
    parent_may_register = page.for_parents and can(request.user, "foster.register_as_parent", page)
    if form is None and page.for_parents:
        form = ParentRegistrationForm(page=page, initial={"form_token": new_form_token()})
    elif form is None:
        form = RegistrationForm(page=page, initial={"form_token": new_form_token()})
    return {
        "parent_may_register": parent_may_register,
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
        region_id=vacancy.region_id,
        kind=EventKind.RECRUITMENT,  # theme evenings are for parents the region already has
        sessions__starts_at__gte=now,
        sessions__cancelled_at__isnull=True,
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
        {"name": name or _("onbekend"), "unknown": not name, "shown": text}
        for (name, _c), text in zip(by_muni, muni_texts, strict=True)
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


def my_activities(user, *, now=None) -> dict:
    """What a parent registered for with their account: upcoming and past (newest first)."""
    from .models import Registration

    now = now or timezone.now()
    regs = list(
        Registration.objects.filter(user=user, anonymised_at__isnull=True)
        .exclude(status=Registration.Status.EXPIRED)
        .select_related("session", "session__page")
        .order_by("session__starts_at", "pk")
    )
    upcoming = [r for r in regs if r.session.ends_at >= now]
    past = [r for r in reversed(regs) if r.session.ends_at < now]
    invitations = []
    if getattr(user, "household_id", None):
        from .models import Invitation

        invitations = list(
            Invitation.objects.filter(
                household_id=user.household_id,
                page__live=True,
                page__sessions__ends_at__gte=now,
                page__sessions__cancelled_at__isnull=True,
            )
            .select_related("page")
            .distinct()
            .order_by("page__starts_at", "pk")
        )
    return {"upcoming": upcoming, "past": past, "invitations": invitations}


def attendance_by_kind(sessions, *, now=None) -> list[dict]:
    """Past sessions of ``sessions`` per kind of event: how many took place, how many
    registrations held a seat and how many people came. Counts 1 to 9 are shown as "<10"
    (thuisnet.core.disclosure); no total or share is published next to them."""
    now = now or timezone.now()
    held = sessions.filter(ends_at__lt=now, cancelled_at__isnull=True)
    per_kind = {k: {"sessions": 0, "registered": 0, "attended": 0} for k in EventKind.values}
    for kind, n in held.order_by().values_list("page__kind").annotate(n=Count("pk")):
        per_kind[kind]["sessions"] = n
    regs = Registration.objects.filter(session__in=held.values("pk"), anonymised_at__isnull=True)
    for kind, registered, attended in (
        regs.order_by()
        .values_list("session__page__kind")
        .annotate(
            r=Count("pk", filter=Q(status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED])),
            a=Count("pk", filter=Q(attended_at__isnull=False)),
        )
    ):
        per_kind[kind]["registered"], per_kind[kind]["attended"] = registered, attended
    labels = dict(EventKind.choices)
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "sessions": v["sessions"],
            "registered": disclosure.count(v["registered"]),
            "attended": disclosure.count(v["attended"]),
        }
        for kind, v in per_kind.items()
    ]


def organised_attendance(user) -> list[dict]:
    """:func:`attendance_by_kind` over the sessions ``user`` organises (providers)."""
    return attendance_by_kind(scope(user, "foster.organise", EveningSession.objects.all()))


def region_attendance(region) -> list[dict]:
    """:func:`attendance_by_kind` over the region's sessions (the region's report)."""
    return attendance_by_kind(EveningSession.objects.filter(page__region=region))


# --- public queries for other apps (matching, issue 11) ---------------------------------

#: The stage that counts as "reached intake": the first conversation with a provider.
INTAKE_STAGE = Stage.CONVERSATION


def funnel_stages_for_emails(emails, region_id: int) -> dict[str, str | None]:
    """For each address: the furthest funnel stage (a ``Stage`` value, in ``FUNNEL`` order)
    its prospects reached in the region, or None when it is not in the funnel. Withdrawn or
    unsuitable prospects keep the furthest stage they reached. Anonymised prospects do not
    count. Two queries, however many addresses."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    result: dict[str, str | None] = dict.fromkeys(wanted)
    if not wanted:
        return result
    order = {str(stage): i for i, stage in enumerate(FUNNEL)}
    prospects = dict(
        Prospect.objects.filter(
            region_id=region_id, email__in=wanted, anonymised_at__isnull=True
        ).values_list("pk", "email")
    )
    best: dict[str, int] = {}
    for pid in prospects:
        best.setdefault(prospects[pid].lower(), 0)  # in the funnel: registered at least
    for pid, stage in ProspectStep.objects.filter(prospect_id__in=list(prospects)).values_list(
        "prospect_id", "stage"
    ):
        if stage in order:
            email = prospects[pid].lower()
            best[email] = max(best.get(email, 0), order[stage])
    for email, i in best.items():
        result[email] = str(FUNNEL[i])
    return result


def funnel_stage_for(email: str, region_id: int) -> str | None:
    """The furthest funnel stage of ``email`` in the region (see funnel_stages_for_emails)."""
    return funnel_stages_for_emails({email}, region_id).get((email or "").strip().lower())


def funnel_conversion_by_emails(emails, region_id: int) -> dict:
    """How many of these addresses are in the region's funnel and how many reached intake
    (the first conversation) or further. Raw counts: the caller that shows them to the
    region passes them through thuisnet.core.disclosure.

    ``{"asked": n, "in_funnel": n, "reached_intake": n, "by_stage": {stage: n}}``
    """
    stages = funnel_stages_for_emails(emails, region_id)
    intake = FUNNEL.index(INTAKE_STAGE)
    order = {str(stage): i for i, stage in enumerate(FUNNEL)}
    reached = [s for s in stages.values() if s is not None]
    by_stage = {str(stage): 0 for stage in FUNNEL}
    for s in reached:
        by_stage[s] += 1
    return {
        "asked": len(stages),
        "in_funnel": len(reached),
        "reached_intake": sum(1 for s in reached if order[s] >= intake),
        "by_stage": by_stage,
    }


def invitation_summary(page) -> dict:
    """The organiser's view of a thank-you event: answers counted, guests added up, the
    dietary wishes as a list without names, and the households that have no account (their
    link is shared by the organiser)."""
    from thuisnet.accounts.models import User

    from .models import Invitation

    invitations = list(
        Invitation.objects.filter(page=page).select_related("household", "registration").order_by("pk")
    )
    with_account = set(
        User.objects.filter(
            household_id__in=[i.household_id for i in invitations], is_active=True
        ).values_list("household_id", flat=True)
    )
    holding = (Registration.Status.CONFIRMED, Registration.Status.OFFERED)
    yes = [i for i in invitations if i.coming and i.registration and i.registration.status in holding]
    waiting = [
        i
        for i in invitations
        if i.coming and i.registration and i.registration.status == Registration.Status.WAITING
    ]
    return {
        "invited": len(invitations),
        "yes": len(yes),
        "waiting": len(waiting),
        "no": sum(1 for i in invitations if i.coming is False),
        "open": sum(1 for i in invitations if i.coming is None),
        "guests": sum(i.registration.attendees for i in yes),
        "dietary": sorted(i.dietary for i in yes + waiting if i.dietary),
        "without_account": [i for i in invitations if i.household_id not in with_account],
    }
