"""Every staff read of placement rows writes ONE audit row per request, listing the
placements shown (issue 10, item 4): pages, the API list, the Django admin."""

from __future__ import annotations

from datetime import date

import pytest

from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _mark() -> int:
    """The audit log is append-only: tests look at the rows written after this mark."""
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def placements(make_placement, other_provider):
    own = [make_placement(date(2025, 1, 1 + i)) for i in range(5)]
    make_placement(date(2025, 1, 1), provider=other_provider, child_ref="K-ANDER")
    return own


def test_the_register_writes_one_row_listing_every_placement_shown(login, staff, placements):
    mark = _mark()
    response = login(staff).get("/monitor/plaatsingen/")
    assert response.status_code == 200
    (log,) = AuditLog.objects.filter(pk__gt=mark, action="read")
    assert log.actor == staff and log.object_type == "placement_list"
    assert sorted(log.detail["refs"]) == sorted(str(p.pk) for p in placements)


def test_the_api_list_writes_one_row_listing_the_placements_in_the_response(login, staff, placements):
    mark = _mark()
    response = login(staff).get("/api/v1/placements/?provider=pleegzorg-ijsselland&limit=3")
    assert response.status_code == 200
    shown = [str(r["id"]) for r in response.json()["results"]]
    (log,) = AuditLog.objects.filter(pk__gt=mark, action="read")
    assert log.detail["refs"] == shown and len(shown) == 3
    assert log.detail["path"] == "/api/v1/placements/"


def test_opening_one_placement_writes_one_row(login, staff, placements):
    mark = _mark()
    assert login(staff).get(f"/monitor/plaatsingen/{placements[0].pk}/").status_code == 200
    (log,) = AuditLog.objects.filter(pk__gt=mark, action="read")
    assert log.object_type == "placement" and log.detail["refs"] == [str(placements[0].pk)]


def test_the_api_list_refuses_unknown_filter_values(login, staff, placements):
    client = login(staff)
    for query in ("type=pony", "status=kwijt"):
        response = client.get(f"/api/v1/placements/?provider=pleegzorg-ijsselland&{query}")
        assert response.status_code == 422, query
        assert response.json()["code"] == "invalid"
        assert list(response.json()["errors"]) == [query.split("=")[0]]
    ok = client.get("/api/v1/placements/?provider=pleegzorg-ijsselland&status=open&type=regular")
    assert ok.status_code == 200 and ok.json()["count"] == 5


def test_the_django_admin_lists_only_what_the_policy_allows_and_logs_it(
    client, admin_user, staff, placements
):
    """Administrators are not provider staff: the policy shows them no rows, here too."""
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from foster.placements.models import Placement

    admin = site._registry[Placement]
    request = RequestFactory().get("/django-admin/placements/placement/")
    request.user = admin_user
    assert not admin.get_queryset(request).exists()
    request.user = staff
    assert set(admin.get_queryset(request)) == set(placements)


def test_the_api_answer_to_a_write_is_logged_as_a_read(login, staff, municipalities):
    body = {
        "provider": "pleegzorg-ijsselland",
        "child_ref": "K-NIEUW",
        "carer_ref": "G-NIEUW",
        "placement_type": "regular",
        "age_band": "8-11",
        "start_date": "2025-03-01",
    }
    mark = _mark()
    response = login(staff).post("/api/v1/placements/", body, content_type="application/json")
    assert response.status_code == 201
    (log,) = AuditLog.objects.filter(pk__gt=mark, action="read")
    assert log.object_type == "placement" and log.detail["refs"] == [str(response.json()["id"])]
