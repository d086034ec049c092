"""Importing a file of placements: every row checked, then all saved or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Household, Municipality, Organisation, Region

from ..models import AgeBand, EndCode, Placement
from .import_format import (
    _NO,
    _YES,
    FIELDS,
    HOUSEHOLD_COLUMN,
    PROCESS_COLUMNS,
    REASON_ALIASES,
    REQUIRED,
    SCHEDULE_ALIASES,
    TYPE_ALIASES,
    ImportFormatError,
    ImportResult,
    RowError,
    _parse_date,
    check_ref,
    is_example,
    read_table,
)


def _municipalities(region: Region) -> dict[str, Municipality]:
    out = {}
    for m in Municipality.objects.filter(region=region):
        out[m.name.lower()] = m
        out[m.slug.lower()] = m
        if m.cbs_code:
            out[m.cbs_code.lower()] = m
    return out


def _validate_row(
    line: int, row: dict, munis: dict, today: date, households: set[int] | None = None
) -> tuple[dict | None, list[RowError]]:
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
    if HOUSEHOLD_COLUMN in row:  # optional column: a file without it leaves the links alone
        data["household_id"] = None
        value = row[HOUSEHOLD_COLUMN].strip()
        if value:
            if not value.isdigit() or int(value) not in (households or set()):
                err(HOUSEHOLD_COLUMN, _("Dit is geen gezin van je eigen organisatie in Thuisnet."))
            else:
                data["household_id"] = int(value)
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


Progress = Callable[[str, int, int], None]  # (stage, rows done, rows in all)


def import_rows(
    provider: Organisation, rows: list[dict[str, str]], *, user=None, progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then save all or nothing. The same rows again change nothing.

    ``progress(stage, done, total)`` is told how far the check is (stage ``"checking"``,
    about every 1% of the rows), then ``"saving"`` and ``"done"``."""
    result = ImportResult(rows=len(rows))
    total = len(rows)
    step = max(1, total // 100)
    if progress:
        progress("checking", 0, total)
    munis = _municipalities(provider.region)
    households = (
        set(Household.objects.filter(provider=provider).values_list("pk", flat=True))
        if any(HOUSEHOLD_COLUMN in row for row in rows)
        else set()
    )
    today = timezone.localdate()
    parsed: list[dict] = []
    seen: dict[tuple, int] = {}
    for i, row in enumerate(rows, start=2):
        if progress and (i - 2) % step == 0 and i > 2:
            progress("checking", i - 2, total)
        data, errors = _validate_row(i, row, munis, today, households)
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
        if progress:
            progress("done", total, total)
        return result
    if progress:
        progress("saving", total, total)
    _upsert(provider, parsed, result, user)
    if progress:
        progress("done", total, total)
    return result


def import_file(
    provider: Organisation, name: str, content: bytes, *, user=None, progress: Progress | None = None
) -> ImportResult:
    try:
        rows = read_table(name, content)
    except ImportFormatError as exc:
        return ImportResult(errors=[RowError(1, "", str(exc))])
    return import_rows(provider, rows, user=user, progress=progress)


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
    fields = FIELDS + (["household_id"] if any("household_id" in d for d in parsed) else [])
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
        if d.get("household_id") is not None and d["carer_supported"] is not True:
            # Linked: "supported" follows from the household (link_support below), so the
            # file's empty or "nee" is no change by itself; a recorded "ja" still counts.
            d = {k: v for k, v in d.items() if k != "carer_supported"}
        if all(getattr(p, f) == d[f] for f in fields if f in d):
            result.unchanged += 1
            continue
        for f in fields:
            if f in d:
                setattr(p, f, d[f])
        p.updated_at = timezone.now()
        changed.append(p)
    Placement.objects.bulk_create(new, batch_size=1000)
    Placement.objects.bulk_update(changed, fields + ["updated_at"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    linked = [p.pk for p in [*new, *changed] if p.household_id is not None and p.pk is not None]
    if linked:  # support follows from the linked households' mentors and respite stays
        from ..support import link_support

        link_support(Placement.objects.filter(pk__in=linked))
    if new or changed:  # bulk writes send no signals: tell the dashboard cache
        from ..dashboard import data_changed

        transaction.on_commit(lambda: data_changed(provider.region_id))
        data_changed(provider.region_id)
