"""Counting requests per caller in fixed windows, atomically, on every cache we run on.

One primitive, ``hit(name, ident)``, counts one event for an identity (a client address, an
email address, a user) in the current window of the limit ``name`` and says whether it is
still within the limit. On top of it:

- ``guard_form(request, form, action, email=...)``: public HTML forms. Over the limit, the
  form gets a Dutch error at the top and keeps everything that was typed.
- ``ApiWriteThrottle`` (DRF default): every API write, per user or per client address.
- ``public_form_throttle(action)``: public API writes, per address and per email address,
  answering 429 with the standard error body and ``Retry-After``.
- Login throttling lives in ``thuisnet.accounts.adapters`` and uses ``peek``/``hit``/``reset``.

Where the counters live. ``cache.add`` + ``cache.incr`` is atomic on Redis (INCR) and on the
in-process cache (it takes a lock), but Django's database cache implements ``incr`` as a get
followed by a set, which loses increments when requests race. So with the database cache (the
default when no ``REDIS_URL`` is set) the counters live in a table of their own,
``RateLimitCounter``, changed by ``UPDATE ... SET count = count + 1``: the row lock makes it
exact on PostgreSQL, and SQLite serialises writers anyway. ``THUISNET_RATE_LIMIT_STORE``
("cache" or "database") overrides the choice.

Client addresses always come from ``thuisnet.core.net.client_ip`` (``TRUSTED_PROXY_COUNT``),
never straight from ``X-Forwarded-For``. Limits are tuned in ``THUISNET_RATE_LIMITS``
(``{"name": (count, seconds)}``) and switched off with ``THUISNET_RATE_LIMITS_ENABLED =
False`` (load tests that drive fifty clients from one address).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from .net import client_ip

# name: (events allowed, window in seconds). Names say what is counted per what.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Evening registrations (HTML form and API): per client address and per email address.
    "foster.register.address": (20, 3600),
    "foster.register.email": (5, 3600),
    # Interest in a vacancy (public form).
    "foster.interest.address": (20, 3600),
    "foster.interest.email": (5, 3600),
    # Changes through one personal link (each change mails the registrant): per link.
    "foster.personal_link.token": (10, 3600),
    # Every API write (POST, PUT, PATCH, DELETE).
    "api.write.user": (120, 60),
    "api.write.address": (30, 60),
    # Logins: failures per (address, account), per account, per address (see adapters.py).
    "login.pair": (5, 900),
    "login.account": (20, 3600),
    "login.address": (10, 600),
}

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def retry_minutes(self) -> int:
        return max(1, (self.retry_after + 59) // 60)


def enabled() -> bool:
    return bool(getattr(settings, "THUISNET_RATE_LIMITS_ENABLED", True))


def limit_for(name: str) -> tuple[int, int]:
    overrides = getattr(settings, "THUISNET_RATE_LIMITS", None) or {}
    count, seconds = overrides.get(name, DEFAULT_LIMITS[name])
    return int(count), int(seconds)


def _window(name: str) -> tuple[int, int, int, int]:
    limit, seconds = limit_for(name)
    now = time.time()
    number = int(now // seconds)
    retry_after = int((number + 1) * seconds - now) + 1
    return limit, seconds, number, retry_after


def _key(name: str, ident: str, number: int) -> str:
    # Hashed: identities are addresses and emails, which do not belong in cache keys or rows.
    digest = hashlib.sha256(f"{name}|{ident}".encode()).hexdigest()[:40]
    return f"rl:{name}:{digest}:{number}"


# ------------------------------------------------------------------------------ storage


def _store() -> str:
    chosen = getattr(settings, "THUISNET_RATE_LIMIT_STORE", None)
    if chosen in ("cache", "database"):
        return chosen
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return "database" if backend.endswith("DatabaseCache") else "cache"


def _cache_incr(key: str, ttl: int) -> int:
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, ttl)
        return 1


def _db_incr(key: str, ttl: int) -> int:
    from .models import RateLimitCounter

    rows = RateLimitCounter.objects.filter(key=key)
    # Its own short transaction: the row lock is held only for this increment. Callers must
    # not count inside a long transaction, or every request from one address queues on it.
    with transaction.atomic():
        count = 0
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(
                        key=key, count=1, expires_at=timezone.now() + timedelta(seconds=ttl)
                    )
                count = 1
            except IntegrityError:  # a concurrent first hit created it: count on that row
                rows.update(count=F("count") + 1)
        if not count:
            # Still in the transaction that holds the row lock: this is our own increment.
            count = rows.values_list("count", flat=True).first() or 1
    if random.random() < 0.01:  # noqa: S311 - housekeeping, not security
        RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def _read(key: str) -> int:
    if _store() == "cache":
        return int(cache.get(key) or 0)
    from .models import RateLimitCounter

    return RateLimitCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0


# ------------------------------------------------------------------------------- public


def hit(name: str, ident: str) -> Verdict:
    """Count one event for ``ident`` under limit ``name``; ``allowed`` while within it."""
    limit, seconds, number, retry_after = _window(name)
    if not enabled():
        return Verdict(True, 0, limit, 0)
    key = _key(name, ident, number)
    ttl = seconds + 5
    count = _cache_incr(key, ttl) if _store() == "cache" else _db_incr(key, ttl)
    return Verdict(count <= limit, count, limit, retry_after)


def peek(name: str, ident: str) -> Verdict:
    """The current count without counting; ``allowed`` while below the limit."""
    limit, _seconds, number, retry_after = _window(name)
    if not enabled():
        return Verdict(True, 0, limit, 0)
    count = _read(_key(name, ident, number))
    return Verdict(count < limit, count, limit, retry_after)


def unhit(name: str, ident: str) -> None:
    """Take back one event counted by ``hit`` in the current window (a reserved try that
    turned out fine, such as a correct password). Never goes below zero."""
    _limit, _seconds, number, _retry = _window(name)
    if not enabled():
        return
    key = _key(name, ident, number)
    if _store() == "cache":
        try:
            if int(cache.get(key) or 0) > 0:
                cache.decr(key)
        except ValueError:  # expired meanwhile: nothing to take back
            pass
    else:
        from .models import RateLimitCounter

        RateLimitCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def reset(name: str, ident: str) -> None:
    _limit, _seconds, number, _retry = _window(name)
    key = _key(name, ident, number)
    if _store() == "cache":
        cache.delete(key)
    else:
        from .models import RateLimitCounter

        RateLimitCounter.objects.filter(key=key).delete()


def check_public(request, action: str, email: str = "") -> Verdict | None:
    """Count a public submission per client address and per email; the first refusal, or None."""
    refused = None
    verdict = hit(f"{action}.address", client_ip(request))
    if not verdict.allowed:
        refused = verdict
    email = mailbox(email)
    if email and f"{action}.email" in DEFAULT_LIMITS:
        verdict = hit(f"{action}.email", email)
        if not verdict.allowed and refused is None:
            refused = verdict
    return refused


def mailbox(email: str) -> str:
    """The mailbox an address delivers to, for counting: ``Naam+3@Gmail.com`` and
    ``n.a.a.m@gmail.com`` are one victim, so varying the tag or the dots escapes no limit."""
    email = (email or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def too_many_message(verdict: Verdict) -> str:
    return _(
        "Er zijn vanaf dit adres of voor dit e-mailadres te veel aanmeldingen in korte tijd "
        "verstuurd. Probeer het over %(minutes)d minuten opnieuw; wat je invulde staat er nog."
    ) % {"minutes": verdict.retry_minutes}


def guard_form(request, form, action: str, *, email: str = "") -> bool:
    """For a POST of a public form: count it; over the limit, put a Dutch error on the form.

    Returns False when refused. The form keeps its bound data, so the page shows what was
    typed; ``form.is_valid()`` is False afterwards.
    """
    refused = check_public(request, action, email)
    if refused is None:
        return True
    form.add_error(None, too_many_message(refused))
    return False


# --------------------------------------------------------------------------- API (DRF)


def _api_refusal(verdict: Verdict, message: str):
    from .api import ApiError

    return ApiError(429, "rate_limited", message, retry_after=verdict.retry_after)


class ApiWriteThrottle(BaseThrottle):
    """Every API write counts per signed-in user, or per client address for anonymous calls."""

    def allow_request(self, request, view) -> bool:
        if request.method in _SAFE_METHODS:
            return True
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            verdict = hit("api.write.user", f"user:{user.pk}")
        else:
            verdict = hit("api.write.address", client_ip(request))
        if not verdict.allowed:
            raise _api_refusal(
                verdict,
                _("Te veel wijzigingen in korte tijd. Probeer het over %(minutes)d minuten opnieuw.")
                % {"minutes": verdict.retry_minutes},
            )
        return True


def public_form_throttle(action: str) -> type[BaseThrottle]:
    """A DRF throttle for a public API write: the write limit plus per address and per email."""

    class PublicFormThrottle(ApiWriteThrottle):
        def allow_request(self, request, view) -> bool:
            super().allow_request(request, view)
            if request.method in _SAFE_METHODS:
                return True
            email = request.data.get("email", "") if hasattr(request.data, "get") else ""
            refused = check_public(request, action, email if isinstance(email, str) else "")
            if refused is not None:
                raise _api_refusal(refused, too_many_message(refused))
            return True

    PublicFormThrottle.__name__ = f"PublicFormThrottle[{action}]"
    return PublicFormThrottle
