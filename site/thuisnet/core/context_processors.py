from functools import partial

from django.conf import settings

from thuisnet.accounts.inbox import unread_count

from .navigation import menu


def _once(request, name: str, compute):
    """``compute()`` once per request, however many templates render with this context."""
    cache = request.__dict__.setdefault("_thuisnet_chrome", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def _footer(request):
    """The site's FooterSettings, from the cache until "pages" changes (CHROME_CACHE_ENABLED;
    saves the footer's query on every uncached page)."""
    from wagtail.models import Site

    from thuisnet.home.models import FooterSettings

    from . import pagecache

    site = Site.find_for_request(request)
    if site is None:
        return None
    if not getattr(settings, "CHROME_CACHE_ENABLED", False):
        return FooterSettings.for_site(site)
    try:
        return pagecache.remembered(f"footer:{site.pk}", lambda: FooterSettings.for_site(site))
    except Exception:  # a cache outage must never take pages down
        return FooterSettings.for_site(site)


def site_chrome(request) -> dict:
    user = getattr(request, "user", None)
    return {
        # Callables: a template resolves them only where it shows them (a fragment or an
        # e-mail rendered with the request costs nothing), and once per request.
        "main_menu": partial(_once, request, "menu", partial(menu, request)),
        "site_footer": partial(_once, request, "footer", partial(_footer, request)),
        "payouts_enabled": settings.PAYOUTS_ENABLED,
        "inbox_unread": partial(_once, request, "inbox_unread", partial(unread_count, user)),
    }
