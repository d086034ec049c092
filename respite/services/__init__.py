"""Everything that changes respite state goes through here: one package, one module per section
(base, availability, offers, search, booking, notifications, demand). This module re-exports
every name callers and tests use; private booking steps (``_lock_slots``, ``_lock_child``,
``_check_quarter_limit``) are looked up here at call time, so monkeypatching them works.

The capacity guarantee: a booking holds one unit on every ledger row (``Slot``) it covers.
``request_booking`` locks those rows with ``select_for_update`` in (day, part) order, checks
``held + 1 <= capacity`` (minus the emergency reserve) and raises ``held`` in the same
transaction. Changing capacity or availability (``resync``) locks the offer, then the same rows
in the same order, and refuses when a row would drop below what is held. The CHECK constraint
``held <= capacity`` is the last line of defence on SQLite and PostgreSQL alike.

Lock order (the project-wide order is in ``thuisnet.core.db``): the child (an advisory lock,
requests only) → the one booking being changed → the offer (``FOR NO KEY UPDATE``, only when
capacity or availability changes) → its ``Slot`` rows in (day, part) order. Locks on joined
queries use ``of=("self",)``: locking the offer along with a booking deadlocked with requests,
whose INSERT needs a KEY SHARE lock on the offer while they hold the slots. The public entries
that change bookings run their transaction through ``retry_on_conflict``.
"""

from __future__ import annotations

from .availability import (  # noqa: F401
    _calendar,
    _rule,
    add_pattern,
    block_date,
    block_dates,
    covered_slots,
    remove_pattern,
    resync,
    unblock_date,
)
from .base import (  # noqa: F401
    AMS,
    BOOKING_HORIZON_DAYS,
    CHILD_VISIBLE_DAYS,
    HORIZON_DAYS,
    NIGHT_END,
    NIGHT_START,
    PART_TIMES,
    SMALL_CELL,
    CapacityConflict,
    NoCapacity,
    RespiteError,
    local_dt,
    stay_end,
    stay_start,
)
from .booking import (  # noqa: F401
    Child,
    _accept,
    _cancel_by_parent,
    _cancel_by_provider,
    _check_quarter_limit,
    _check_text,
    _decline,
    _expire_if_overdue,
    _expire_one,
    _hold_and_book,
    _lock_booking,
    _lock_child,
    _lock_slots,
    _not_now,
    _pkg,
    _quarter,
    _record_unmet,
    _transition,
    _validate_request,
    accept,
    cancel_by_parent,
    cancel_by_provider,
    child_visible_to_provider,
    decline,
    expire_overdue,
    parent_cutoff,
    request_booking,
    scrub_child_data,
)
from .demand import (  # noqa: F401
    _shown,
    _week,
    demand_report,
    save_agreement,
)
from .demand_map import demand_map  # noqa: F401
from .handover import (  # noqa: F401
    HOUSEHOLD_AUDIT_TYPE,
    for_parent,
    for_provider,
    provider_may_see_household,
)
from .messages import MAX_LENGTH, post_message, thread_open  # noqa: F401
from .notifications import (  # noqa: F401
    _ics,
    _mail_parent,
    _mail_provider,
    provider_recipients,
)
from .offers import (  # noqa: F401
    OFFER_FIELDS,
    _validate_offer,
    create_offer,
    delete_offer,
    extend_ledgers,
    set_capacity,
    update_offer,
)
from .search import (  # noqa: F401
    Hit,
    Query,
    _agreement_for,
    month_calendar,
    query_days,
    record_empty_search,
    search,
    search_reference,
)
