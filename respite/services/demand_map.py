"""The demand map: the region's municipalities as an SVG choropleth, drawn on the server.

Boundaries ship with the app in ``respite/data/gemeenten-<region slug>-<year>.geojson``
(RD New, EPSG:28992, matched to municipalities on ``cbs_code``; see ``respite/data/README.md``).
Each municipality is coloured by unmet demand per 100 nights (or day parts) of capacity in the
chosen period and kind; a week-by-week heat strip shows the same measure over time. Unmet
counts of 1 to 9 are not shown (``thuisnet.core.disclosure``): such a municipality or week is
drawn hatched as "<10", and its ratio is not given.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.db.models import Sum
from django.utils.translation import gettext as _

from thuisnet.core import disclosure

from ..models import Slot, UnmetDemand

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
WIDTH = 480  # SVG user units; the height follows the region's shape
# Classes of unmet demand per 100 nights of capacity (upper bounds), lightest first.
BANDS = (0, 5, 15, 30)


@dataclass
class Area:
    cbs_code: str
    name: str
    path: str
    capacity: int
    unmet: int | str
    per_100: float | None
    band: str  # "b0".."b4", "none" (no capacity), "hidden" (a small count)


def boundaries_file(region) -> Path | None:
    files = sorted(DATA_DIR.glob(f"gemeenten-{region.slug}-*.geojson"))
    return files[-1] if files else None


@lru_cache(maxsize=16)
def _shapes(path: str) -> tuple[tuple[tuple[str, str, str], ...], float]:
    """(cbs_code, name, SVG path) per municipality, and the SVG height."""
    data = json.loads(Path(path).read_text())
    x0, y0, x1, y1 = data["bbox"]
    scale = WIDTH / (x1 - x0)
    shapes = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        d = []
        for polygon in polygons:
            for ring in polygon:
                points = [f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in ring]
                d.append("M" + "L".join(points) + "Z")
        props = feature["properties"]
        shapes.append((props["cbs_code"], props["name"], "".join(d)))
    return tuple(shapes), round((y1 - y0) * scale)  # an int: a localised "401,1" breaks viewBox


def _band(unmet: int, capacity: int, hidden: bool) -> tuple[float | None, str]:
    if hidden:
        return None, "hidden"
    if capacity <= 0:
        return None, "none"
    per_100 = round(100 * unmet / capacity, 1)
    for i, upper in enumerate(BANDS):
        if per_100 <= upper:
            return per_100, f"b{i}"
    return per_100, f"b{len(BANDS)}"


def demand_map(region, first: date, last: date, kind: str = "") -> dict:
    """Areas for the map and its table, and the weekly heat strip, for one period and kind."""
    slots = Slot.objects.filter(offer__municipality__region=region, day__range=(first, last))
    unmet = UnmetDemand.objects.filter(region=region, start__range=(first, last))
    if kind:
        slots = slots.filter(offer__kind=kind)
        unmet = unmet.filter(kind=kind)
    capacity = dict(
        slots.values("offer__municipality__cbs_code")
        .annotate(n=Sum("capacity"))
        .values_list("offer__municipality__cbs_code", "n")
    )
    wanted = dict(
        unmet.values("municipality__cbs_code")
        .annotate(n=Sum("units"))
        .values_list("municipality__cbs_code", "n")
    )
    path = boundaries_file(region)
    shapes, height = _shapes(str(path)) if path else ((), 0)
    codes = [code for code, _name, _d in shapes]
    protected = disclosure.series([wanted.get(code) or 0 for code in codes])
    areas = []
    for i, (code, name, d) in enumerate(shapes):
        n, cap = wanted.get(code) or 0, capacity.get(code) or 0
        hidden = protected.hidden(i)
        per_100, band = _band(n, cap, hidden)
        shown = protected.cells[i]
        areas.append(Area(code, name, d, cap, int(shown) if shown.isdigit() else shown, per_100, band))
    return {
        "areas": areas,
        "height": height,
        "width": WIDTH,
        "weeks": _weeks(slots, unmet, first, last),
        "has_map": bool(shapes),
        "bands": [(f"b{i}", upper) for i, upper in enumerate(BANDS)],
    }


def _weeks(slots, unmet, first: date, last: date) -> list[dict]:
    monday = first - timedelta(days=first.weekday())
    cap: dict[date, int] = defaultdict(int)
    for day, c in slots.values_list("day", "capacity"):
        cap[day - timedelta(days=day.weekday())] += c
    asked: dict[date, int] = defaultdict(int)
    for start, units in unmet.values_list("start", "units"):
        asked[start - timedelta(days=start.weekday())] += units
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    protected = disclosure.series([asked[w] for w in weeks])
    out = []
    for i, week in enumerate(weeks):
        per_100, band = _band(asked[week], cap[week], protected.hidden(i))
        y, w, _d = week.isocalendar()
        out.append(
            {
                "label": _("week %(w)s") % {"w": w},
                "iso": f"{y}-W{w:02d}",
                "capacity": cap[week],
                "unmet": protected.cells[i],
                "per_100": per_100,
                "band": band,
            }
        )
    return out
