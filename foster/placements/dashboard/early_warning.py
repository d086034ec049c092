"""The early-warning (CUSUM) charts as the dashboard shows them."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Organisation, Region
from thuisnet.core import disclosure

from .formatting import PAD_B, PAD_L, PAD_R, PAD_T, H, W


def cusum_view(
    region: Region, as_of: date, providers: list[Organisation], own_provider=None, *, frame=None
) -> list[dict]:
    """The early-warning charts: the region's, and each provider's (staff: their own only).

    Observed counts go through ``thuisnet.core.disclosure`` (1 to 9 as "<10"); the expected
    counts and the CUSUM are shown rounded to one decimal. ``frame``: the placements
    ``cusum.charts`` needs, if already loaded.
    """
    from .. import cusum

    shown = [own_provider] if own_provider is not None else providers
    result = cusum.charts(region, as_of, shown, frame=frame)
    out = []
    for key, months in result.items():
        if key == "region":
            label = _("Regio")
        else:
            p = next(p for p in shown if p.pk == key)
            label = _("jouw organisatie") if own_provider is not None else p.name
        # The CUSUM gives counts back: with S, the previous S and the expected count shown, a
        # month's breakdowns follow. So for any group but the viewer's own provider, the line
        # and its values are shown only when no month's count is hidden; otherwise only
        # whether (and since when) the chart signals.
        own = own_provider is not None and key == own_provider.pk
        hidden = not own and any(0 < m.observed < disclosure.THRESHOLD for m in months)
        top = max([m.s for m in months] + [cusum.THRESHOLD * 1.25])
        n = len(months)

        def fx(i, n=n):
            return PAD_L + (W - PAD_L - PAD_R) * i / max(n - 1, 1)

        def fy(v, top=top):
            return PAD_T + (H - PAD_T - PAD_B) * (1 - v / top)

        out.append(
            {
                "label": label,
                "hidden": hidden,
                "signal": bool(months and months[-1].signal),
                "since": cusum.episode_start(months),
                "path": "M" + " L".join(f"{fx(i):.1f},{fy(m.s):.1f}" for i, m in enumerate(months)),
                "threshold_y": round(fy(cusum.THRESHOLD), 1),
                "points": [
                    {"x": round(fx(i), 1), "y": round(fy(m.s), 1)} for i, m in enumerate(months) if m.signal
                ],
                "xticks": [
                    {"x": round(fx(i), 1), "label": m.label} for i, m in enumerate(months) if i % 6 == 0
                ],
                "yticks": [{"y": round(fy(v), 1), "label": f"{v:.0f}"} for v in np.linspace(0, top, 5)],
                "width": W,
                "height": H,
                "left": PAD_L,
                "right": W - PAD_R,
                "bottom": H - PAD_B,
                "top": PAD_T,
                "rows": [
                    {
                        "month": m.label,
                        "observed": disclosure.count(m.observed),
                        "expected": f"{m.expected:.1f}".replace(".", ","),
                        "s": "—" if hidden else f"{m.s:.1f}".replace(".", ","),
                        "signal": m.signal,
                    }
                    for m in months
                ],
            }
        )
    return out
