"""Demo data for placements, called by `manage.py load_demo`. Idempotent and deterministic.

A generated placement history of the demo region, 2018 to autumn 2026, across the three
demo providers: about 3,000 placements, breakdown around 25-30% within two years, and a few
data-quality problems (endings without a reason, crisis placements left open, late records).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from thuisnet.accounts.models import Municipality, Organisation

from .models import Placement, Target

FIRST = date(2018, 1, 1)
LAST = date(2026, 10, 31)
PROVIDERS = {  # slug: (share of placements, code prefix)
    "pleegzorg-ijsselland": (0.45, "PIJ"),
    "veluwe-jeugdzorg": (0.40, "VJZ"),
    "gezinshuizen-de-linde": (0.15, "GDL"),
}
AGE_BANDS = [
    ("0-3", 0.22, 0.6),
    ("4-7", 0.2, 0.8),
    ("8-11", 0.22, 1.0),
    ("12-15", 0.24, 1.6),
    ("16-17", 0.12, 1.4),
]
BREAKDOWN_CODES = [("02", 0.4), ("03", 0.15), ("04", 0.25), ("05", 0.2)]
BREAKDOWN_REASONS = [
    "carer_request",
    "child_behaviour",
    "mismatch",
    "carer_circumstances",
    "parent_request",
    "allegation",
    "court_decision",
    "child_request",
]
PLANNED_REASONS = ["reunification", "goal_reached", "planned_move", "turned_18"]
# The early-warning chart must have something to find: this provider's placements that start
# from RECENT_FROM break down about three times as fast (see cusum.py).
RECENT_HIGHER = "veluwe-jeugdzorg"
RECENT_FROM = date(2025, 9, 1)
RECENT_FACTOR = 3.0


def _pick(rng: random.Random, options):
    r, acc = rng.random(), 0.0
    for value, weight, *rest in options:
        acc += weight
        if r <= acc:
            return (value, *rest) if rest else value
    last = options[-1]
    return (last[0], *last[2:]) if len(last) > 2 else last[0]


def _weibull(rng: random.Random, scale: float, shape: float) -> float:
    return scale * (-math.log(1 - rng.random())) ** (1 / shape)


def generate(
    region,
    providers: dict[str, Organisation],
    municipalities: list,
    *,
    count: int = 3000,
    seed: int = 2026,
    today: date | None = None,
) -> list[Placement]:
    rng = random.Random(seed)
    today = min(today or timezone.localdate(), LAST)
    span = (LAST - FIRST).days
    tz = timezone.get_current_timezone()
    out: list[Placement] = []
    seq = {slug: 0 for slug in providers}
    for _i in range(count):
        slug = _pick(rng, [(s, w) for s, (w, _p) in PROVIDERS.items() if s in providers])
        provider = providers[slug]
        seq[slug] += 1
        start = FIRST + timedelta(days=int(rng.random() * span))
        if start > today:
            continue
        if slug == "gezinshuizen-de-linde":
            ptype = "family_home" if rng.random() < 0.85 else "regular"
        else:
            ptype = _pick(rng, [("regular", 0.5), ("kinship", 0.32), ("crisis", 0.13), ("respite", 0.05)])
        age, age_factor = _pick(rng, AGE_BANDS)
        schedule = "part_time" if ptype == "regular" and rng.random() < 0.12 else "full_time"
        # Competing times to breakdown and to a planned end, in days.
        hazard = (
            age_factor
            * {"regular": 1.0, "kinship": 0.75, "family_home": 0.9, "crisis": 1.3, "respite": 0.2}[ptype]
        )
        # Process factors (recorded by providers; None = not recorded), with mild associations.
        process = {
            "matching_conversation": rng.random() < 0.8,
            "met_before_start": rng.random() < 0.65,
            "emergency": ptype == "crisis" or rng.random() < 0.08,
            "perspective_in_time": rng.random() < 0.75,
            "carer_supported": rng.random() < 0.6,
        }
        if rng.random() < 0.15:  # not every provider records every field
            process = dict.fromkeys(process)
        for key, factor in (
            ("matching_conversation", 0.85),
            ("met_before_start", 0.85),
            ("perspective_in_time", 0.9),
            ("carer_supported", 0.85),
        ):
            if process[key]:
                hazard *= factor
        if process["emergency"]:
            hazard *= 1.15
        t_break = _weibull(rng, 2100 / hazard, 0.75)
        if slug == RECENT_HIGHER and start + timedelta(days=t_break) > RECENT_FROM:
            # Still running at RECENT_FROM: from then on a higher risk of breakdown.
            offset = max(0, (RECENT_FROM - start).days)
            t_break = offset + _weibull(rng, 2100 / (hazard * RECENT_FACTOR), 0.75)
        if ptype == "crisis":
            t_plan = rng.uniform(14, 150)
        elif ptype == "respite":
            t_plan = rng.uniform(2, 14)
        elif age == "16-17":
            t_plan = rng.uniform(120, 730)
        else:
            t_plan = _weibull(rng, 2400, 1.1)
        duration = min(t_break, t_plan)
        end = start + timedelta(days=max(1, int(duration)))
        code = reason = ""
        if end > today:
            end = None
        elif t_break < t_plan:
            code = _pick(rng, BREAKDOWN_CODES)
            reason = rng.choice(BREAKDOWN_REASONS)
            if rng.random() < 0.03:
                code, reason = "05", "moved_out_of_region"
        else:
            code = "01"
            reason = "turned_18" if age == "16-17" else rng.choice(PLANNED_REASONS[:3])
        # Data-quality problems: an ending without a reason, a crisis placement left open.
        if end is not None and rng.random() < 0.03:
            code = reason = ""
        if ptype == "crisis" and end is not None and rng.random() < 0.04:
            end, code, reason = None, "", ""
        late = rng.random() < 0.05
        recorded = start + timedelta(days=rng.randint(100, 400) if late else rng.randint(0, 21))
        recorded = min(recorded, today)
        out.append(
            Placement(
                provider=provider,
                region=region,
                municipality=rng.choice(municipalities),
                child_ref=f"{PROVIDERS[slug][1]}-{start:%y}-{seq[slug]:04d}",
                carer_ref=f"G-{PROVIDERS[slug][1]}-{rng.randint(1, 400):03d}",
                placement_type=ptype,
                schedule=schedule,
                age_band=age,
                start_date=start,
                end_date=end,
                end_code=code,
                end_reason=reason,
                created_at=timezone.make_aware(datetime.combine(recorded, time(10, 0)), tz),
                **process,
            )
        )
    return out


def load(region, stdout=None) -> None:
    providers = {
        o.slug: o for o in Organisation.objects.filter(region=region, kind="provider", slug__in=PROVIDERS)
    }
    if not providers:
        return
    if not Placement.objects.filter(region=region, provider__in=providers.values()).exists():
        municipalities = list(Municipality.objects.filter(region=region).order_by("pk"))
        rows = generate(region, providers, municipalities)
        Placement.objects.bulk_create(rows, batch_size=1000)
        from .dashboard import data_changed

        data_changed(region.pk)
        if stdout:
            stdout.write(f"placements: {len(rows)} demo placements")
    Target.objects.get_or_create(
        region=region,
        cohort_start=date(2025, 1, 1),
        cohort_end=date(2026, 12, 31),
        defaults={"horizon_months": 12, "max_share": Decimal("0.200")},
    )
