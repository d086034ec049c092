# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""With PAYOUTS_ENABLED off (the default) nothing of Stripe is imported or shown, and every
payout URL answers 404."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.payouts_support import payout_world, sign  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

PAYOUT_URLS = [
    ("get", "/respijt/uitbetalingen/"),
    ("post", "/respijt/uitbetalingen/aanmelden/"),
    ("get", "/respijt/uitbetalingen/aanmelden/terug/"),
    ("get", "/respijt/uitbetalingen/aanmelden/vernieuwen/"),
    ("get", "/respijt/uitbetalingen/aanbieder/"),
    ("get", "/respijt/uitbetalingen/verblijf/1/bevestigen/"),
    ("get", "/respijt/uitbetalingen/regio/"),
    ("get", "/respijt/uitbetalingen/regio/1/"),
    ("post", "/respijt/uitbetalingen/regio/1/afstemmen/"),
    ("get", "/respijt/uitbetalingen/regio/1/export.csv"),
    ("get", "/respijt/uitbetalingen/regio/1/export.xlsx"),
    ("post", "/respijt/uitbetalingen/webhook/"),
]

LOAD_EVERYTHING = textwrap.dedent(
    """
    import os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "thuisnet.settings.test"
    os.environ.pop("PAYOUTS_ENABLED", None)
    sys.path[:0] = [".", "site"]
    import django
    django.setup()
    from importlib import import_module
    from django.apps import apps
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                p.callback  # import the view
    walk(get_resolver().url_patterns)
    names = ("models", "views", "api", "urls", "navigation", "selectors", "services", "forms",
             "jobs", "admin", "wagtail_hooks", "search_provider", "demo", "exports", "conf",
             "management.commands.reconcile_payouts")
    for app in apps.get_app_configs():
        for name in names:
            module = f"{app.name}.{name}"
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if not module.startswith(exc.name or "-"):
                    raise
    import_module("thuisnet.accounts.policies.payouts")
    from django.test import RequestFactory
    from django.http import Http404
    from django.contrib.auth.models import AnonymousUser
    from respite.payouts import views, jobs, navigation
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation.items(request) == []
    assert jobs.retry_pending() == 0 and jobs.reconcile_last_month() == 0
    for view in (views.overview, views.provider, views.region, views.webhook):
        try:
            view(request)
        except Http404:
            pass
        else:
            raise SystemExit(f"{view.__name__} answered while payouts are off")
    loaded = any(m == "stripe" or m.startswith("stripe.") for m in sys.modules)
    print("STRIPE_LOADED" if loaded else "NO_STRIPE")
    """
)


def test_loading_every_url_view_and_module_imports_nothing_of_stripe():
    done = subprocess.run(
        [sys.executable, "-c", LOAD_EVERYTHING], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "NO_STRIPE"


@pytest.fixture
def without_stripe_loaded():
    """Forget the stripe modules other tests loaded; put them back afterwards."""
    saved = {name: mod for name, mod in sys.modules.items() if name == "stripe" or name.startswith("stripe.")}
    for name in saved:
        del sys.modules[name]
    yield
    for name in [n for n in sys.modules if n == "stripe" or n.startswith("stripe.")]:
        del sys.modules[name]
    sys.modules.update(saved)


@pytest.mark.django_db
def test_every_page_works_without_stripe_and_payout_urls_answer_404(
    without_stripe_loaded, settings, payout_world, coordinator, home_page, login, client
):
    settings.PAYOUTS_ENABLED = False
    settings.STRIPE_WEBHOOK_SECRET = "whsec_set_but_off"
    stay = payout_world["stays"][0]
    for user in (None, payout_world["host"], payout_world["staff"], coordinator):
        c = login(user) if user else client
        for method, url in PAYOUT_URLS:
            url = url.replace("/1/", f"/{stay.pk}/")
            response = getattr(c, method)(url)
            assert response.status_code == 404, (user, url, response.status_code)
        for url in ("/", "/respijt/", "/respijt/beheer/", "/respijt/mijn-aanvragen/", "/respijt/regio/"):
            response = c.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            if response.status_code == 200:
                text = response.content.decode()
                assert "Stripe" not in text and "/respijt/uitbetalingen/" not in text, url
    body = b'{"id": "evt_1", "type": "account.updated", "data": {"object": {}}}'
    assert (
        client.post(
            "/respijt/uitbetalingen/webhook/",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(body, secret="whsec_set_but_off"),
        ).status_code
        == 404
    )
    assert not any(n == "stripe" or n.startswith("stripe.") for n in sys.modules)


def test_the_menu_shows_payouts_only_when_on(settings, db, payout_world):
    from respite.payouts import navigation

    request = RequestFactory().get("/")
    request.user = payout_world["staff"]
    settings.PAYOUTS_ENABLED = False
    assert navigation.items(request) == []
    settings.PAYOUTS_ENABLED = True
    assert [i.url for i in navigation.items(request)] == [reverse("payouts:provider")]
