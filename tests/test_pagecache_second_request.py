"""The second anonymous request for any cached page type is a hit, even in another process."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pagecache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SEATS_TTL = 60
    cache.clear()
    yield
    cache.clear()


def another_process() -> None:
    """What a second gunicorn worker knows: nothing learnt in this process."""
    from thuisnet.core import pagecache

    pagecache._KNOWN_TAGS.clear()


def twice(url: str, django_capture_on_commit_callbacks) -> tuple[str, str]:
    with django_capture_on_commit_callbacks(execute=True):
        first = Client().get(url)
    assert first.status_code == 200, url
    another_process()
    with django_capture_on_commit_callbacks(execute=True):
        second = Client().get(url)
    assert second.status_code == 200, url
    return first["X-Cache"], second["X-Cache"]


def test_an_article_with_a_new_document_is_a_hit_on_the_second_request(
    pagecache, make_article, django_capture_on_commit_callbacks
):
    from knowledge.demo import _document
    from knowledge.models import ArticleForm

    article = make_article(title="Met formulier")
    # As load_demo makes them: the size is stored on the first page that shows the document.
    ArticleForm.objects.create(page=article, document=_document("Aanvraag", "aanvraag.pdf", ["x"]))
    assert twice(article.url, django_capture_on_commit_callbacks) == ("miss", "hit")


@pytest.mark.parametrize("page", ["home_page", "evening_index", "evening", "vacancy", "knowledge_index"])
def test_every_cached_page_type_is_a_hit_on_the_second_request(
    pagecache, page, request, django_capture_on_commit_callbacks
):
    url = request.getfixturevalue(page).url
    assert twice(url, django_capture_on_commit_callbacks) == ("miss", "hit")


def test_the_region_feed_is_a_hit_on_the_second_request(
    pagecache, evening, region, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    url = reverse("foster:feed", args=[region.slug])
    assert twice(url, django_capture_on_commit_callbacks) == ("miss", "hit")


def test_a_real_document_change_still_renders_the_page_again(
    pagecache, make_article, django_capture_on_commit_callbacks
):
    from knowledge.demo import _document
    from knowledge.models import ArticleForm

    article = make_article(title="Met formulier")
    document = _document("Aanvraag", "aanvraag.pdf", ["x"])
    ArticleForm.objects.create(page=article, document=document)
    twice(article.url, django_capture_on_commit_callbacks)
    document.title = "Aanvraagformulier 2027"
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    response = Client().get(article.url)
    assert response["X-Cache"] == "miss"
    assert "Aanvraagformulier 2027" in response.content.decode()


def test_editing_the_footer_still_renders_every_page_again(
    pagecache, home_page, django_capture_on_commit_callbacks
):
    from thuisnet.home.models import FooterSettings

    assert twice("/", django_capture_on_commit_callbacks) == ("miss", "hit")
    footer = FooterSettings.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        footer.save()
    assert Client().get("/")["X-Cache"] == "miss"


def test_uncached_renders_read_the_footer_from_the_cache_until_it_is_edited(
    pagecache, home_page, settings, django_capture_on_commit_callbacks
):
    settings.CHROME_CACHE_ENABLED = True
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thuisnet.home.models import FooterSettings

    url = "/?utm_source=nieuwsbrief"  # bypasses the page cache: rendered every time
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().get(url)["X-Cache"] == "bypass"
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    assert not [q for q in queries.captured_queries if "home_footersettings" in q["sql"]]
    footer = FooterSettings.objects.get()
    footer.organisation = "Jeugdhulpregio Achterhoek"
    footer.contact_email = "info@achterhoek.example"
    with django_capture_on_commit_callbacks(execute=True):
        footer.save()
    body = Client().get(url).content.decode()
    assert "Jeugdhulpregio Achterhoek" in body and "info@achterhoek.example" in body


def test_a_footer_created_with_other_values_renders_every_page_again(
    pagecache, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from thuisnet.home.models import FooterSettings

    assert twice("/", django_capture_on_commit_callbacks) == ("miss", "hit")
    FooterSettings.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        FooterSettings.objects.create(
            site=Site.objects.get(is_default_site=True), organisation="Regio Twente"
        )
    response = Client().get("/")
    assert response["X-Cache"] == "miss"
    assert "Regio Twente" in response.content.decode()
