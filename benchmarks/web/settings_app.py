"""The app's production settings, plus the switches a load test from one address needs.

Everything else is ``thuisnet.settings.production`` as deployed. Fifty clients from one
address would hit the per-address limits of public forms and API writes within a second, so
the benchmark turns them off (``THUISNET_RATE_LIMITS_ENABLED = False``) and lifts DRF's
anon/user request throttles; the benchmark's output says so.
"""

import os

from thuisnet.settings.production import *  # noqa: F403
from thuisnet.settings.production import REST_FRAMEWORK

THUISNET_RATE_LIMITS_ENABLED = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}

# ``--nocache``: the page cache's own switch, named by the benchmark (``NAME=false``).
_off = os.environ.get("BENCH_SETTING_OFF", "")
if _off:
    globals()[_off] = False
