"""Rate limits: public forms and API writes per address and email, posts per user, atomically."""

from __future__ import annotations

import threading

import pytest
from rest_framework.test import APIClient

from foster.models import Prospect, Registration
from tests.race import errors, race
from thuisnet.core import ratelimit

LIMITS = {"foster.register.address": (4, 3600), "foster.register.email": (2, 3600)}


def _form(session, i, **changes):
    data = {
        "session": session.pk,
        "name": f"Bezoeker {i}",
        "email": f"bezoeker{i}@example.org",
        "phone": "06 12345678",
        "postcode": "7411",
        "attendees": "1",
        "interests": ["full_time"],
        "source": "website",
        "consent": "on",
    }
    data.update(changes)
    return data


def _api_body(i, **changes):
    return {
        "name": f"Bezoeker {i}",
        "email": f"bezoeker{i}@example.org",
        "postcode": "7411",
        "attendees": 1,
        "interests": ["full_time"],
        "source": "website",
        "consent": True,
        **changes,
    }


@pytest.mark.django_db
def test_the_registration_form_stops_a_flood_from_one_address_and_keeps_the_input(
    client, evening, session, settings, sent_mail
):
    settings.THUISNET_RATE_LIMITS = LIMITS
    for i in range(4):
        assert client.post(evening.url, _form(session, i)).status_code == 302
    response = client.post(evening.url, _form(session, 99, name="Laatste Bezoeker"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "te veel aanmeldingen" in html
    assert "Laatste Bezoeker" in html and "bezoeker99@example.org" in html  # input kept
    assert Registration.objects.count() == 4
    assert len(sent_mail()) == 4
    # Another address is not affected.
    other = client.post(evening.url, _form(session, 5), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_registration_form_limits_confirmations_to_one_email_address(
    client, evening, make_evening, settings
):
    settings.THUISNET_RATE_LIMITS = LIMITS
    pages = [evening, make_evening(title="Tweede avond"), make_evening(title="Derde avond")]
    codes = []
    for n, page in enumerate(pages):
        s = page.sessions.get()
        codes.append(
            client.post(
                page.url, _form(s, 1, email="slachtoffer@example.org"), REMOTE_ADDR=f"192.0.2.{n + 1}"
            ).status_code
        )
    assert codes == [302, 302, 400]
    assert Registration.objects.filter(email="slachtoffer@example.org").count() == 2


@pytest.mark.django_db
def test_a_changing_x_forwarded_for_does_not_escape_the_limit(client, evening, session, settings):
    settings.THUISNET_RATE_LIMITS = LIMITS
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [
        client.post(evening.url, _form(session, i), HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(6)
    ]
    assert codes == [302] * 4 + [400] * 2


@pytest.mark.django_db
def test_the_registration_api_answers_429_with_the_standard_error_body(session, settings):
    settings.THUISNET_RATE_LIMITS = LIMITS
    url = f"/api/v1/avonden/{session.pk}/aanmeldingen/"
    api = APIClient()
    codes = [api.post(url, _api_body(i), format="json").status_code for i in range(4)]
    assert codes == [201] * 4
    response = api.post(url, _api_body(9), format="json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited" and "te veel aanmeldingen" in body["message"]
    assert int(response["Retry-After"]) > 0
    assert Registration.objects.count() == 4


@pytest.mark.django_db
def test_the_vacancy_interest_form_is_limited_too(client, vacancy, settings):
    settings.THUISNET_RATE_LIMITS = {"foster.interest.address": (2, 3600)}
    url = f"/avonden/vacatures/{vacancy.pk}/interesse/"
    for i in range(2):
        client.post(url, {"name": "Tom", "email": f"tom{i}@example.org", "postcode": "7201", "consent": "on"})
    response = client.post(
        url, {"name": "Tom", "email": "tom9@example.org", "postcode": "7201", "consent": "on"}
    )
    assert response.status_code == 400 and "te veel aanmeldingen" in response.content.decode()
    assert Prospect.objects.filter(email="tom9@example.org").count() == 0


@pytest.mark.django_db
def test_api_writes_are_limited_per_user(parent, settings):
    from rest_framework.authtoken.models import Token

    settings.THUISNET_RATE_LIMITS = {"api.write.user": (3, 60)}
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=parent).key}")
    codes = [api.post("/api/v1/respite/bookings/", {}, format="json").status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]
    assert api.get("/api/v1/respite/bookings/").status_code == 200  # reads are not writes


@pytest.mark.django_db
def test_limits_can_be_switched_off_for_load_tests(client, evening, session, settings):
    settings.THUISNET_RATE_LIMITS = LIMITS
    settings.THUISNET_RATE_LIMITS_ENABLED = False
    assert all(client.post(evening.url, _form(session, i)).status_code == 302 for i in range(6))


@pytest.mark.django_db
@pytest.mark.parametrize("store", ["cache", "database"])
def test_counting_works_in_the_cache_and_in_the_database(settings, store):
    settings.THUISNET_RATE_LIMIT_STORE = store
    settings.THUISNET_RATE_LIMITS = {"login.pair": (3, 60)}
    verdicts = [ratelimit.hit("login.pair", "x") for _ in range(4)]
    assert [v.count for v in verdicts] == [1, 2, 3, 4]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert ratelimit.peek("login.pair", "x").count == 4
    ratelimit.reset("login.pair", "x")
    assert ratelimit.peek("login.pair", "x").count == 0
    assert ratelimit.peek("login.pair", "y").count == 0


def test_the_database_cache_uses_the_counter_table(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}
    assert ratelimit._store() == "database"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}
    assert ratelimit._store() == "cache"


# ---------------------------------------------------------------------- races (PG)


def _race(n, fn):
    """The exceptions of ``n`` simultaneous calls of ``fn()`` (``tests.race``)."""
    return errors(race(n, lambda _i: fn()))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_counter_counts_every_simultaneous_hit(settings):
    settings.THUISNET_RATE_LIMIT_STORE = "database"
    settings.THUISNET_RATE_LIMITS = {"foster.register.address": (5, 3600)}
    allowed = []
    errors = _race(
        20, lambda: allowed.append(ratelimit.hit("foster.register.address", "198.51.100.1").allowed)
    )
    assert errors == []
    assert sorted(allowed) == [False] * 15 + [True] * 5
    assert ratelimit.peek("foster.register.address", "198.51.100.1").count == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twelve_simultaneous_posts_store_only_the_six_allowed(parent):
    from knowledge import services
    from knowledge.models import Question

    counter = iter(range(100))
    lock = threading.Lock()

    def ask():
        with lock:
            i = next(counter)
        services.ask_question(
            parent,
            title=f"Vraag nummer {i} over het schoolkamp van ons kind",
            text="Het kamp is in juni.",
            theme="school",
            form_token=f"token-{i}",
        )

    errors = _race(12, ask)
    assert Question.objects.filter(author=parent).count() == 6
    assert len(errors) == 6
    assert all(getattr(e, "code", "") == "rate_limited" for e in errors)


def test_plus_tags_and_gmail_dots_count_as_one_mailbox():
    from thuisnet.core.ratelimit import mailbox

    assert mailbox(" Victim+1@Example.org ") == "victim@example.org"
    assert mailbox("victim+zzz@example.org") == "victim@example.org"
    assert mailbox("v.i.c.t.i.m+a@googlemail.com") == "victim@gmail.com"
    assert mailbox("not-an-address") == "not-an-address"


@pytest.mark.django_db
def test_varying_the_plus_tag_does_not_escape_the_per_email_limit(client, evening, make_evening, settings):
    settings.THUISNET_RATE_LIMITS = LIMITS
    pages = [evening, make_evening(title="Tweede avond"), make_evening(title="Derde avond")]
    codes = [
        client.post(
            page.url,
            _form(page.sessions.get(), 1, email=f"slachtoffer+{n}@example.org"),
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        ).status_code
        for n, page in enumerate(pages)
    ]
    assert codes == [302, 302, 400]
