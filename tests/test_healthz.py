"""/healthz: plain HTTP, any Host, 503 when the database or (in production) the worker is down."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from thuisnet.core.jobs import beat
from thuisnet.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.ALLOWED_HOSTS = ["thuisnet.example"]
    settings.HEALTHZ_REQUIRE_WORKER = True
    return settings


def test_it_answers_plain_http_from_inside_the_network(client, production_like):
    beat("web-test")
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_other_pages_still_redirect_to_https(client, production_like):
    response = client.get("/", HTTP_HOST="thuisnet.example")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_it_answers_503_when_the_worker_has_been_silent(client, production_like):
    beat("web-test")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 503
    assert response.json()["worker"]["stale"] is True


def test_it_answers_503_when_no_worker_ever_ran(client, production_like):
    assert client.get("/healthz").status_code == 503


def test_a_silent_worker_is_only_reported_where_not_required(client, settings):
    settings.HEALTHZ_REQUIRE_WORKER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"]["stale"] is True


def test_it_answers_503_when_the_database_is_down(client, production_like):
    with mock.patch(
        "thuisnet.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_the_favicon_is_there(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/thuisnet/img/favicon.ico")
