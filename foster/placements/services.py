"""The only way to change placements and targets, and the report behind every view.

Public functions: ``save_placement``, ``import_rows``/``import_file``, ``build_report``,
``dashboard_data``, ``set_target``, ``check_targets``. Statistics live in ``stats.py``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Municipality, Organisation, Region
from thuisnet.core.pii import find_identifiers

from . import stats
from .models import AgeBand, EndCode, EndReason, Placement, PlacementType, Schedule, Target

MIN_DAYS = 8  # stays shorter than this are stored but left out of the metrics
HORIZONS = (6, 12, 24)

# --- The import format ---------------------------------------------------------------------

COLUMNS = [
    "kind_ref",
    "gezin_ref",
    "soort",
    "voltijd_deeltijd",
    "leeftijd_start",
    "gemeente",
    "startdatum",
    "einddatum",
    "reden_code",
    "reden_toelichting",
]
REQUIRED = {"kind_ref", "gezin_ref", "soort", "leeftijd_start", "startdatum"}
TYPE_ALIASES = {
    "regulier": PlacementType.REGULAR,
    "netwerk": PlacementType.KINSHIP,
    "gezinshuis": PlacementType.FAMILY_HOME,
    "crisis": PlacementType.CRISIS,
    "respijt": PlacementType.RESPITE,
}
TYPE_ALIASES.update({t.value: t for t in PlacementType})
SCHEDULE_ALIASES = {
    "voltijd": Schedule.FULL_TIME,
    "deeltijd": Schedule.PART_TIME,
    "full_time": Schedule.FULL_TIME,
    "part_time": Schedule.PART_TIME,
}
REASON_ALIASES = {
    "doel_bereikt": EndReason.GOAL_REACHED,
    "terug_naar_ouders": EndReason.REUNIFICATION,
    "18_jaar": EndReason.TURNED_18,
    "geplande_overstap": EndReason.PLANNED_MOVE,
    "verzoek_gezin": EndReason.CARER_REQUEST,
    "gedrag_kind": EndReason.CHILD_BEHAVIOUR,
    "wens_kind": EndReason.CHILD_REQUEST,
    "wens_ouders": EndReason.PARENT_REQUEST,
    "melding": EndReason.ALLEGATION,
    "omstandigheden_gezin": EndReason.CARER_CIRCUMSTANCES,
    "matching": EndReason.MISMATCH,
    "besluit_rechter": EndReason.COURT_DECISION,
    "verhuisd_buiten_regio": EndReason.MOVED_OUT_OF_REGION,
    "anders": EndReason.OTHER,
}
REASON_ALIASES.update({r.value: r for r in EndReason})
_DATE_LIKE = re.compile(
    r"(19|20)\d{2}[-._]?(0[1-9]|1[0-2])[-._]?(0[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?<!\d)(0[1-9]|[12]\d|3[01])[-._]?(0[1-9]|1[0-2])[-._]?(19|20)\d{2}"
)
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
FIELDS = ["municipality_id", "placement_type", "schedule", "age_band", "end_date", "end_code", "end_reason"]


class ImportFormatError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns)."""


@dataclass
class RowError:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


