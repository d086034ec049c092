"""Read queries of the start path. A page costs the same few queries whatever the number of
steps or starters: steps, progress and links are fetched in bulk, never per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from thuisnet.accounts.policies import scope
from thuisnet.core import disclosure

from ..models import KnowledgeArticlePage, Starter, StartPath, StartStep, StepProgress


def _steps_by_path(path_ids) -> dict[int, list[StartStep]]:
    out: dict[int, list[StartStep]] = defaultdict(list)
    for step in StartStep.objects.filter(path_id__in=set(path_ids)).order_by("path_id", "position"):
        out[step.path_id].append(step)
    return out


def _progress_by_starter(starter_ids) -> dict[int, dict[int, StepProgress]]:
    out: dict[int, dict[int, StepProgress]] = defaultdict(dict)
    for p in StepProgress.objects.filter(starter_id__in=list(starter_ids)):
        out[p.starter_id][p.step_id] = p
    return out


def _current(steps: list[StartStep], progress: dict[int, StepProgress]):
    for step in steps:
        p = progress.get(step.pk)
        if p is None or p.done_on is None:
            return step, p
    return None, None


def _reached(starter: Starter, steps, progress, step) -> date:
    """When the starter reached ``step``: its own row, else the day the step before was done,
    else the start of the path."""
    p = progress.get(step.pk)
    if p is not None:
        return p.reached_on
    before = [progress.get(s.pk) for s in steps if s.position < step.position]
    done = [b.done_on for b in before if b is not None and b.done_on]
    return max(done) if done else starter.started_on


def current_steps(starters: list[Starter]) -> list[tuple[Starter, StartStep | None, StepProgress | None]]:
    """For each starter, the first step not done and its progress row (two queries)."""
    steps = _steps_by_path(s.path_id for s in starters)
    progress = _progress_by_starter(s.pk for s in starters)
    out = []
    for s in starters:
        step, p = _current(steps[s.path_id], progress[s.pk])
        if step is not None and p is None:
            p = StepProgress(
                starter=s, step=step, reached_on=_reached(s, steps[s.path_id], progress[s.pk], step)
            )
        out.append((s, step, p))
    return out


@dataclass
class StepView:
    step: StartStep
    number: int
    state: str  # "done", "current", "todo"
    progress: StepProgress | None
    articles: list = field(default_factory=list)
    documents: list = field(default_factory=list)


def starter_of(user) -> Starter | None:
    return Starter.objects.select_related("path", "provider", "coach").filter(user=user).first()


def path_of(starter: Starter, request=None) -> dict:
    """The starter's path with their progress: a fixed number of queries."""
    steps = list(
        StartStep.objects.filter(path_id=starter.path_id)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=KnowledgeArticlePage.objects.live().public(),
            ),
            "documents",
        )
    )
    progress = _progress_by_starter([starter.pk])[starter.pk]
    current, _p = _current(steps, progress)
    views = []
    for i, step in enumerate(steps, start=1):
        p = progress.get(step.pk)
        if p is not None and p.done_on:
            state = "done"
        elif current is not None and step.pk == current.pk:
            state = "current"
        else:
            state = "todo"
        views.append(
            StepView(
                step=step,
                number=i,
                state=state,
                progress=p,
                articles=list(step.articles.all()),
                documents=list(step.documents.all()),
            )
        )
    done = sum(1 for v in views if v.state == "done")
    today = timezone.localdate()
    since = _reached(starter, steps, progress, current) if current is not None else None
    return {
        "starter": starter,
        "steps": views,
        "current": next((v for v in views if v.state == "current"), None),
        "done_count": done,
        "total": len(views),
        "days_on_step": (today - since).days if since else None,
    }


@dataclass
class CoachRow:
    starter: Starter
    step: StartStep | None
    number: int | None
    total: int
    since: date | None
    days: int | None
    stalled: bool


def coach_starters(user) -> list[CoachRow]:
    """The starters this person may follow (their provider's, or those they coach), with
    where each is and since when: four queries whatever the number of starters."""
    from ..services.startpath import stall_days

    starters = list(
        scope(user, "startpath.view_starter", Starter.objects.all())
        .exclude(user_id=user.pk)
        .select_related("user", "path", "provider", "coach")
        .order_by("started_on", "pk")
    )
    steps = _steps_by_path(s.path_id for s in starters)
    progress = _progress_by_starter(s.pk for s in starters)
    today = timezone.localdate()
    rows = []
    for s in starters:
        step, _p = _current(steps[s.path_id], progress[s.pk])
        since = _reached(s, steps[s.path_id], progress[s.pk], step) if step else None
        days = (today - since).days if since else None
        rows.append(
            CoachRow(
                starter=s,
                step=step,
                number=step.position if step else None,
                total=len(steps[s.path_id]),
                since=since,
                days=days,
                stalled=days is not None and days >= stall_days(s.path),
            )
        )
    rows.sort(key=lambda r: -(r.days or -1))
    return rows


def region_paths(region) -> QuerySet[StartPath]:
    return StartPath.objects.filter(region=region, active=True).order_by("title")


def region_overview(path: StartPath) -> dict:
    """Per step of ``path``: how many starters are on it, how many have stalled there, and the
    median days the step took (shown only over ten or more completions). Counts go through
    ``thuisnet.core.disclosure``; a starter's row is never shown."""
    from ..services.startpath import stall_days

    steps = list(StartStep.objects.filter(path=path).order_by("position"))
    starters = list(Starter.objects.filter(path=path, finished_on__isnull=True))
    progress = _progress_by_starter(s.pk for s in starters)
    today = timezone.localdate()
    on_step = {st.pk: 0 for st in steps}
    stalled = {st.pk: 0 for st in steps}
    limit = stall_days(path)
    for s in starters:
        step, _p = _current(steps, progress[s.pk])
        if step is None:
            continue
        on_step[step.pk] += 1
        if (today - _reached(s, steps, progress[s.pk], step)).days >= limit:
            stalled[step.pk] += 1
    durations: dict[int, list[int]] = defaultdict(list)
    for p in StepProgress.objects.filter(step__path=path, done_on__isnull=False).only(
        "step_id", "reached_on", "done_on"
    ):
        durations[p.step_id].append((p.done_on - p.reached_on).days)
    shown_on = disclosure.series([on_step[st.pk] for st in steps])
    shown_stalled = disclosure.series([stalled[st.pk] for st in steps])
    rows = []
    for i, st in enumerate(steps):
        d = durations.get(st.pk, [])
        med = median(d) if len(d) >= disclosure.THRESHOLD else None
        rows.append(
            {
                "step": st,
                "starters": shown_on.cells[i],
                "stalled": shown_stalled.cells[i],
                "completions": disclosure.count(len(d)),
                "median_days": med,
            }
        )
    slowest = sorted((r for r in rows if r["median_days"] is not None), key=lambda r: -r["median_days"])[:3]
    return {
        "path": path,
        "rows": rows,
        "total": shown_on.total,
        "stalled_total": shown_stalled.total,
        "stall_days": limit,
        "slowest": slowest,
    }
