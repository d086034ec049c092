"""The anonymous page cache (issue 14, item 2): served, invalidated exactly, never shared."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def pagecache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SEATS_TTL = 60  # the test proves invalidation, not the time bound
    cache.clear()
    yield
    cache.clear()


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.content.decode()


def test_it_serves_the_second_anonymous_request_from_the_cache(pagecache, home_page, client):
    first, body1 = get(client, "/")
    second, body2 = get(Client(), "/")
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert "Ieder kind een thuis, dichtbij" in body2
    assert TOKEN.sub("", body1) == TOKEN.sub("", body2)
    assert "@@thuisnet-pagecache" not in body2
    assert "Cookie" in second["Vary"]


def test_it_renders_again_when_a_page_is_published(
    pagecache, evening, client, django_capture_on_commit_callbacks
):
    url = evening.url
    get(client, url)
    assert get(Client(), url)[0]["X-Cache"] == "hit"
    evening.title = "Informatieavond in het voorjaar"
    with django_capture_on_commit_callbacks(execute=True):
        evening.save_revision().publish()
    response, body = get(Client(), url)
    assert response["X-Cache"] == "miss"
    assert "Informatieavond in het voorjaar" in body


def test_it_drops_a_page_when_it_is_unpublished(
    pagecache, evening, evening_index, client, django_capture_on_commit_callbacks
):
    get(client, evening.url)
    overview, body = get(Client(), evening_index.url)
    assert evening.title in body
    with django_capture_on_commit_callbacks(execute=True):
        evening.unpublish()
    assert Client().get(evening.url).status_code == 404
    response, body = get(Client(), evening_index.url)
    assert response["X-Cache"] == "miss"
    assert evening.title not in body


def test_it_shows_the_new_seat_badge_after_a_registration(
    pagecache, make_evening, person, client, django_capture_on_commit_callbacks
):
    from foster.services import register
    from thuisnet.core.pagecache import invalidate

    evening = make_evening(capacity=2)
    _response, body = get(client, evening.url)
    assert "Nog 2 plaatsen vrij" in body
    assert get(Client(), evening.url)[0]["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        register(evening.sessions.get(), person(1, attendees=2))
        invalidate("evenings")  # the foster services call it too; harmless twice
    response, body = get(Client(), evening.url)
    assert response["X-Cache"] == "miss"
    assert "Nog 2 plaatsen vrij" not in body
    assert "Vol: je kunt op de wachtlijst" in body


def test_the_registration_service_itself_invalidates_the_evening_pages(
    pagecache, make_evening, person, client, django_capture_on_commit_callbacks
):
    from foster.services import register

    evening = make_evening(capacity=2)
    get(client, evening.url)
    with django_capture_on_commit_callbacks(execute=True):
        register(evening.sessions.get(), person(1, attendees=2))
    response, body = get(Client(), evening.url)
    assert response["X-Cache"] == "miss"
    assert "Vol: je kunt op de wachtlijst" in body


def test_it_renders_again_when_an_answer_is_accepted(
    pagecache,
    make_article,
    make_question,
    make_answer,
    parent,
    support_parent,
    client,
    django_capture_on_commit_callbacks,
):
    from knowledge.services import accept_answer

    article = make_article()
    get(client, article.url)
    assert get(Client(), article.url)[0]["X-Cache"] == "hit"
    question = make_question(parent)
    answer = make_answer(question, support_parent)
    with django_capture_on_commit_callbacks(execute=True):
        accept_answer(parent, answer)
    assert get(Client(), article.url)[0]["X-Cache"] == "miss"


def test_a_change_inside_a_rolled_back_transaction_keeps_the_cache(pagecache, evening, client):
    from django.db import transaction

    from thuisnet.core.pagecache import invalidate

    get(client, evening.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        invalidate("evenings")
        raise RuntimeError
    assert get(Client(), evening.url)[0]["X-Cache"] == "hit"


def test_a_signed_in_user_never_gets_or_fills_a_cached_page(pagecache, evening, parent, client):
    signed_in = Client()
    signed_in.force_login(parent)
    for _ in range(2):
        response, body = get(signed_in, evening.url)
        assert response["X-Cache"] == "bypass"
        assert "Uitloggen" in body
    response, body = get(client, evening.url)
    assert response["X-Cache"] == "miss"  # the signed-in visits stored nothing
    assert "Uitloggen" not in body
    get(Client(), evening.url)
    response, body = get(signed_in, evening.url)
    assert response["X-Cache"] == "bypass"  # and an anonymous copy is never served to them
    assert "Uitloggen" in body


def test_it_never_shares_a_csrf_token_or_cookie_between_visitors(pagecache, evening):
    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    first, second = Client(), Client()
    r1, body1 = get(first, evening.url)
    r2, body2 = get(second, evening.url)
    assert (r1["X-Cache"], r2["X-Cache"]) == ("miss", "hit")
    secret1 = r1.cookies[settings.CSRF_COOKIE_NAME].value
    secret2 = r2.cookies[settings.CSRF_COOKIE_NAME].value
    assert secret1 != secret2
    tokens1, tokens2 = TOKEN.findall(body1), TOKEN.findall(body2)
    assert tokens1 and len(tokens1) == len(tokens2)
    assert {_unmask_cipher_token(t) for t in tokens1} == {secret1}
    assert {_unmask_cipher_token(t) for t in tokens2} == {secret2}
    # The registration form's one-time token is the visitor's own too.
    form1, form2 = FORM_TOKEN.findall(body1), FORM_TOKEN.findall(body2)
    assert form1 and form2 and not set(form1) & set(form2)
    # A visitor who already holds a csrftoken keeps it on a hit.
    r3, body3 = get(first, evening.url)
    assert r3["X-Cache"] == "hit"
    assert {_unmask_cipher_token(t) for t in TOKEN.findall(body3)} == {secret1}


def test_a_page_without_a_form_costs_a_visitor_no_csrf_cookie(pagecache, home_page):
    """The language switch is a link: the home page has no form, so neither the visitor who
    filled the cache nor the one served from it gets a token or a csrftoken cookie."""
    from django.conf import settings

    for expected in ("miss", "hit"):
        response, body = get(Client(), "/")
        assert response["X-Cache"] == expected
        assert "csrfmiddlewaretoken" not in body
        assert settings.CSRF_COOKIE_NAME not in response.cookies
        assert 'href="/taal/en/?next=/"' in body


def test_two_visitors_can_each_post_the_cached_form(pagecache, evening):
    """A hit's CSRF token and one-time form token belong to that visitor (CSRF checks on):
    two visitors of the same cached copy both register, neither is taken for a replay."""
    from foster.models import Registration

    get(Client(), evening.url)
    session = evening.sessions.get()
    for i in (1, 2):
        visitor = Client(enforce_csrf_checks=True)
        response, body = get(visitor, evening.url)
        assert response["X-Cache"] == "hit"
        response = visitor.post(
            evening.url,
            {
                "csrfmiddlewaretoken": TOKEN.search(body).group(1),
                "form_token": FORM_TOKEN.search(body).group(1),
                "session": session.pk,
                "name": f"Bezoeker {i}",
                "email": f"bezoeker{i}@example.org",
                "attendees": 1,
                "interests": ["full_time"],
                "postcode": "7411",
                "source": "website",
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[-3000:]
    assert Registration.objects.filter(session=session).count() == 2


def test_a_response_that_sets_a_cookie_is_never_stored(pagecache, home_page, monkeypatch, client):
    from thuisnet.home.models import HomePage

    serve = HomePage.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        response.set_cookie("visitor", "someone")
        return response

    monkeypatch.setattr(HomePage, "serve", serve_with_cookie)
    assert get(client, "/")[0]["X-Cache"] == "pass"
    assert get(Client(), "/")[0]["X-Cache"] == "pass"


def test_a_visitor_with_a_session_or_messages_bypasses_the_cache(pagecache, home_page):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.session import SessionStorage

    visitor = Client()
    session = visitor.session
    session[SessionStorage.session_key] = [["__json_message", 0, constants.SUCCESS, "Je bent afgemeld."]]
    session.save()
    visitor.cookies["sessionid"] = session.session_key
    response, _body = get(visitor, "/")
    assert response["X-Cache"] == "bypass"
    assert get(Client(), "/")[0]["X-Cache"] == "miss"


def test_each_language_gets_its_own_copy(pagecache, home_page, settings):
    dutch, english = Client(), Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r_nl, body_nl = get(dutch, "/")
    r_en, body_en = get(english, "/")
    assert (r_nl["X-Cache"], r_en["X-Cache"]) == ("miss", "miss")
    assert '<html lang="nl">' in body_nl and '<html lang="en">' in body_en
    again = Client()
    again.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r, body = get(again, "/")
    assert r["X-Cache"] == "hit" and '<html lang="en">' in body


def test_unknown_query_strings_and_posts_bypass_the_cache(pagecache, evening_index, client):
    get(client, evening_index.url)
    assert get(Client(), evening_index.url + "?utm_source=mail")[0]["X-Cache"] == "bypass"
    assert get(Client(), evening_index.url + "?tab=eerder")[0]["X-Cache"] == "miss"
    assert get(Client(), evening_index.url + "?tab=eerder")[0]["X-Cache"] == "hit"


def test_the_region_feed_is_cached_and_follows_the_evenings(
    pagecache, evening, region, client, django_capture_on_commit_callbacks
):
    from thuisnet.core.pagecache import invalidate

    url = f"/avonden/agenda/{region.slug}.ics"
    first, body = get(client, url)
    assert first["X-Cache"] == "miss" and "BEGIN:VCALENDAR" in body
    second, _ = get(Client(), url)
    assert second["X-Cache"] == "hit"
    assert second["Content-Type"].startswith("text/calendar")
    with django_capture_on_commit_callbacks(execute=True):
        invalidate("evenings")
    assert get(Client(), url)[0]["X-Cache"] == "miss"


def test_turned_off_nothing_is_cached(settings, home_page, client):
    settings.PAGE_CACHE_ENABLED = False
    response, _ = get(client, "/")
    assert "X-Cache" not in response
