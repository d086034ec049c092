"""The only way other code changes recruitment state. Views parse, authorise, call one of these.

The package is split along its sections; every name callers and tests use is re-exported
here. Private steps that tests replace (``_lock_session``, ``_take``, ``_mail``, ``_lock``) are
looked up through this package at call time, so a monkeypatch here reaches every section.

- ``common``: settings, errors, the seat ledger (``_take``/``_release``/locks), ``_mail``
- ``emails``: registration emails rendered by the outbox worker from the stored facts
- ``calendar``: django-scheduler, session ledgers per occurrence, the region's iCal feed
- ``registration``: register, the personal link (change, cancel, remove data)
- ``waiting``: offers to the waiting list, their expiry, reminders
- ``organisers``: check-in, walk-ins, export, message to all, cancelling a session
- ``prospects``: the funnel, vacancy interest, retention
- ``invitations``: thank-you events: invite households, their answers through a personal link
"""

from __future__ import annotations

from .calendar import (
    _cancel_occurrence,
    _event_occurrences,
    _rule,
    calendar_for,
    feed_changed,
    occurrences,
    region_feed,
    sync_evening,
    upcoming_sessions,
)
from .common import (
    RegistrationData,
    RegistrationError,
    RegistrationResult,
    Status,
    _location,
    _lock,
    _lock_session,
    _mail,
    _release,
    _take,
    check_in_hours,
    offer_hours,
    reminder_days,
    retention_months,
)
from .emails import render_registration_email
from .invitations import HOUSEHOLD_GROUPS, Answer, answer_invitation, get_invitation, invite
from .organisers import (
    _safe,
    add_walk_in,
    cancel_session,
    check_in,
    check_in_open,
    check_in_window,
    evening_withdrawn,
    export_csv,
    message_all,
)
from .prospects import (
    _anonymise_prospects,
    _ensure_prospects,
    _owner_for,
    _prospects_of,
    _step,
    apply_retention,
    needs_first_conversation,
    owner_for,
    record_step,
    register_interest,
    working_days_between,
)
from .registration import (
    _check_open,
    _register,
    cancel,
    change_attendees,
    get_by_token,
    register,
    register_parent,
    remove_data,
    tell_already_registered,
    waiting_position,
)
from .waiting import (
    _confirm_offer,
    _expire,
    _expire_offer,
    _offer_next,
    confirm_offer,
    expire_offers,
    send_reminders,
)

__all__ = [
    "RegistrationData",
    "RegistrationError",
    "RegistrationResult",
    "Status",
    "add_walk_in",
    "apply_retention",
    "calendar_for",
    "cancel",
    "cancel_session",
    "change_attendees",
    "check_in",
    "check_in_hours",
    "check_in_open",
    "check_in_window",
    "confirm_offer",
    "evening_withdrawn",
    "expire_offers",
    "feed_changed",
    "export_csv",
    "get_by_token",
    "message_all",
    "needs_first_conversation",
    "occurrences",
    "offer_hours",
    "owner_for",
    "record_step",
    "region_feed",
    "Answer",
    "HOUSEHOLD_GROUPS",
    "answer_invitation",
    "get_invitation",
    "invite",
    "register",
    "register_interest",
    "register_parent",
    "reminder_days",
    "remove_data",
    "render_registration_email",
    "retention_months",
    "send_reminders",
    "sync_evening",
    "tell_already_registered",
    "upcoming_sessions",
    "waiting_position",
    "working_days_between",
    "_anonymise_prospects",
    "_cancel_occurrence",
    "_check_open",
    "_confirm_offer",
    "_ensure_prospects",
    "_event_occurrences",
    "_expire",
    "_expire_offer",
    "_location",
    "_lock",
    "_lock_session",
    "_mail",
    "_offer_next",
    "_owner_for",
    "_prospects_of",
    "_register",
    "_release",
    "_rule",
    "_safe",
    "_step",
    "_take",
]
