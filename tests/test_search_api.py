"""The search API: /api/v1/search/ answers the same shape as the page, and is in the schema."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_answers_hits_facets_and_did_you_mean(client, make_article):
    make_article(title="Omgangsregeling met ouders", body="<p>Contact met ouders.</p>")
    r = client.get("/api/v1/search/", {"q": "omgangsregling"})
    assert r.status_code == 200
    data = r.json()
    assert data["did_you_mean"] == "omgangsregeling"
    assert data["hits"][0]["title"] == "Omgangsregeling met ouders"
    assert set(data["hits"][0]) == {
        "title",
        "url",
        "kind",
        "kind_label",
        "snippet",
        "highlight",
        "score",
        "municipality",
        "starts_at",
    }
    assert {"value": "article", "label": "Kennisartikel", "count": 1} in data["facets"]["kind"]


def test_the_api_rejects_an_unknown_kind(client):
    r = client.get("/api/v1/search/", {"q": "x", "kind": "nonsense"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_kind"


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/search/" in schema and "did_you_mean" in schema


def test_healthz_reports_the_index_lag(client):
    data = client.get("/healthz").json()
    assert data["search_index"] == {"pending": 0, "lag_seconds": 0.0}


def test_search_reindex_prints_counts_per_kind(make_article):
    from io import StringIO

    from django.core.management import call_command

    make_article(title="Zakgeld", body="<p>Zakgeld.</p>")
    out = StringIO()
    call_command("search_reindex", stdout=out)
    text = out.getvalue()
    assert "article: 1" in text and "total:" in text
