"""Core helpers every app relies on: PII spotting, .ics files, idempotency, API errors, logs."""

import json
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from thuisnet.core.ics import IcsEvent, build_calendar
from thuisnet.core.idempotency import once
from thuisnet.core.logging import JsonFormatter
from thuisnet.core.pii import explain, find_identifiers, is_valid_bsn

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    "number,valid",
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
    ],
)
def test_it_applies_the_eleven_test_to_citizen_numbers(number, valid):
    assert is_valid_bsn(number) is valid


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("Mijn pleegzoon (bsn 111 222 333) mag niet mee op kamp", {"bsn"}),
        ("Bel me op 06-12345678", {"phone"}),
        ("Bel me op +31 6 1234 5678", {"phone"}),
        ("Mail naar ouder@example.org", {"email"}),
        ("Hij is 9 jaar en houdt van voetbal, we wonen bij 7415", set()),
        ("De vergoeding is 123456789 cent", set()),
    ],
)
def test_it_spots_identifying_data(text, kinds):
    assert {f.kind for f in find_identifiers(text)} == kinds


def test_it_explains_in_dutch_why_text_is_held():
    message = explain(find_identifiers("bsn 111222333, 06-12345678"))
    assert "burgerservicenummer" in message and "telefoonnummer" in message


def test_calendar_files_carry_a_stable_uid_and_amsterdam_time():
    start = datetime(2026, 3, 28, 19, 30, tzinfo=AMS)
    event = IcsEvent(
        uid="evening-7@thuisnet.example",
        summary="Informatieavond pleegzorg",
        start=start,
        end=start + timedelta(hours=2),
        location="Deventer",
    )
    cal = icalendar.Calendar.from_ical(build_calendar([event]))
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["UID"]) == "evening-7@thuisnet.example"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent.decoded("DTSTART") == start
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"


def test_calendar_times_must_be_aware():
    with pytest.raises(ValueError):
        build_calendar(
            [IcsEvent(uid="x", summary="x", start=datetime(2026, 1, 1), end=datetime(2026, 1, 1, 1))]
        )


@pytest.mark.django_db
def test_a_replayed_key_returns_the_first_answer_and_does_the_work_once():
    calls = []

    def produce():
        calls.append(1)
        return 201, {"id": len(calls)}

    assert once("test", "key-1", "user:1", produce) == (201, {"id": 1})
    assert once("test", "key-1", "user:1", produce) == (201, {"id": 1})
    assert once("test", "key-1", "user:2", produce) == (201, {"id": 2})  # keys are per caller
    assert len(calls) == 2


def test_json_logs_are_one_object_per_line():
    record = logging.LogRecord("thuisnet", logging.INFO, __file__, 1, "booking %s", ("made",), None)
    record.booking_id = 7
    line = JsonFormatter().format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["message"] == "booking made" and payload["booking_id"] == 7


@pytest.mark.django_db
def test_the_api_answers_errors_with_a_code_and_a_dutch_message(client):
    response = client.get("/api/v1/respite/offers/?start=2026-01-01&end=2026-01-02")
    assert response.status_code in (401, 403, 404) or response.status_code == 200
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_openapi_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
