"""The one path from placements to figures: load, classify, analyse.

The command, the API, the dashboard and the target job all call :func:`analyse` on a
:class:`Frame`; they differ only in how the frame is loaded (:func:`load_frame`, one row per
placement with every column the dashboard splits by, or :func:`load_grouped_frame`, the
database grouping placements that share an outcome, for the command's speed). Counting rules
live in :func:`outcomes` only.

Counting rules
--------------
- Every placement that starts inside the cohort window counts in ``placements`` (included)
  or ``excluded``: respite stays, stays that ended within ``MIN_DAYS`` days, stays still
  running but shorter than ``MIN_DAYS`` days on the as-of date (their fate as a short stay is
  not known yet), and placements starting after the as-of date.
- Honest horizons: a horizon of m months is measurable when at least ``MIN_AT_RISK``
  placements were still followed at m months, or when no placement still running was followed
  less than m months (the data cannot get better). Otherwise its incidence is ``None`` with a
  reason and the earliest date it can become measurable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction

from thuisnet.accounts.models import Organisation, Region

from . import stats
from .models import AgeBand, EndReason, Placement, PlacementType, Target

MIN_DAYS = 8  # stays shorter than this are stored but left out of the metrics
MIN_AT_RISK = 20  # placements followed at least this long before a horizon is reported
HORIZONS = (6, 12, 24)
_CODES = {"": 0, "01": 1, "02": 2, "03": 3, "04": 4, "05": 5}
_TYPES = list(PlacementType.values)
_AGES = list(AgeBand.values)
_EPOCH = date(1970, 1, 1)
_RESPITE = _TYPES.index(PlacementType.RESPITE)
_COLUMNS = ("start", "end", "code", "moved", "ptype", "age", "provider", "created", "process")
PROCESS_FIELDS = (
    "matching_conversation",
    "met_before_start",
    "emergency",
    "perspective_in_time",
    "carer_supported",
)


@dataclass
class Frame:
    """Columns of the placements in a cohort as numpy arrays (days since 1970-01-01)."""

    start: np.ndarray
    end: np.ndarray  # -1 when open
    code: np.ndarray  # 0 unknown/open, 1..5 CBS
    moved: np.ndarray  # bool: moved out of the region
    ptype: np.ndarray  # index into _TYPES
    age: np.ndarray  # index into _AGES
    provider: np.ndarray
    created: np.ndarray  # day the row was recorded
    process: np.ndarray | None = None  # (n, 5): 1 yes, 0 no, -1 not recorded (PROCESS_FIELDS)

    def subset(self, mask: np.ndarray) -> Frame:
        rows = np.flatnonzero(mask)  # once, rather than once per column
        return Frame(*(None if getattr(self, f) is None else getattr(self, f)[rows] for f in _COLUMNS))

    def __len__(self) -> int:
        return int(self.start.size)


def _day(d: date | None) -> int:
    return -1 if d is None else (d - _EPOCH).days


def _day_sql(column: str, vendor: str, *, timestamp: bool = False) -> str:
    """SQL for "days since 1970-01-01" of a date (or a timestamp, in Amsterdam time)."""
    if vendor == "postgresql":
        expr = f"(({column} AT TIME ZONE 'Europe/Amsterdam')::date)" if timestamp else column
        return f"({expr} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _cohort_qs(region, cohort_start, cohort_end, provider, placement_type):
    # The whole window, also starts after the as-of date: they count as excluded, not lost.
    qs = Placement.objects.filter(region=region, start_date__gte=cohort_start, start_date__lte=cohort_end)
    if provider is not None:
        qs = qs.filter(provider=provider)
    if placement_type:
        qs = qs.filter(placement_type=placement_type)
    return qs.order_by()


def _mapping(column: str, values: dict[str, int]):
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *[When(**{column: k}, then=Value(v)) for k, v in values.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def load_frame(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
    chunk: int = 100_000,
) -> Frame:
    """Fetch only the columns the statistics need, as integers computed by the database, into
    numpy arrays. No model objects. On PostgreSQL the database packs the rows into one binary
    value (:func:`_load_frame_postgres`); elsewhere they are streamed through a cursor in
    chunks of ``chunk`` rows."""
    from django.db import connection

    qs = _cohort_qs(region, cohort_start, cohort_end, provider, placement_type)
    if connection.vendor == "postgresql":
        return _load_frame_postgres(qs)
    return _load_frame_rows(qs, connection.vendor, chunk)


def _load_frame_rows(qs, vendor: str, chunk: int) -> Frame:
    """:func:`load_frame` row by row: integers computed by the database, fetched in chunks."""
    from django.db.models import F
    from django.db.models.expressions import RawSQL

    table = Placement._meta.db_table
    qs = qs.annotate(
        _s=RawSQL(_day_sql(f'"{table}"."start_date"', vendor), []),  # noqa: S611 - constants
        _e=RawSQL(f"COALESCE({_day_sql(chr(34) + table + chr(34) + '.end_date', vendor)}, -1)", []),  # noqa: S611
        _c=_mapping("end_code", {k: v for k, v in _CODES.items() if k}),
        _m=_mapping("end_reason", {EndReason.MOVED_OUT_OF_REGION.value: 1}),
        _t=_mapping("placement_type", {t: i for i, t in enumerate(_TYPES)}),
        _a=_mapping("age_band", {a: i for i, a in enumerate(_AGES)}),
        _v=F("provider_id"),
        _r=RawSQL(_day_sql(f'"{table}"."created_at"', vendor, timestamp=True), []),  # noqa: S611
        **{f"_p{i}": _tristate(f) for i, f in enumerate(PROCESS_FIELDS)},
    )
    names = ["_s", "_e", "_c", "_m", "_t", "_a", "_v", "_r"] + [f"_p{i}" for i in range(len(PROCESS_FIELDS))]
    sql, params = qs.values_list(*names).query.sql_with_params()
    data = _fetch_int32(sql, params, len(names), chunk)
    return Frame(
        start=data[0],
        end=data[1],
        code=data[2].astype(np.int8),
        moved=data[3].astype(bool),
        ptype=data[4].astype(np.int8),
        age=data[5].astype(np.int8),
        provider=data[6],
        created=data[7],
        process=np.stack(data[8:], axis=1).astype(np.int8),
    )


def _pg_position(column: str, values: list[str]) -> str:
    """SQL: the 1-based position of ``column`` in ``values``, 0 when absent (or NULL)."""
    array = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"COALESCE(array_position(ARRAY[{array}]::varchar[], q.{column}), 0)"


def _load_frame_postgres(qs) -> Frame:
    """:func:`load_frame` on PostgreSQL in one round trip and one aggregate.

    The database packs each placement into five big-endian int4s (start day, end day or -1,
    provider, day recorded in Amsterdam, and the small codes in one integer: CBS code in bits
    0-2, moved out in bit 3, type + 1 in bits 4-6, age band + 1 in bits 7-9, and the five
    process fields as base-3 digits from bit 10: 0 no, 1 yes, 2 not recorded) and aggregates
    them into one ``bytea``; numpy reads it as it is. Fetching a tuple per placement cost
    about 3 s per million rows; this is the scan and the packing."""
    import psycopg
    from django.db import connection

    inner, params = qs.values_list(
        "start_date",
        "end_date",
        "end_code",
        "end_reason",
        "placement_type",
        "age_band",
        "provider_id",
        "created_at",
        *PROCESS_FIELDS,
    ).query.sql_with_params()
    codes = [k for k in _CODES if k]
    process = " + ".join(f"{3**i} * COALESCE(q.{f}::int, 2)" for i, f in enumerate(PROCESS_FIELDS))
    small = (
        f"{_pg_position('end_code', codes)}"
        f" + 8 * COALESCE((q.end_reason = '{EndReason.MOVED_OUT_OF_REGION.value}')::int, 0)"
        f" + 16 * {_pg_position('placement_type', _TYPES)}"
        f" + 128 * {_pg_position('age_band', _AGES)}"
        f" + 1024 * ({process})"
    )
    columns = [
        "q.start_date - DATE '1970-01-01'",
        "COALESCE(q.end_date - DATE '1970-01-01', -1)",
        "q.provider_id::int4",
        "(q.created_at AT TIME ZONE 'Europe/Amsterdam')::date - DATE '1970-01-01'",
        small,
    ]
    packed = " || ".join(f"int4send(({c})::int4)" for c in columns)
    sql = f"SELECT string_agg({packed}, ''::bytea) FROM ({inner}) AS q"  # noqa: S608 - constants
    connection.ensure_connection()
    # A server-side binding cursor: Django's client-side cursors cannot return binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        (blob,) = cursor.fetchone()
    data = np.frombuffer(blob or b"", dtype=">i4").reshape(-1, len(columns)).astype(np.int32)
    packed_small = data[:, 4]
    digits = packed_small >> 10
    process_cols = []
    for _i in PROCESS_FIELDS:
        d = digits % 3
        process_cols.append(np.where(d == 2, -1, d))
        digits = digits // 3
    width = len(PROCESS_FIELDS)
    return Frame(
        start=data[:, 0].copy(),
        end=data[:, 1].copy(),
        code=(packed_small & 7).astype(np.int8),
        moved=((packed_small >> 3) & 1).astype(bool),
        ptype=np.maximum(((packed_small >> 4) & 7) - 1, 0).astype(np.int8),
        age=np.maximum(((packed_small >> 7) & 7) - 1, 0).astype(np.int8),
        provider=data[:, 2].copy(),
        created=data[:, 3].copy(),
        process=(np.stack(process_cols, axis=1) if process_cols else np.zeros((len(data), width))).astype(
            np.int8
        ),
    )


def _fetch_int32(sql: str, params, width: int, chunk: int) -> list[np.ndarray]:
    """The columns of ``sql`` as int32 arrays, fetched in chunks through a cursor."""
    from django.db import connection

    parts = []
    with transaction.atomic():
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(chunk):
                parts.append(np.array(rows, dtype=np.int32).reshape(-1, width))
        finally:
            cursor.close()
    data = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int32)
    return [data[:, i].copy() for i in range(width)]


def _tristate(field: str):
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        When(**{field: True}, then=Value(1)),
        When(**{field: False}, then=Value(0)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def load_grouped_frame(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
) -> Frame:
    """A frame with the same outcomes as :func:`load_frame`, loaded fast: the database groups
    placements by (follow-up days, ended, code, moved out, respite) and sends one row per group
    with its count. Dates are rebuilt relative to ``as_of`` (start = as_of - follow-up), which
    :func:`outcomes` turns back into exactly the same durations; type, age and provider are
    not loaded (only respite is kept), so this frame is not for splits."""
    from django.db import connection
    from django.db.models import Case, Count, IntegerField, Q, Value, When
    from django.db.models.expressions import RawSQL

    vendor, table = connection.vendor, Placement._meta.db_table
    start = RawSQL(_day_sql(f'"{table}"."start_date"', vendor), [])  # noqa: S611 - constants
    end = RawSQL(_day_sql(f'"{table}"."end_date"', vendor), [])  # noqa: S611 - constants
    ended_q = Q(end_date__isnull=False, end_date__lte=as_of)
    asof = _day(as_of)
    rows = (
        _cohort_qs(region, cohort_start, cohort_end, provider, placement_type)
        .annotate(
            g_end=Case(When(ended_q, then=Value(1)), default=Value(0), output_field=IntegerField()),
            g_dur=Case(
                When(ended_q, then=end - start), default=Value(asof) - start, output_field=IntegerField()
            ),
            g_code=_mapping("end_code", {k: v for k, v in _CODES.items() if k}),
            g_moved=_mapping("end_reason", {EndReason.MOVED_OUT_OF_REGION.value: 1}),
            g_resp=_mapping("placement_type", {PlacementType.RESPITE.value: 1}),
        )
        .values_list("g_dur", "g_end", "g_code", "g_moved", "g_resp")
        .annotate(n=Count("pk"))
    )
    data = np.array(list(rows), dtype=np.int64).reshape(-1, 6)
    n = data[:, 5]
    dur, ended, code, moved, resp = (np.repeat(data[:, i], n) for i in range(5))
    size = int(n.sum())
    zeros = np.zeros(size, dtype=np.int32)
    return Frame(
        start=(asof - dur).astype(np.int32),
        end=np.where(ended == 1, asof, -1).astype(np.int32),
        code=code.astype(np.int8),
        moved=moved.astype(bool),
        ptype=np.where(resp == 1, _RESPITE, 0).astype(np.int8),
        age=zeros.astype(np.int8),
        provider=zeros,
        created=zeros,
    )


@dataclass
class Outcomes:
    durations: np.ndarray
    outcomes: np.ndarray
    included: np.ndarray  # mask over the frame
    codes: np.ndarray  # CBS code (1..5) of included endings that count, else 0
    running: np.ndarray  # included placements still open on the as-of date

    def subset(self, mask: np.ndarray) -> Outcomes:
        """The outcomes of the included placements selected by ``mask`` (over the frame)."""
        sel = mask[self.included]
        return Outcomes(
            self.durations[sel], self.outcomes[sel], mask & self.included, self.codes[sel], self.running[sel]
        )


def outcomes(frame: Frame, as_of: date) -> Outcomes:
    """The counting rules (module docstring), the only place they are written down."""
    asof = _day(as_of)
    started = frame.start <= asof
    ended = (frame.end >= 0) & (frame.end <= asof)
    dur_all = np.where(ended, frame.end - frame.start, asof - frame.start)
    excluded = (frame.ptype == _RESPITE) | ~started | (dur_all < MIN_DAYS)
    inc = ~excluded
    out = np.full(frame.start.size, stats.CENSORED, dtype=np.int8)
    counted = ended & ~frame.moved & (frame.code > 0)
    out[counted & (frame.code == 1)] = stats.PLANNED
    out[counted & (frame.code >= 2)] = stats.BREAKDOWN
    codes = np.where(counted, frame.code, 0)
    return Outcomes(dur_all[inc].astype(np.float64), out[inc], inc, codes[inc], ~ended[inc])


def horizon(oc: Outcomes, as_of: date, months: float) -> dict:
    """Whether the incidence at ``months`` can be reported (module docstring), and if not,
    why and from when at the earliest (if the placements running now keep running)."""
    days = stats.horizon_days(months)
    n = int(oc.durations.size)
    at_risk = int(np.count_nonzero(oc.durations >= days))
    short = oc.durations[oc.running & (oc.durations < days)]
    info = {"measurable": True, "at_risk": at_risk, "reason": None, "measurable_from": None}
    if n and (at_risk >= MIN_AT_RISK or short.size == 0):
        return info
    info["measurable"] = False
    if not n:
        info["reason"] = "no placements in the cohort"
        return info
    info["reason"] = f"fewer than {MIN_AT_RISK} placements followed {months:g} months ({at_risk} so far)"
    # The k-th longest-running of the short ones reaches the horizon first; k = the number
    # still needed, or all of them if fewer are left (then the data are as good as they get).
    follow = np.sort(short)[::-1]
    k = min(MIN_AT_RISK - at_risk, follow.size)
    info["measurable_from"] = (as_of + timedelta(days=math.ceil(days - follow[k - 1]))).isoformat()
    return info


def analyse(frame: Frame, as_of: date, *, extra_horizons: tuple[float, ...] = ()) -> dict:
    """Counts, cumulative incidence (``None`` beyond the follow-up), Kaplan-Meier, rate and
    exit shares, unsuppressed. Private keys (``_cif``, ``_oc``) are for the dashboard."""
    return analyse_outcomes(outcomes(frame, as_of), len(frame), as_of, extra_horizons=extra_horizons)


def analyse_outcomes(
    oc: Outcomes, total: int, as_of: date, *, extra_horizons: tuple[float, ...] = ()
) -> dict:
    table = stats.event_table(oc.durations, oc.outcomes)
    cif = stats.aalen_johansen(oc.durations, None, table=table)
    km = stats.kaplan_meier(None, table=table)
    n = int(oc.outcomes.size)
    breakdowns = int(np.count_nonzero(oc.outcomes == stats.BREAKDOWN))
    planned = int(np.count_nonzero(oc.outcomes == stats.PLANNED))
    days = int(oc.durations.sum())
    if days > 0:
        rate = stats.poisson_rate(breakdowns, days).as_dict()
    else:  # no placement-days: a rate is undefined, not 0 with a [0, 0] interval
        rate = {"estimate": None, "ci_low": None, "ci_high": None}
    endings = int(np.count_nonzero(oc.codes))
    shares = {}
    for code in range(1, 6):
        count = int(np.count_nonzero(oc.codes == code))
        if endings:
            w = stats.wilson(count, endings)
            shares[f"{code:02d}"] = {
                "count": count,
                "share": w.estimate,
                "ci_low": w.ci_low,
                "ci_high": w.ci_high,
            }
        else:
            shares[f"{code:02d}"] = {"count": 0, "share": 0.0, "ci_low": 0.0, "ci_high": 1.0}
    horizons = {str(m): horizon(oc, as_of, m) for m in HORIZONS}
    for m in extra_horizons:
        horizons.setdefault(f"{m:g}", horizon(oc, as_of, m))
    return {
        "placements": n,
        "breakdowns": breakdowns,
        "planned_endings": planned,
        "censored": n - breakdowns - planned,
        "excluded": int(total - n),
        "cumulative_incidence": {
            str(m): (
                cif.breakdown_at(stats.horizon_days(m)).as_dict() if horizons[str(m)]["measurable"] else None
            )
            for m in HORIZONS
        },
        "km_survival": [row.as_dict() for row in km],
        "rate_per_1000_days": {**rate, "days": days, "breakdowns": breakdowns},
        "exit_shares": shares,
        "horizons": horizons,
        "_cif": cif,
        "_oc": oc,
        "_as_of": as_of,
    }


def target_for(
    region: Region, cohort_start: date | None = None, cohort_end: date | None = None
) -> Target | None:
    targets = list(Target.objects.filter(region=region))
    for t in targets:
        if t.cohort_start == cohort_start and t.cohort_end == cohort_end:
            return t
    return targets[0] if targets else None


def target_block(target: Target | None, result: dict) -> dict | None:
    """The target's status on an :func:`analyse` result (``not_yet_measurable`` when its
    horizon lies beyond the follow-up)."""
    if target is None:
        return None
    share = float(target.max_share)
    interval = None
    if horizon(result["_oc"], result["_as_of"], target.horizon_months)["measurable"]:
        interval = result["_cif"].breakdown_at(stats.horizon_days(target.horizon_months))
    return {
        "horizon_months": target.horizon_months,
        "max_share": share,
        "status": stats.target_status(interval, share),
    }


def cohort_result(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
    frame: Frame | None = None,
) -> dict:
    """:func:`analyse` on the cohort, loaded grouped unless a frame is given."""
    if frame is None:
        frame = load_grouped_frame(
            region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
        )
    return analyse(frame, as_of)


def build_report(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
) -> dict:
    """The report of the ``breakdown_report`` command and the API (unsuppressed)."""
    result = cohort_result(
        region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
    )
    return report_json(
        result, region, cohort_start, cohort_end, as_of, whole_cohort=provider is None and not placement_type
    )


def report_json(
    result: dict, region, cohort_start: date, cohort_end: date, as_of: date, *, whole_cohort: bool = True
) -> dict:
    """The command's JSON of an :func:`analyse` result; the target applies to the region's
    whole cohort only (a subset has no target of its own)."""
    target = target_for(region, cohort_start, cohort_end) if whole_cohort else None
    body = {k: v for k, v in result.items() if not k.startswith("_") and k != "horizons"}
    return {
        "cohort": {
            "start": cohort_start.isoformat(),
            "end": cohort_end.isoformat(),
            "as_of": as_of.isoformat(),
        },
        **body,
        "target": target_block(target, result),
        "horizons": result["horizons"],
    }


def grouped_outcomes(region, cohort_start, cohort_end, as_of, *, provider=None, placement_type=None):
    """(outcomes, total) of the grouped frame; kept for callers of the former API."""
    frame = load_grouped_frame(
        region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
    )
    return outcomes(frame, as_of), len(frame)
