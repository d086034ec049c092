"""Cached pages for anonymous visitors, invalidated by tags (issue 14).

The contract other apps call (keep its signature): ``invalidate(*tags)`` after a change that
alters what anonymous visitors see. Tags in use: ``"evenings"`` (a seat count or an evening
changed), ``"evenings:<region_id>"`` (only that region's evenings changed: its evening and
vacancy pages, the overview and the feeds; ``evenings_tag(region)`` spells it), ``"answers"``
(the Q&A changed), ``"respite"`` (public respite offers), ``"page:<id>"`` (one Wagtail page)
and ``"pages"`` (the site tree, menus, footer).

How it works
------------
``PageCacheMiddleware`` sits after the session, locale and CSRF middleware and before auth,
messages and the staff 2FA check: a hit is only ever for a visitor without a session cookie,
who needs none of those; a miss runs them inside, and ``_storable`` reads what they set.

- **Who gets cached pages**: GET/HEAD requests without a session cookie and without an
  ``Authorization`` header, whose query string only holds keys from ``QUERY_ALLOW`` (short
  values). Everyone else is served as before and never fills the cache (``X-Cache: bypass``).
- **What is cached**: the Wagtail page types in ``PAGE_TAGS`` and the Django views in
  ``VIEW_TAGS``, only when the response is a plain 200 without cookies, without
  ``Cache-Control: private/no-cache/no-store``, without an unexpected ``Vary``, without a
  CSP nonce, for a visitor who is anonymous, whose session was not written and who has no
  messages. A new page type is not cached until it is declared in ``PAGE_TAGS``.
- **The key**: scheme, host, path, the allowed query keys (sorted) and the active language
  (nl/en: LocaleMiddleware has already chosen it from the language cookie).
- **Per-visitor values**: pages with a form (registration, interest) carry a CSRF token, and
  forms may carry a one-time ``form_token`` (thuisnet.core.idempotency). (The language switch
  is a link, ``core.views.switch_language``: pages without a form carry no token, and a hit
  for them draws none.) Keeping pages with forms out of the cache would keep the evening and
  vacancy pages out, so the stored copy holds placeholders
  instead: each CSRF token that unmasks to this request's secret, and the value of every
  ``form_token`` input. A hit fills them with a fresh ``get_token(request)`` (for this visitor's
  own csrftoken cookie, which CsrfViewMiddleware then sets for them, as on any page) and fresh
  form tokens. If the raw CSRF secret appears anywhere in the page, the page is not stored.
  No cookie is ever stored: the csrftoken cookie of the visitor who filled the cache is set by
  CsrfViewMiddleware outside this middleware, on their response only.
- **Exact invalidation**: an entry stores the tags it depends on and each tag's version, read
  *before* the page was rendered. ``invalidate(*tags)`` gives each tag a new random version
  after the transaction commits; a hit whose versions are not all current is a miss. A change
  that lands while a page renders therefore makes that copy stale at once. Every entry
  depends on ``"pages"`` (menus, rich-text links and the footer appear everywhere).
- **Outer bounds**: entries that depend on ``"evenings"`` (seat badges) live at most
  ``PAGE_CACHE_SEATS_TTL`` seconds, others ``PAGE_CACHE_TTL``.
- ``X-Cache``: ``hit``, ``miss`` (rendered and stored), ``pass`` (rendered, not storable) or
  ``bypass`` (the request may not use the cache). Off: ``PAGE_CACHE_ENABLED=false``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

log = logging.getLogger(__name__)

EVENINGS = "evenings"
ANSWERS = "answers"
RESPITE = "respite"
PAGES = "pages"

# The one mapping of what each public page depends on. Wagtail page types by
# ``app_label.modelname``; every entry also depends on "pages" and on "page:<id>" of the page.
PAGE_TAGS: dict[str, tuple[str, ...]] = {
    "home.homepage": (),
    "foster.eveningindexpage": (EVENINGS,),  # sessions with seat badges, vacancies
    "foster.eveningpage": (EVENINGS,),  # its sessions, seat badges, registration form
    "foster.vacancypage": (EVENINGS,),  # the upcoming evenings it links to
    "knowledge.knowledgeindexpage": (ANSWERS,),
    "knowledge.knowledgearticlepage": (ANSWERS,),  # may show the question it came from
}
# Django views by ``namespace:name``. Views that require a login answer anonymous visitors
# with a redirect, which is never stored; they are listed for when they open up.
VIEW_TAGS: dict[str, tuple[str, ...]] = {
    "foster:feed": (EVENINGS,),  # the region's iCal feed
    "knowledge:questions": (ANSWERS,),
    "knowledge:question": (ANSWERS,),
}
# Per-region evening tags: ``invalidate("evenings:<region_id>")`` makes only that region's
# evening and vacancy pages stale (and the pages that list every region's evenings: the
# overview and the region feeds, which depend on ``EVENINGS_ANY_REGION``). A page of a region
# depends on the global ``EVENINGS`` too, so ``invalidate("evenings")`` still drops them all.
EVENINGS_REGION_PREFIX = EVENINGS + ":"
EVENINGS_ANY_REGION = EVENINGS + ":*"
# Tags whose pages show seat availability: those entries live at most PAGE_CACHE_SEATS_TTL.
SEAT_TAGS = frozenset({EVENINGS})
# Query keys the cached pages read (evening overview filters and tabs, a chosen session,
# question list filters and pages). Any other key (utm_*, q, ...) bypasses the cache.
QUERY_ALLOW = frozenset(
    {
        "tab",
        "municipality",
        "family_form",
        "mode",
        "bijeenkomst",
        "thema",
        "trefwoord",
        "onbeantwoord",
        "pagina",
    }
)
MAX_QUERY_VALUE = 64
MAX_QUERY_LENGTH = 256

CSRF_PLACEHOLDER = b"@@thuisnet-pagecache-csrf@@"
FORM_PLACEHOLDER = b"@@thuisnet-pagecache-form-token@@"
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_INPUT = re.compile(rb"<input\b[^>]*>", re.IGNORECASE)
_FORM_TOKEN_NAME = re.compile(rb"""\bname=["'](?:[\w-]+-)?form_token["']""")
_VALUE_ATTR = re.compile(rb"""\bvalue=(["'])[^"']*\1""")
# Vary fields the key already covers: the session cookie is absent, the language cookie is
# in the key, the CSRF cookie only feeds the token we substitute; Accept-Language is
# removed before LocaleMiddleware (DutchByDefaultMiddleware).
_KNOWN_VARY = frozenset({"cookie", "accept-language"})
_NO_STORE = ("private", "no-store", "no-cache")
_DROP_HEADERS = frozenset({"x-cache", "content-length", "set-cookie"})


# ------------------------------------------------------------------------ settings


def _enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", False))


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _timeout(tags: Iterable[str]) -> int:
    if SEAT_TAGS.intersection(tags):
        return int(settings.PAGE_CACHE_SEATS_TTL)
    return int(settings.PAGE_CACHE_TTL)


# ------------------------------------------------------------------------ tags


def _tag_key(tag: str) -> str:
    return f"pc:tag:{tag}"


def _new_version() -> str:
    return secrets.token_hex(8)


def current_versions(tags: Iterable[str]) -> dict[str, str | None]:
    """Each tag's current version, creating versions for tags that have none yet."""
    cache = _cache()
    keys = {_tag_key(t): t for t in tags}
    found = cache.get_many(list(keys))
    versions: dict[str, str | None] = {}
    for key, tag in keys.items():
        version = found.get(key)
        if version is None:
            version = _new_version()
            if not cache.add(key, version, timeout=None):
                version = cache.get(key)  # another process made one first
        versions[tag] = version
    return versions


def _bump(tags: tuple[str, ...]) -> None:
    _cache().set_many({_tag_key(t): _new_version() for t in tags}, timeout=None)


def invalidate(*tags: str) -> None:
    """Make every cached page that depends on any of ``tags`` stale.

    Inside a transaction this happens once it commits (a rollback changes nothing, and no
    other process can render the old data again under the new version); outside one, at once.
    Versions are bumped even when the page cache is off, so turning it on never serves a copy
    made before a change.
    """
    wanted = tuple(dict.fromkeys(_with_aggregates(str(t) for t in tags if t)))
    if not wanted:
        return
    transaction.on_commit(lambda: _bump(wanted), robust=True)


def _with_aggregates(tags: Iterable[str]) -> Iterable[str]:
    for tag in tags:
        yield tag
        if tag.startswith(EVENINGS_REGION_PREFIX) and tag != EVENINGS_ANY_REGION:
            yield EVENINGS_ANY_REGION


def evenings_tag(region_or_id) -> str:
    """The tag of one region's evening pages: ``invalidate(evenings_tag(region))``."""
    return f"{EVENINGS_REGION_PREFIX}{getattr(region_or_id, 'pk', region_or_id)}"


def _region_tags(tags: tuple[str, ...], page=None) -> tuple[str, ...]:
    """Add the per-region evening tag of ``page`` (or the any-region tag) to EVENINGS pages."""
    if EVENINGS not in tags:
        return tags
    region_id = getattr(page, "region_id", None) if page is not None else None
    extra = evenings_tag(region_id) if region_id is not None else EVENINGS_ANY_REGION
    return (*tags, extra)


def page_tag(page_or_id) -> str:
    return f"page:{getattr(page_or_id, 'pk', page_or_id)}"


def remembered(name: str, compute: Callable[[], object], tags: Iterable[str] = (PAGES,)):
    """``compute()``'s value, kept in the cache until one of ``tags`` is invalidated.

    One cache round trip reads the value and the tags' versions together; the versions are
    read before ``compute()`` runs, so a change committed meanwhile makes the copy stale at
    once (as for pages). For the shared chrome (the footer) of uncached renders.
    """
    tags = tuple(dict.fromkeys(tags))
    cache = _cache()
    key = "pc:value:" + name
    tag_keys = [_tag_key(t) for t in tags]
    found = cache.get_many([key, *tag_keys])
    current = {t: found.get(k) for t, k in zip(tags, tag_keys, strict=True)}
    entry = found.get(key)
    if entry is not None and None not in current.values() and entry[0] == current:
        return entry[1]
    if None in current.values():
        current = current_versions(tags)
    value = compute()
    cache.set(key, (current, value), timeout=int(settings.PAGE_CACHE_TTL))
    return value


# ------------------------------------------------------------------------ requests


def _cache_key(request: HttpRequest) -> str | None:
    """The entry's key, or None when this request may not use the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None
    query = request.META.get("QUERY_STRING", "")
    pairs: list[tuple[str, str]] = []
    if query:
        if len(query) > MAX_QUERY_LENGTH:
            return None
        pairs = parse_qsl(query, keep_blank_values=True)
        for name, value in pairs:
            if name not in QUERY_ALLOW or len(value) > MAX_QUERY_VALUE:
                return None
        pairs.sort()
    raw = "|".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            urlencode(pairs),
            getattr(request, "LANGUAGE_CODE", None) or get_language() or "",
        )
    )
    return "pc:page:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


class _Pending:
    """What a miss learns while the view runs: the tags and their versions before rendering."""

    __slots__ = ("tags", "versions")

    def __init__(self) -> None:
        self.tags: tuple[str, ...] = ()
        self.versions: dict[str, str | None] | None = None

    def start(self, tags: Iterable[str]) -> None:
        self.tags = tuple(dict.fromkeys((PAGES, *tags)))
        self.versions = current_versions(self.tags)


# Per process: the tags each cached URL depends on, learnt from its entries, so that a hit
# reads the entry and its tags' versions in one round trip. Only a hint: the entry's own
# stored versions decide.
_KNOWN_TAGS: dict[str, tuple[str, ...]] = {}
_KNOWN_TAGS_MAX = 10_000


def _remember(key: str, tags: Iterable[str]) -> None:
    if len(_KNOWN_TAGS) >= _KNOWN_TAGS_MAX:
        _KNOWN_TAGS.clear()
    _KNOWN_TAGS[key] = tuple(tags)


def _hit(request: HttpRequest, key: str) -> HttpResponse | None:
    cache = _cache()
    tags = _KNOWN_TAGS.get(key)
    if tags is None:
        entry = cache.get(key)
        current = None
    else:
        current = cache.get_many([key, *(_tag_key(t) for t in tags)])
        entry = current.get(key)
    if entry is None:
        return None
    versions, headers, content, has_csrf, has_form_token = entry
    if current is None or tuple(versions) != tags:
        _remember(key, versions)
        current = cache.get_many([_tag_key(t) for t in versions])
    for tag, version in versions.items():
        if version is None or current.get(_tag_key(tag)) != version:
            return None
    if has_csrf:
        from django.middleware.csrf import get_token

        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    if has_form_token:
        from .idempotency import new_form_token

        content = _fill(content, FORM_PLACEHOLDER, lambda: new_form_token().encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Cache"] = "hit"
    return response


def _fill(content: bytes, placeholder: bytes, make: Callable[[], bytes]) -> bytes:
    parts = content.split(placeholder)
    out = [parts[0]]
    for part in parts[1:]:
        out.append(make())
        out.append(part)
    return b"".join(out)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(response, "pagecache_exempt", False):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in _NO_STORE):
        return False
    if response.has_header("Content-Encoding"):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - _KNOWN_VARY:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return False
    # A CSP nonce is per response by definition (django-csp keeps it on the request).
    return not isinstance(getattr(request, "_csp_nonce", None), str)


def _mask_per_visitor(request: HttpRequest, content: bytes) -> tuple[bytes, bool, bool] | None:
    """Replace this visitor's CSRF tokens and form tokens with placeholders (None: do not store)."""
    has_csrf = False
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        from django.middleware.csrf import _unmask_cipher_token

        if secret.encode() in content:
            return None  # the raw secret is in the page: never share it

        def unmask(match: re.Match) -> bytes:
            nonlocal has_csrf
            token = match.group(0)
            if _unmask_cipher_token(token.decode()) == secret:
                has_csrf = True
                return CSRF_PLACEHOLDER
            return token

        content = _MASKED_TOKEN.sub(unmask, content)
    has_form_token = False

    def form_token(match: re.Match) -> bytes:
        nonlocal has_form_token
        tag = match.group(0)
        if not _FORM_TOKEN_NAME.search(tag):
            return tag
        has_form_token = True
        return _VALUE_ATTR.sub(b'value="' + FORM_PLACEHOLDER + b'"', tag)

    if b"form_token" in content:
        content = _INPUT.sub(form_token, content)
    return content, has_csrf, has_form_token


def _store(request: HttpRequest, response: HttpResponse, key: str, pending: _Pending) -> bool:
    if not _storable(request, response):
        return False
    masked = _mask_per_visitor(request, response.content)
    if masked is None:
        return False
    content, has_csrf, has_form_token = masked
    patch_vary_headers(response, ("Cookie",))
    headers = [(k, v) for k, v in response.items() if k.lower() not in _DROP_HEADERS]
    entry = (pending.versions, headers, content, has_csrf, has_form_token)
    _cache().set(key, entry, timeout=_timeout(pending.tags))
    _remember(key, pending.versions)
    return True


class PageCacheMiddleware:
    """Serve public pages to anonymous visitors from the cache (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _enabled():
            return self.get_response(request)
        key = _cache_key(request)
        if key is None:
            response = self.get_response(request)
            if request.method in ("GET", "HEAD"):
                response["X-Cache"] = "bypass"
            return response
        try:
            hit = _hit(request, key)
        except Exception:  # a cache outage must never take pages down
            log.warning("page cache unavailable", exc_info=True)
            hit = None
        if hit is not None:
            return hit
        pending = request._pagecache = _Pending()
        response = self.get_response(request)
        stored = False
        if pending.versions is not None and request.method == "GET":
            try:
                stored = _store(request, response, key, pending)
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        response["X-Cache"] = "miss" if stored else "pass"
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        pending = getattr(request, "_pagecache", None)
        match = getattr(request, "resolver_match", None)
        if pending is not None and match is not None and match.view_name in VIEW_TAGS:
            _start(pending, _region_tags(VIEW_TAGS[match.view_name]))
        return None


def _start(pending: _Pending, tags: Iterable[str]) -> None:
    try:
        pending.start(tags)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        pending.versions = None


def _before_serve_page(page, request, serve_args, serve_kwargs) -> None:
    """Wagtail hook: a declared page type records its tags' versions before it renders.

    Registered after Wagtail's own view-restriction check: a private page answers that
    check's response and never gets here, so it is never stored.
    """
    pending = getattr(request, "_pagecache", None)
    if pending is None:
        return None
    tags = PAGE_TAGS.get(page._meta.label_lower)
    if tags is None:
        return None
    _start(pending, (*_region_tags(tags, page), page_tag(page)))
    return None


# ------------------------------------------------------------------------ wiring


def _page_changed(sender, instance, **kwargs) -> None:
    invalidate(page_tag(instance), PAGES)


# Fields Wagtail fills in lazily the first time a page shows a document or an image
# (``get_file_size()``/``get_file_hash()`` save them): the rendered page already showed the
# value, so such a save changes nothing a visitor sees. Bumping "pages" there made the first
# rendering of every page with a document stale at once (a miss on the second request).
_METADATA_FIELDS = frozenset({"file_size", "file_hash"})


def _tree_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    if update_fields and _METADATA_FIELDS.issuperset(update_fields):
        return
    invalidate(PAGES)


def _settings_changed(sender, instance=None, created=False, **kwargs) -> None:
    # ``FooterSettings.for_request()`` creates the row with its defaults the first time any
    # page renders: that page already showed the defaults, so only a row that differs counts.
    if created and instance is not None and _all_defaults(instance):
        return
    invalidate(PAGES)


def _all_defaults(instance) -> bool:
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.is_relation:
            continue
        if getattr(instance, f.attname) != f.get_default():
            return False
    return True


def connect() -> None:
    """Wire Wagtail's page events and the serve hook (called once from CoreConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail import hooks
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_page_changed, dispatch_uid="pagecache.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="pagecache.page_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="pagecache.post_page_move")
    for model in get_page_models():
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"pagecache.delete.{model._meta.label}")
    # Shown on (or deciding) every page: the site, the footer, privacy, images, documents.
    from thuisnet.home.models import FooterSettings

    for model in (Site, FooterSettings, PageViewRestriction, get_image_model(), get_document_model()):
        saved = _settings_changed if model is FooterSettings else _tree_changed
        post_save.connect(saved, sender=model, dispatch_uid=f"pagecache.tree.{model._meta.label}")
        post_delete.connect(_tree_changed, sender=model, dispatch_uid=f"pagecache.tree.{model._meta.label}")
    hooks.register("before_serve_page", _before_serve_page, order=1000)
