"""Exceptions to a series: dates skipped and occurrences moved, typed by the editor as text.

``skip_dates``: one date per line (or separated by commas), ``dd-mm-jjjj``.
``moved_dates``: one move per line, ``dd-mm-jjjj naar dd-mm-jjjj uu:mm`` (the time may be left
out: the occurrence keeps its time). Parsing is strict: a line that does not read so is refused
with a Dutch message naming the line.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from itertools import islice

from dateutil import rrule
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.ics import AMSTERDAM

_DATE = r"(\d{1,2})-(\d{1,2})-(\d{4})"
_MOVE = re.compile(rf"^{_DATE}\s+naar\s+{_DATE}(?:\s+(\d{{1,2}}):(\d{{2}}))?$", re.IGNORECASE)


class SeriesError(ValueError):
    """A line that could not be read; ``str()`` is the Dutch message for the field."""


def _date(d: str, m: str, y: str, line: int, raw: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise SeriesError(
            _("Regel %(n)s: „%(raw)s” is geen bestaande datum.") % {"n": line, "raw": raw}
        ) from None


def parse_skip_dates(text: str) -> list[date]:
    """The skipped dates; raises ``SeriesError`` on the first entry that is not a date."""
    out: list[date] = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        for raw in (p.strip() for p in line.split(",")):
            if not raw:
                continue
            m = re.fullmatch(_DATE, raw)
            if m is None:
                raise SeriesError(
                    _(
                        "Regel %(n)s: „%(raw)s” is geen datum. Schrijf een datum als dd-mm-jjjj, "
                        "bijvoorbeeld 10-02-2027."
                    )
                    % {"n": n, "raw": raw}
                )
            out.append(_date(*m.groups(), n, raw))
    return out


def parse_moves(text: str) -> dict[date, tuple[date, time | None]]:
    """{original date: (new date, new time or None)}; raises ``SeriesError``."""
    out: dict[date, tuple[date, time | None]] = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        raw = " ".join(line.split())
        if not raw:
            continue
        m = _MOVE.match(raw)
        if m is None:
            raise SeriesError(
                _(
                    "Regel %(n)s: „%(raw)s” is niet te lezen. Schrijf per regel "
                    "„dd-mm-jjjj naar dd-mm-jjjj uu:mm”, bijvoorbeeld „10-02-2027 naar "
                    "17-02-2027 19:30” (de tijd mag weg)."
                )
                % {"n": n, "raw": raw}
            )
        g = m.groups()
        old, new = _date(*g[0:3], n, raw), _date(*g[3:6], n, raw)
        new_time = None
        if g[6] is not None:
            try:
                new_time = time(int(g[6]), int(g[7]))
            except ValueError:
                raise SeriesError(
                    _("Regel %(n)s: %(t)s is geen bestaande tijd.") % {"n": n, "t": f"{g[6]}:{g[7]}"}
                ) from None
        if old in out:
            raise SeriesError(
                _("Regel %(n)s: %(d)s is al verplaatst op een eerdere regel.")
                % {"n": n, "d": old.strftime("%d-%m-%Y")}
            )
        out[old] = (new, new_time)
    return out


def series_dates(page) -> list[date]:
    """The local dates of the series' occurrences by its rule (before exceptions)."""
    if not page.starts_at:
        return []
    start = timezone.localtime(page.starts_at, AMSTERDAM).replace(tzinfo=None)
    if not page.repeat or not page.repeat_until:
        return [start.date()]
    freq, params = page.rule_spec()
    kwargs: dict = {"dtstart": start, "until": datetime.combine(page.repeat_until, time.max)}
    for part in filter(None, params.split(";")):
        key, value = part.split(":")
        if key == "interval":
            kwargs["interval"] = int(value)
        elif key == "byweekday":
            kwargs["byweekday"] = getattr(rrule, value)
        elif key == "bysetpos":
            kwargs["bysetpos"] = int(value)
    return [d.date() for d in islice(rrule.rrule(getattr(rrule, freq), **kwargs), 1000)]


def exceptions_errors(page) -> dict[str, str]:
    """Errors at the fields ``skip_dates`` and ``moved_dates`` (empty when all is well)."""
    errors: dict[str, str] = {}
    try:
        skips = parse_skip_dates(page.skip_dates)
    except SeriesError as e:
        errors["skip_dates"] = str(e)
        skips = []
    try:
        moves = parse_moves(page.moved_dates)
    except SeriesError as e:
        errors["moved_dates"] = str(e)
        moves = {}
    if not (skips or moves):
        return errors
    if not page.repeat:
        msg = _("Alleen een reeks kan datums overslaan of verplaatsen.")
        if skips:
            errors.setdefault("skip_dates", msg)
        if moves:
            errors.setdefault("moved_dates", msg)
        return errors
    dates = set(series_dates(page))

    def fmt(d: date) -> str:
        return d.strftime("%d-%m-%Y")

    for d in skips:
        if d not in dates:
            errors.setdefault("skip_dates", _("Op %(d)s is er geen avond in deze reeks.") % {"d": fmt(d)})
    for old, (new, _t) in moves.items():
        if old not in dates:
            errors.setdefault("moved_dates", _("Op %(d)s is er geen avond in deze reeks.") % {"d": fmt(old)})
        elif old in skips:
            errors.setdefault(
                "moved_dates",
                _("%(d)s wordt ook overgeslagen: kies overslaan of verplaatsen.") % {"d": fmt(old)},
            )
        elif new != old and (
            (new in dates and new not in moves and new not in skips)
            or new in {n for o, (n, _x) in moves.items() if o != old}
        ):
            errors.setdefault("moved_dates", _("Op %(d)s is al een avond van deze reeks.") % {"d": fmt(new)})
    return errors


def apply_exceptions(page, wanted: list[tuple[datetime, datetime]]):
    """The occurrences after the page's exceptions, and which starts were moved or skipped:
    (occurrences, {old start: new start}, {skipped starts}). Unreadable text changes nothing
    (the CMS refuses it before publishing)."""
    try:
        skips = set(parse_skip_dates(page.skip_dates))
        moves = parse_moves(page.moved_dates)
    except SeriesError:
        return wanted, {}, set()
    out, moved, skipped = [], {}, set()
    for start, end in wanted:
        local = start.astimezone(AMSTERDAM)
        d = local.date()
        if d in skips:
            skipped.add(start)
            continue
        if d in moves:
            new_date, new_time = moves[d]
            new_start = datetime.combine(
                new_date, new_time or local.time().replace(tzinfo=None), tzinfo=AMSTERDAM
            )
            if new_start != local:
                moved[start] = new_start
                out.append((new_start, new_start + (end - start)))
                continue
        out.append((start, end))
    out.sort()
    return out, moved, skipped
