"""Postcode centroids and distances. Four digits are enough to find nearby places.

The demo region's centroids ship in ``data/pc4_demo_region.csv`` (approximated at
village level); ``manage.py import_postcodes FILE`` loads the national set (CSV with
columns ``pc4,municipality_cbs,lat,lon``, e.g. derived from CBS/PDOK PC4 data).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from django.db import transaction

from .models import PostcodeArea

DEMO_FILE = Path(__file__).parent / "data" / "pc4_demo_region.csv"
_PC4 = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")


def normalise_pc4(value: str) -> str | None:
    """'7411 AB', '7411ab' and '7411' give '7411'; anything else None."""
    m = _PC4.match(value or "")
    return m.group(1) if m else None


def centroid(pc4: str) -> tuple[float, float] | None:
    area = PostcodeArea.objects.filter(pc4=pc4).only("latitude", "longitude").first()
    return (area.latitude, area.longitude) if area else None


def municipality_for(pc4: str):
    area = PostcodeArea.objects.filter(pc4=pc4).select_related("municipality").first()
    return area.municipality if area else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@transaction.atomic
def import_file(path: Path | str) -> int:
    from thuisnet.accounts.models import Municipality

    by_code = {m.cbs_code: m for m in Municipality.objects.exclude(cbs_code="")}
    count = 0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pc4 = normalise_pc4(row["pc4"])
            if pc4 is None:
                raise ValueError(f"Bad postcode in {path}: {row['pc4']!r}")
            PostcodeArea.objects.update_or_create(
                pc4=pc4,
                defaults={
                    "latitude": float(row["lat"]),
                    "longitude": float(row["lon"]),
                    "municipality": by_code.get(row.get("municipality_cbs", "")),
                },
            )
            count += 1
    return count
