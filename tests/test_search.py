"""One search entry point: it asks every app's provider and survives one that fails."""

import subprocess
import sys
import types

import pytest

from search import services
from search.types import SearchHit

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_providers(monkeypatch):
    good = types.ModuleType("fake_good")
    good.search = lambda q, user=None, limit=20: [
        SearchHit(
            title=f"Over {q}",
            url="/kennisbank/x/",
            kind="article",
            kind_label="Kennisartikel",
            snippet="Uitleg",
            score=2.0,
        )
    ]
    bad = types.ModuleType("fake_bad")

    def boom(q, user=None, limit=20):
        raise ConnectionError("index down")

    bad.search = boom
    monkeypatch.setitem(sys.modules, "fake_good", good)
    monkeypatch.setitem(sys.modules, "fake_bad", bad)
    monkeypatch.setattr(services, "PROVIDERS", ("fake_good", "fake_bad"))


def test_it_merges_hits_and_reports_a_failing_source(fake_providers):
    results = services.search("  pleeg   vergoeding ")
    assert results.query == "pleeg vergoeding"
    assert [h.title for h in results.hits] == ["Over pleeg vergoeding"]
    assert results.failed_sources == ["fake_bad"]


def test_an_empty_query_asks_nobody(fake_providers):
    assert services.search("").hits == []


def test_the_search_page_shows_results_and_a_notice(client, fake_providers):
    html = client.get("/zoeken/", {"q": "vergoeding"}).content.decode()
    assert "Over vergoeding" in html and "Kennisartikel" in html
    assert "Een deel van de resultaten is nu niet beschikbaar" in html


def test_the_database_is_the_default_engine():
    assert services.engine_name() == "database"


def test_the_database_backend_uses_full_text_search():
    # Wagtail silently falls back to a plain search if the FTS table is missing.
    from django.conf import settings
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__module__
    if settings.DATABASE_IS_POSTGRES:
        assert backend.endswith("postgres.postgres")
    else:
        assert backend.endswith("sqlite.sqlite")


def test_elasticsearch_is_used_when_configured():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": "site",
        "ELASTICSEARCH_URL": "http://es:9200",
        "DJANGO_SETTINGS_MODULE": "thuisnet.settings.test",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "wagtail.search.backends.elasticsearch8", out.stderr
