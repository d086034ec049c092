"""The import format: columns, aliases, the template, reading a file and checking references."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from thuisnet.core.pii import find_identifiers

from ..models import EndReason, PlacementType, Schedule

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
# Optional: the id of one of the provider's own households in Thuisnet (the number in the
# register's household choice, "gezin in Thuisnet"); its support then follows from Thuisnet.
HOUSEHOLD_COLUMN = "gezin_id"
BASE_COLUMNS = list(COLUMNS)
COLUMNS = BASE_COLUMNS + list(PROCESS_COLUMNS) + [HOUSEHOLD_COLUMN]
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
            "",
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
            None,
        ]
    )
    ws.append(
        ["VOORBEELD-2", "G-0102", "netwerk", "voltijd", "0-3", "GM0200", date(2025, 6, 15)]
        + [None] * 5
        + ["ja", None, None, None]
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