def template_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "K-2025-0012",
            "G-0345",
            "regulier",
            "voltijd",
            "8-11",
            "Deventer",
            "2025-03-01",
            "2025-11-14",
            "03",
            "gedrag_kind",
        ]
    )
    writer.writerow(
        ["K-2025-0013", "G-0102", "netwerk", "voltijd", "0-3", "GM0200", "2025-06-15", "", "", ""]
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "plaatsingen"
    ws.append(COLUMNS)
    ws.append(
        [
            "K-2025-0012",
            "G-0345",
            "regulier",
            "voltijd",
            "8-11",
            "Deventer",
            date(2025, 3, 1),
            date(2025, 11, 14),
            "03",
            "gedrag_kind",
        ]
    )
    ws.append(
        ["K-2025-0013", "G-0102", "netwerk", "voltijd", "0-3", "GM0200", date(2025, 6, 15), None, None, None]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (comma or semicolon, UTF-8) or XLSX file as dicts of strings."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same to a user
            raise ImportFormatError(_("Het Excel-bestand kan niet worden gelezen.")) from exc
        raw = [
            [
                ""
                if v is None
                else (
                    v.date().isoformat()
                    if isinstance(v, datetime)
                    else v.isoformat()
                    if isinstance(v, date)
                    else str(v)
                )
                for v in row
            ]
            for row in wb.active.iter_rows(values_only=True)
        ]
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(_("Het CSV-bestand is niet in UTF-8 opgeslagen.")) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        raw = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    else:
        raise ImportFormatError(_("Upload een .csv- of .xlsx-bestand."))
    raw = [r for r in raw if any(str(c).strip() for c in r)]
    if not raw:
        raise ImportFormatError(_("Het bestand is leeg."))
    header = [str(h).strip().lower() for h in raw[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFormatError(_("Deze kolommen ontbreken: %(cols)s.") % {"cols": ", ".join(missing)})
    rows = []
    for values in raw[1:]:
        values = list(values) + [""] * (len(header) - len(values))
        rows.append({h: str(v).strip() for h, v in zip(header, values, strict=False) if h in COLUMNS})
    return rows


def _parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def check_ref(value: str) -> str | None:
    """A Dutch message if ``value`` is not a safe pseudonymous reference, else None."""
    if not REF_PATTERN.match(value):
        return _(
            "Gebruik 1 tot 40 letters, cijfers, punten, streepjes of liggende streepjes, zonder spaties."
        )
    if find_identifiers(value) or re.fullmatch(r"\d{9}", value):
        return _("Dit lijkt op een BSN, telefoonnummer of e-mailadres. Gebruik een pseudoniem.")
    if _parse_date(value) or _DATE_LIKE.search(value):
        return _("Dit lijkt op een datum (geboortedatum?). Gebruik een pseudoniem.")
    return None


def _municipalities(region: Region) -> dict[str, Municipality]:
    out = {}
    for m in Municipality.objects.filter(region=region):
        out[m.name.lower()] = m
        out[m.slug.lower()] = m
        if m.cbs_code:
            out[m.cbs_code.lower()] = m
    return out


def _validate_row(line: int, row: dict, munis: dict, today: date) -> tuple[dict | None, list[RowError]]:
    errors: list[RowError] = []

    def err(col: str, msg: str) -> None:
        errors.append(RowError(line, col, msg))

    for col in sorted(REQUIRED):
        if not row.get(col):
            err(col, _("Dit veld is verplicht."))
    data: dict = {}
    for col, key in (("kind_ref", "child_ref"), ("gezin_ref", "carer_ref")):
        if row.get(col):
            problem = check_ref(row[col])
            if problem:
                err(col, problem)
            data[key] = row[col]
    if row.get("soort"):
        t = TYPE_ALIASES.get(row["soort"].lower())
        if t is None:
            err("soort", _("Onbekende soort; kies uit regulier, netwerk, gezinshuis, crisis, respijt."))
        data["placement_type"] = t
    s = row.get("voltijd_deeltijd", "").lower() or "voltijd"
    data["schedule"] = SCHEDULE_ALIASES.get(s)
    if data["schedule"] is None:
        err("voltijd_deeltijd", _("Vul voltijd of deeltijd in."))
    if row.get("leeftijd_start"):
        if row["leeftijd_start"] not in AgeBand.values:
            err(
                "leeftijd_start",
                _("Onbekende leeftijdsgroep; kies uit %(bands)s.") % {"bands": ", ".join(AgeBand.values)},
            )
        data["age_band"] = row["leeftijd_start"]
    data["municipality_id"] = None
    if row.get("gemeente"):
        m = munis.get(row["gemeente"].lower())
        if m is None:
            err("gemeente", _("Deze gemeente hoort niet bij de regio."))
        else:
            data["municipality_id"] = m.pk
    start = end = None
    if row.get("startdatum"):
        start = _parse_date(row["startdatum"])
        if start is None:
            err("startdatum", _("Schrijf de datum als JJJJ-MM-DD of DD-MM-JJJJ."))
        elif start > today:
            err("startdatum", _("De startdatum ligt in de toekomst."))
        data["start_date"] = start
    if row.get("einddatum"):
        end = _parse_date(row["einddatum"])
        if end is None:
            err("einddatum", _("Schrijf de datum als JJJJ-MM-DD of DD-MM-JJJJ."))
        elif start and end < start:
            err("einddatum", _("De einddatum ligt voor de startdatum."))
        elif end > today:
            err("einddatum", _("De einddatum ligt in de toekomst; laat hem leeg tot de plaatsing eindigt."))
    data["end_date"] = end
    code = row.get("reden_code", "")
    if code:
        code = code.zfill(2)
        if code not in EndCode.values:
            err("reden_code", _("Gebruik een CBS-code van 01 tot en met 05."))
        elif not row.get("einddatum"):
            err("reden_code", _("Een reden van beëindiging hoort bij een einddatum."))
    data["end_code"] = code
    reason = row.get("reden_toelichting", "").lower()
    data["end_reason"] = ""
    if reason:
        r = REASON_ALIASES.get(reason)
        if r is None:
            err("reden_toelichting", _("Onbekende toelichting; zie de kolomspecificatie."))
        elif not row.get("einddatum"):
            err("reden_toelichting", _("Een toelichting hoort bij een einddatum."))
        else:
            data["end_reason"] = r.value
    return (None if errors else data), errors


def validate_placement(data: dict) -> dict[str, str]:
    """Field errors (Dutch) for one placement as the form and the API give it."""
    errors = {}
    for key in ("child_ref", "carer_ref"):
        if data.get(key):
            problem = check_ref(data[key])
            if problem:
                errors[key] = problem
    start, end = data.get("start_date"), data.get("end_date")
    today = timezone.localdate()
    if start and start > today:
        errors["start_date"] = _("De startdatum ligt in de toekomst.")
    if end and start and end < start:
        errors["end_date"] = _("De einddatum ligt voor de startdatum.")
    elif end and end > today:
        errors["end_date"] = _("De einddatum ligt in de toekomst; laat hem leeg tot de plaatsing eindigt.")
    if data.get("end_code") and not end:
        errors["end_code"] = _("Een reden van beëindiging hoort bij een einddatum.")
    if data.get("end_reason") and not end:
        errors["end_reason"] = _("Een toelichting hoort bij een einddatum.")
    return errors


def import_rows(provider: Organisation, rows: list[dict[str, str]], *, user=None) -> ImportResult:
    """Validate every row, then save all or nothing. The same rows again change nothing."""
    result = ImportResult(rows=len(rows))
    munis = _municipalities(provider.region)
    today = timezone.localdate()
    parsed: list[dict] = []
    seen: dict[tuple, int] = {}
    for i, row in enumerate(rows, start=2):
        data, errors = _validate_row(i, row, munis, today)
        result.errors.extend(errors)
        if data is None:
            continue
        key = (data["child_ref"], data["carer_ref"], data["start_date"])
        if key in seen:
            result.errors.append(
                RowError(
                    i,
                    "kind_ref",
                    _("Deze plaatsing (kind, gezin en startdatum) staat ook op regel %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = i
        parsed.append(data)
    if result.errors or not parsed:
        if not parsed and not result.errors:
            result.errors.append(RowError(1, "", _("Het bestand bevat geen plaatsingen.")))
        return result
    _upsert(provider, parsed, result, user)
    return result


def import_file(provider: Organisation, name: str, content: bytes, *, user=None) -> ImportResult:
    try:
        rows = read_table(name, content)
    except ImportFormatError as exc:
        return ImportResult(errors=[RowError(1, "", str(exc))])
    return import_rows(provider, rows, user=user)


@transaction.atomic
def _upsert(provider: Organisation, parsed: list[dict], result: ImportResult, user) -> None:
    refs = {d["child_ref"] for d in parsed}
    existing = {
        (p.child_ref, p.carer_ref, p.start_date): p
        # pk order: two imports touching the same placements lock them in one order.
        for p in Placement.objects.select_for_update()
        .filter(provider=provider, child_ref__in=refs)
        .order_by("pk")
    }
    new, changed = [], []
    for d in parsed:
        p = existing.get((d["child_ref"], d["carer_ref"], d["start_date"]))
        if p is None:
            new.append(
                Placement(
                    provider=provider,
                    region_id=provider.region_id,
                    created_by=user if user and user.is_authenticated else None,
                    **d,
                )
            )
            continue
        if all(getattr(p, f) == d[f] for f in FIELDS):
            result.unchanged += 1
            continue
        for f in FIELDS:
            setattr(p, f, d[f])
        p.updated_at = timezone.now()
        changed.append(p)
    Placement.objects.bulk_create(new, batch_size=1000)
    Placement.objects.bulk_update(changed, FIELDS + ["updated_at"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)


def save_placement(
    provider: Organisation, data: dict, *, instance: Placement | None = None, user=None
) -> tuple[Placement, bool]:
    """Create or update one placement by its key. Returns (placement, created)."""
    with transaction.atomic():
        if instance is None:
            instance = (
                Placement.objects.select_for_update()
                .filter(
                    provider=provider,
                    child_ref=data["child_ref"],
                    carer_ref=data["carer_ref"],
                    start_date=data["start_date"],
                )
                .first()
            )
        created = instance is None
        if created:
            instance = Placement(
                provider=provider,
                region_id=provider.region_id,
                created_by=user if user and user.is_authenticated else None,
            )
        for key, value in data.items():
            setattr(instance, key, value)
        if not instance.end_date:
            instance.end_code = ""
            instance.end_reason = ""
        instance.save()
    return instance, created


# --- The report ----------------------------------------------------------------------------

_CODES = {"": 0, "01": 1, "02": 2, "03": 3, "04": 4, "05": 5}
_TYPES = list(PlacementType.values)
_AGES = list(AgeBand.values)
_EPOCH = date(1970, 1, 1)


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

    def subset(self, mask: np.ndarray) -> Frame:
        return Frame(
            *(
                getattr(self, f)[mask]
                for f in ("start", "end", "code", "moved", "ptype", "age", "provider", "created")
            )
        )

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
    """Fetch only the columns the statistics need, as integers computed by the database,
    streamed through a server-side cursor (PostgreSQL) into numpy arrays. No model objects."""
    from django.db import connection
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.expressions import RawSQL

    qs = Placement.objects.filter(
        region=region, start_date__gte=cohort_start, start_date__lte=min(cohort_end, as_of)
    )
    if provider is not None:
        qs = qs.filter(provider=provider)
    if placement_type:
        qs = qs.filter(placement_type=placement_type)
    vendor = connection.vendor
    table = Placement._meta.db_table

    def mapping(column: str, values: dict[str, int]) -> Case:
        return Case(
            *[When(**{column: k}, then=Value(v)) for k, v in values.items()],
            default=Value(0),
            output_field=IntegerField(),
        )

    qs = (
        qs.order_by()
        .annotate(
            _s=RawSQL(_day_sql(f'"{table}"."start_date"', vendor), []),  # noqa: S611 - constants
            _e=RawSQL(f"COALESCE({_day_sql(chr(34) + table + chr(34) + '.end_date', vendor)}, -1)", []),  # noqa: S611, E501
            _c=mapping("end_code", {k: v for k, v in _CODES.items() if k}),
            _m=mapping("end_reason", {EndReason.MOVED_OUT_OF_REGION.value: 1}),
            _t=mapping("placement_type", {t: i for i, t in enumerate(_TYPES)}),
            _a=mapping("age_band", {a: i for i, a in enumerate(_AGES)}),
            _r=RawSQL(_day_sql(f'"{table}"."created_at"', vendor, timestamp=True), []),  # noqa: S611
        )
        .values_list("_s", "_e", "_c", "_m", "_t", "_a", "provider_id", "_r")
    )
    sql, params = qs.query.sql_with_params()
    parts = []
    with transaction.atomic():
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(chunk):
                parts.append(np.array(rows, dtype=np.int32).reshape(-1, 8))
        finally:
            cursor.close()
    data = np.concatenate(parts) if parts else np.zeros((0, 8), dtype=np.int32)
    return Frame(
        start=data[:, 0].copy(),
        end=data[:, 1].copy(),
        code=data[:, 2].astype(np.int8),
        moved=data[:, 3].astype(bool),
        ptype=data[:, 4].astype(np.int8),
        age=data[:, 5].astype(np.int8),
        provider=data[:, 6].copy(),
        created=data[:, 7].copy(),
    )


@dataclass
class Outcomes:
    durations: np.ndarray
    outcomes: np.ndarray
    included: np.ndarray  # mask over the frame
    codes: np.ndarray  # CBS code (1..5) of included endings that count, else 0


def outcomes(frame: Frame, as_of: date) -> Outcomes:
    asof = _day(as_of)
    ended = (frame.end >= 0) & (frame.end <= asof)
    dur_all = np.where(ended, frame.end - frame.start, asof - frame.start)
    excluded = (frame.ptype == _TYPES.index(PlacementType.RESPITE)) | (ended & (dur_all < MIN_DAYS))
    inc = ~excluded
    out = np.full(frame.start.size, stats.CENSORED, dtype=np.int8)
    counted = ended & ~frame.moved & (frame.code > 0)
    out[counted & (frame.code == 1)] = stats.PLANNED
    out[counted & (frame.code >= 2)] = stats.BREAKDOWN
    codes = np.where(counted, frame.code, 0)
    return Outcomes(dur_all[inc].astype(np.float64), out[inc], inc, codes[inc])


def analyse(frame: Frame, as_of: date) -> dict:
    """Counts, cumulative incidence, Kaplan-Meier, rate and exit shares, unsuppressed."""
    return analyse_outcomes(outcomes(frame, as_of), len(frame))


def grouped_outcomes(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
) -> tuple[Outcomes, int]:
    """The same as ``outcomes(load_frame(...))``, but the database groups the placements by
    (duration, ended, code, moved out, respite) and sends one row per group with its count:
    a few thousand rows instead of one per placement."""
    from django.db import connection
    from django.db.models import Case, Count, IntegerField, Q, Value, When
    from django.db.models.expressions import RawSQL

    qs = Placement.objects.filter(
        region=region, start_date__gte=cohort_start, start_date__lte=min(cohort_end, as_of)
    )
    if provider is not None:
        qs = qs.filter(provider=provider)
    if placement_type:
        qs = qs.filter(placement_type=placement_type)
    vendor, table = connection.vendor, Placement._meta.db_table
    start = RawSQL(_day_sql(f'"{table}"."start_date"', vendor), [])  # noqa: S611 - constants
    end = RawSQL(_day_sql(f'"{table}"."end_date"', vendor), [])  # noqa: S611 - constants
    ended_q = Q(end_date__isnull=False, end_date__lte=as_of)
    asof = _day(as_of)
    rows = (
        qs.order_by()
        .annotate(
            g_end=Case(When(ended_q, then=Value(1)), default=Value(0), output_field=IntegerField()),
            g_dur=Case(
                When(ended_q, then=end - start), default=Value(asof) - start, output_field=IntegerField()
            ),
            g_code=Case(
                *[When(end_code=k, then=Value(v)) for k, v in _CODES.items() if k],
                default=Value(0),
                output_field=IntegerField(),
            ),
            g_moved=Case(
                When(end_reason=EndReason.MOVED_OUT_OF_REGION.value, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            g_resp=Case(
                When(placement_type=PlacementType.RESPITE.value, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values_list("g_dur", "g_end", "g_code", "g_moved", "g_resp")
        .annotate(n=Count("pk"))
    )
    data = np.array(list(rows), dtype=np.int64).reshape(-1, 6)
    dur, ended, code, moved, resp, n = (data[:, i] for i in range(6))
    total = int(n.sum())
    excluded = (resp == 1) | ((ended == 1) & (dur < MIN_DAYS))
    keep = ~excluded
    counted = (ended == 1) & (moved == 0) & (code > 0)
    out = np.full(dur.size, stats.CENSORED, dtype=np.int8)
    out[counted & (code == 1)] = stats.PLANNED
    out[counted & (code >= 2)] = stats.BREAKDOWN
    reps = n[keep]
    oc = Outcomes(
        durations=np.repeat(dur[keep].astype(np.float64), reps),
        outcomes=np.repeat(out[keep], reps),
        included=np.ones(int(reps.sum()), dtype=bool),
        codes=np.repeat(np.where(counted, code, 0)[keep], reps),
    )
    return oc, total


def analyse_outcomes(oc: Outcomes, total: int) -> dict:
    table = stats.event_table(oc.durations, oc.outcomes)
    cif = stats.aalen_johansen(None, None, table=table)
    km = stats.kaplan_meier(None, table=table)
    n = int(oc.outcomes.size)
    breakdowns = int(np.count_nonzero(oc.outcomes == stats.BREAKDOWN))
    planned = int(np.count_nonzero(oc.outcomes == stats.PLANNED))
    days = int(oc.durations.sum())
    if days > 0:
        rate = stats.poisson_rate(breakdowns, days).as_dict()
    else:
        rate = {"estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0}
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
    return {
        "placements": n,
        "breakdowns": breakdowns,
        "planned_endings": planned,
        "censored": n - breakdowns - planned,
        "excluded": int(total - n),
        "cumulative_incidence": {str(m): cif.breakdown_at(stats.horizon_days(m)).as_dict() for m in HORIZONS},
        "km_survival": [row.as_dict() for row in km],
        "rate_per_1000_days": {**rate, "days": days, "breakdowns": breakdowns},
        "exit_shares": shares,
        "_cif": cif,
    }


def target_for(
    region: Region, cohort_start: date | None = None, cohort_end: date | None = None
) -> Target | None:
    targets = list(Target.objects.filter(region=region))
    for t in targets:
        if t.cohort_start == cohort_start and t.cohort_end == cohort_end:
            return t
    return targets[0] if targets else None


def target_block(target: Target | None, cif: stats.CumulativeIncidence) -> dict | None:
    if target is None:
        return None
    interval = cif.breakdown_at(stats.horizon_days(target.horizon_months))
    share = float(target.max_share)
    return {
        "horizon_months": target.horizon_months,
        "max_share": share,
        "status": stats.target_status(interval, share),
    }


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
    oc, total = grouped_outcomes(
        region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
    )
    result = analyse_outcomes(oc, total)
    cif = result.pop("_cif")
    return {
        "cohort": {
            "start": cohort_start.isoformat(),
            "end": cohort_end.isoformat(),
            "as_of": as_of.isoformat(),
        },
        **result,
        "target": target_block(target_for(region, cohort_start, cohort_end), cif),
    }


# --- Targets ---------------------------------------------------------------------------------


def set_target(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    horizon_months: int,
    max_share,
    instance: Target | None = None,
) -> Target:
    target = instance or Target(region=region)
    target.cohort_start, target.cohort_end = cohort_start, cohort_end
    target.horizon_months, target.max_share = horizon_months, max_share
    target.save()
    return target


def target_status_now(target: Target, as_of: date | None = None) -> str:
    as_of = as_of or timezone.localdate()
    frame = load_frame(target.region, target.cohort_start, target.cohort_end, as_of)
    cif = analyse(frame, as_of)["_cif"]
    return target_block(target, cif)["status"]


def check_targets(as_of: date | None = None) -> list[tuple[Target, str, str]]:
    """Recompute every target's status; email the region's coordinators when it changed.

    Idempotent: the stored status changes in the same transaction as the queued email, and
    the email carries a dedupe key of target, status and day.
    """
    from thuisnet.accounts.models import Membership
    from thuisnet.core.mail import queue_templated

    as_of = as_of or timezone.localdate()
    changes = []
    for target in Target.objects.select_related("region"):
        status = target_status_now(target, as_of)
        with transaction.atomic():
            locked = Target.objects.select_for_update().get(pk=target.pk)
            previous = locked.last_status
            locked.last_checked_at = timezone.now()
            if status == previous:
                locked.save(update_fields=["last_checked_at"])
                continue
            locked.last_status = status
            locked.save(update_fields=["last_status", "last_checked_at"])
            emails = sorted(
                set(
                    Membership.objects.filter(
                        role="coordinator",
                        organisation__kind="region",
                        organisation__region=target.region,
                        user__is_active=True,
                    ).values_list("user__email", flat=True)
                )
            )
            if emails and previous:
                queue_templated(
                    emails,
                    "placements/email/target_status",
                    {
                        "target": locked,
                        "region": target.region,
                        "previous": previous,
                        "status": status,
                        "as_of": as_of,
                    },
                    dedupe_key=f"placements.target:{target.pk}:{status}:{as_of.isoformat()}",
                )
            changes.append((locked, previous, status))
    return changes


def quarter_of(day: int) -> str:
    d = _EPOCH + timedelta(days=int(day))
    return f"{d.year}-K{(d.month - 1) // 3 + 1}"
