"""Idempotency keys: scoped to the caller, bound to the request, safe under concurrent replay."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from foster.models import Registration
from respite.models import Booking
from thuisnet.core import idempotency
from thuisnet.core.models import IdempotencyRecord

BODY = {
    "name": "Anna de Vries",
    "email": "anna@example.org",
    "postcode": "7411",
    "attendees": 2,
    "interests": ["full_time"],
    "source": "website",
    "consent": True,
}


def _url(session) -> str:
    return f"/api/v1/avonden/{session.pk}/aanmeldingen/"


def _token_client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _booking_body(offer, start, ref="K1"):
    return {
        "offer": offer.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(days=1)).isoformat(),
        "child": {"ref": ref, "age": 9, "needs": ["behaviour"]},
    }


# ------------------------------------------------------------------ scoped to the caller


@pytest.mark.django_db
def test_two_anonymous_clients_with_one_key_never_get_each_others_answer(session):
    key = {"Idempotency-Key": "shared-key-1"}
    anna = APIClient().post(_url(session), BODY, format="json", headers=key)
    bob_body = {**BODY, "name": "Bob Jansen", "email": "bob@example.org", "attendees": 1}
    bob = APIClient().post(_url(session), bob_body, format="json", headers=key)
    assert anna.status_code == bob.status_code == 201
    assert "Idempotent-Replayed" not in bob
    assert set(Registration.objects.values_list("email", flat=True)) == {
        "anna@example.org",
        "bob@example.org",
    }


@pytest.mark.django_db
def test_anonymous_clients_with_a_client_token_are_kept_apart(session):
    anna = {"Idempotency-Key": "k", "Idempotency-Client": "anna-device-0123456789"}
    bob = {"Idempotency-Key": "k", "Idempotency-Client": "bob-device-9876543210"}
    assert APIClient().post(_url(session), BODY, format="json", headers=anna).status_code == 201
    bob_body = {**BODY, "email": "bob@example.org"}
    assert APIClient().post(_url(session), bob_body, format="json", headers=bob).status_code == 201
    assert Registration.objects.count() == 2
    # Anna's own retry is a replay.
    again = APIClient().post(_url(session), BODY, format="json", headers=anna)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_a_short_client_token_is_refused(session):
    headers = {"Idempotency-Key": "k", "Idempotency-Client": "abc"}
    response = APIClient().post(_url(session), BODY, format="json", headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid_idempotency_client"


@pytest.mark.django_db
def test_two_users_with_one_key_each_get_their_own_booking(parent, support_parent, offer, next_week):
    key = {"Idempotency-Key": "same"}
    a = _token_client(parent).post(
        "/api/v1/respite/bookings/", _booking_body(offer, next_week), format="json", headers=key
    )
    b = _token_client(support_parent).post(
        "/api/v1/respite/bookings/", _booking_body(offer, next_week, "K2"), format="json", headers=key
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert Booking.objects.count() == 2


# -------------------------------------------------------------- bound to the request


@pytest.mark.django_db
def test_a_key_reused_with_another_body_answers_422(parent, offer, next_week):
    api = _token_client(parent)
    key = {"Idempotency-Key": "once-only"}
    first = api.post("/api/v1/respite/bookings/", _booking_body(offer, next_week), format="json", headers=key)
    assert first.status_code == 201
    other = _booking_body(offer, next_week + timedelta(days=1), "K9")
    response = api.post("/api/v1/respite/bookings/", other, format="json", headers=key)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "nieuwe sleutel" in response.json()["message"]
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_an_anonymous_key_with_a_client_token_and_another_body_answers_422(session):
    headers = {"Idempotency-Key": "k1", "Idempotency-Client": "device-abcdefghijklmnop"}
    assert APIClient().post(_url(session), BODY, format="json", headers=headers).status_code == 201
    other = {**BODY, "email": "iemand-anders@example.org"}
    response = APIClient().post(_url(session), other, format="json", headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_booking_is_not_a_replay(parent, staff, with_totp, offer, next_week, book):
    with_totp(staff)
    first, second = book(parent, offer, next_week), book(parent, offer, next_week + timedelta(days=1))
    api = _token_client(staff)
    key = {"Idempotency-Key": "accept-1"}
    assert api.post(f"/api/v1/respite/bookings/{first.pk}/accept/", headers=key).status_code == 200
    response = api.post(f"/api/v1/respite/bookings/{second.pk}/accept/", headers=key)
    assert response.status_code == 422
    assert Booking.objects.get(pk=second.pk).status == "requested"


@pytest.mark.django_db
def test_a_replay_with_the_same_body_in_another_key_order_is_a_replay(parent, offer, next_week):
    api = _token_client(parent)
    body = _booking_body(offer, next_week)
    key = {"Idempotency-Key": "order"}
    first = api.post("/api/v1/respite/bookings/", body, format="json", headers=key)
    reordered = dict(reversed(list(body.items())))
    again = api.post("/api/v1/respite/bookings/", reordered, format="json", headers=key)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_failed_first_attempt_is_not_stored(parent, make_offer, next_week):
    offer = make_offer(capacity=1)
    other = _token_client(parent)
    other.post("/api/v1/respite/bookings/", _booking_body(offer, next_week, "K0"), format="json")
    api = _token_client(parent)
    key = {"Idempotency-Key": "retry-me"}
    full = api.post("/api/v1/respite/bookings/", _booking_body(offer, next_week), format="json", headers=key)
    assert full.status_code == 409
    assert not IdempotencyRecord.objects.filter(key="retry-me").exists()


def test_fingerprints_ignore_key_order_but_not_values():
    a = idempotency.fingerprint("post", "/x/", {"a": 1, "b": [1, 2]})
    assert a == idempotency.fingerprint("POST", "/x/", {"b": [1, 2], "a": 1})
    assert a != idempotency.fingerprint("POST", "/x/", {"a": 1, "b": [2, 1]})
    assert a != idempotency.fingerprint("POST", "/y/", {"a": 1, "b": [1, 2]})
    assert a != idempotency.fingerprint("PUT", "/x/", {"a": 1, "b": [1, 2]})


# ------------------------------------------------------------- concurrent replay (PG)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_replays_of_a_booking_all_get_the_first_201(parent, make_offer, next_week):
    from django.db import connection

    offer = make_offer(capacity=1)
    token = Token.objects.get_or_create(user=parent)[0].key
    body = _booking_body(offer, next_week)
    n = 10
    barrier = threading.Barrier(n)
    answers, errors = [], []

    def run():
        try:
            c = APIClient()
            c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait()
            r = c.post("/api/v1/respite/bookings/", body, format="json", headers={"Idempotency-Key": "race"})
            answers.append((r.status_code, r.json()))
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Booking.objects.count() == 1
    booking = Booking.objects.get()
    assert [status for status, _ in answers] == [201] * n
    assert {body["id"] for _, body in answers} == {booking.pk}
