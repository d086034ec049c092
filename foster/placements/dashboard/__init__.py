"""What the dashboard shows: suppressed aggregates and server-rendered SVG charts.

Nothing here returns rows: every number is an aggregate over a cohort. Small counts go
through ``thuisnet.core.disclosure``: 1 to 9 shown as "<10", a second cell ("*") hidden when a
total would otherwise reveal a hidden one, and no percentage or rate whose count of
breakdowns (or placements) is hidden. Rates with fewer than 20 placements behind them are not
shown either (too uncertain).

Sections: ``formatting`` (shown values), ``charts`` (SVG), ``splits`` (by a key, by quarter,
data quality), ``scope`` (one scope's view), ``linking`` (protecting the counts together),
``assemble`` (:func:`build`), ``early_warning`` (the CUSUM charts), ``protect`` (the API's
report), ``cache`` (kept between data changes).
"""

from ..report import (  # noqa: F401 - the names callers and tests used from dashboard.py
    _AGES,
    _EPOCH,
    _TYPES,
    PROCESS_FIELDS,
    Frame,
    analyse,
    grouped_outcomes,
    horizon,
    load_frame,
    outcomes,
    target_block,
    target_for,
)
from .assemble import build  # noqa: F401
from .cache import (  # noqa: F401
    CACHE_SECONDS,
    _public,
    _version_key,
    cache_key,
    cached_build,
    data_changed,
    data_version,
)
from .charts import (  # noqa: F401
    _nice_step,
    _nice_top,
    _step_path,
    _x,
    _y,
    curve_chart,
    funnel_chart,
    trend_chart,
)
from .early_warning import cusum_view  # noqa: F401
from .formatting import (  # noqa: F401
    _HIDDEN_TEXTS,
    CRISIS_TOO_LONG_DAYS,
    CURVE_MONTHS,
    LATE_DAYS,
    OPEN_TOO_LONG_DAYS,
    PAD_B,
    PAD_L,
    PAD_R,
    PAD_T,
    TABLE_MONTHS,
    H,
    Value,
    W,
    breakdowns_by,
    not_yet,
    pct,
    shown_incidence,
)
from .linking import _apply, _link  # noqa: F401
from .protect import protect_report  # noqa: F401
from .scope import PROCESS_LABELS, scope_view  # noqa: F401
from .splits import _split, data_quality, trend  # noqa: F401
