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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Municipality, Organisation, Region
from thuisnet.core.pii import find_identifiers

from .models import AgeBand, EndCode, EndReason, Placement, PlacementType, Schedule, Target

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
# Optional process columns (issue 17): ja/nee, empty when not recorded. Files without them
# still import; the template carries them.
PROCESS_COLUMNS = {
    "matchingsgesprek": "matching_conversation",
    "kennismaking_voor_start": "met_before_start",
    "spoedplaatsing": "emergency",
    "perspectief_op_tijd": "perspective_in_time",
    "gezin_ondersteund": "carer_supported",
}
BASE_COLUMNS = list(COLUMNS)
COLUMNS = BASE_COLUMNS + list(PROCESS_COLUMNS)
_YES = {"ja", "j", "1", "true", "waar", "yes", "y"}
_NO = {"nee", "n", "0", "false", "onwaar", "no"}
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
FIELDS = [
    "municipality_id",
    "placement_type",
    "schedule",
    "age_band",
    "end_date",
    "end_code",
    "end_reason",
    *PROCESS_COLUMNS.values(),
]


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
    examples: int = 0  # example rows of the template (kind_ref VOORBEELD-...), never saved
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
            "examples_skipped": self.examples,
            "errors": [e.as_dict() for e in self.errors],
        }


EXAMPLE_PREFIX = "VOORBEELD"  # a kind_ref starting with this marks an example row: never saved


def is_example(row: dict) -> bool:
    return row.get("kind_ref", "").upper().startswith(EXAMPLE_PREFIX)


def template_csv() -> bytes:
    """The header and two documented example rows. Their kind_ref starts with VOORBEELD, so
    the template uploaded as it is saves nothing; replace them by your own rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "VOORBEELD-1",
            "G-0345",
            "regulier",
            "voltijd",
            "8-11",
            "Deventer",
            "2025-03-01",
            "2025-11-14",
            "03",
            "gedrag_kind",
            "ja",
            "nee",
            "nee",
            "ja",
            "ja",
        ]
    )
    writer.writerow(
        [
            "VOORBEELD-2",
            "G-0102",
            "netwerk",
            "voltijd",
            "0-3",
            "GM0200",
            "2025-06-15",
            "",
            "",
            "",
            "",
            "",
            "ja",
            "",
            "",
        ]
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
            "VOORBEELD-1",
            "G-0345",
            "regulier",
            "voltijd",
            "8-11",
            "Deventer",
            date(2025, 3, 1),
            date(2025, 11, 14),
            "03",
            "gedrag_kind",
            "ja",
            "nee",
            "nee",
            "ja",
            "ja",
        ]
    )
    ws.append(
        ["VOORBEELD-2", "G-0102", "netwerk", "voltijd", "0-3", "GM0200", date(2025, 6, 15)]
        + [None] * 5
        + ["ja", None, None]
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
    missing = [c for c in BASE_COLUMNS if c not in header]
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
    for col, key in PROCESS_COLUMNS.items():
        value = row.get(col, "").strip().lower()
        data[key] = True if value in _YES else False if value in _NO else None
        if value and data[key] is None:
            err(col, _("Vul ja of nee in, of laat het leeg als het niet is vastgelegd."))
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
        if is_example(row):  # checked like any row, so the example stays valid, never saved
            result.examples += 1
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
            message = (
                _("Het bestand bevat alleen de voorbeeldregels (VOORBEELD-…); er is niets ingelezen.")
                if result.examples
                else _("Het bestand bevat geen plaatsingen.")
            )
            result.errors.append(RowError(1, "", message))
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
    if new or changed:  # bulk writes send no signals: tell the dashboard cache
        from .dashboard import data_changed

        transaction.on_commit(lambda: data_changed(provider.region_id))
        data_changed(provider.region_id)


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


# --- The report (see report.py: one path for the command, API, dashboard and target job) --

from .report import (  # noqa: E402, F401 - re-exported for the callers of services
    _AGES,
    _CODES,
    _EPOCH,
    _TYPES,
    HORIZONS,
    MIN_AT_RISK,
    MIN_DAYS,
    PROCESS_FIELDS,
    Frame,
    Outcomes,
    _day,
    analyse,
    analyse_outcomes,
    build_report,
    cohort_result,
    grouped_outcomes,
    horizon,
    load_frame,
    load_grouped_frame,
    outcomes,
    report_json,
    target_block,
    target_for,
)

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


def adopt_target(region: Region, assessment, *, share: float, note: str, user) -> Target:
    """Adopt a feasible target for the next two cohort years (12 months), with the
    coordinator's note and the calculation behind it. An existing target for the same
    cohort is replaced, so adopting twice leaves one target."""
    from decimal import Decimal

    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(region=region, cohort_start=assessment.next_start, cohort_end=assessment.next_end)
            .first()
        ) or Target(region=region, cohort_start=assessment.next_start, cohort_end=assessment.next_end)
        target.horizon_months = 12
        target.max_share = Decimal(str(round(share, 3)))
        target.adopted_by = user
        target.adopted_at = timezone.now()
        target.note = note
        target.basis = {**assessment.basis(), "adopted_share": round(share, 3)}
        target.last_status = ""
        target.save()
    return target


def target_status_now(target: Target, as_of: date | None = None) -> str:
    as_of = as_of or timezone.localdate()
    result = cohort_result(target.region, target.cohort_start, target.cohort_end, as_of)
    return target_block(target, result)["status"]


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
