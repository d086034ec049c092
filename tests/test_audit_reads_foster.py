"""Staff reads of prospective parents' personal data (name, email, phone, postcode) write
ONE audit row per request listing the records shown (issue 10, item 4): the prospect list
and page, an evening's registrations, the check-in list and the CSV export."""

from __future__ import annotations

import pytest
from django.utils import timezone

from foster.models import Prospect
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _mark() -> int:
    """The audit log is append-only: tests look at the rows written after this mark."""
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _reads(mark: int):
    return list(AuditLog.objects.filter(pk__gt=mark, action="read"))


@pytest.fixture
def prospects(region, provider, other_provider):
    today = timezone.localdate()
    return [
        Prospect.objects.create(
            region=region,
            provider=prov,
            family_form="full_time",
            name=f"Aspirant {i}",
            email=f"aspirant{i}@example.org",
            phone="06 12345678",
            postcode="7411",
            source="website",
            stage_date=today,
        )
        for i, prov in enumerate([provider, provider, other_provider])
    ]


def test_the_prospect_list_writes_one_row_listing_the_prospects_shown(login, staff, coordinator, prospects):
    mark = _mark()
    assert login(staff).get("/avonden/aspiranten/").status_code == 200
    (log,) = _reads(mark)
    assert log.actor == staff and log.object_type == "prospect"
    assert sorted(log.detail["refs"]) == sorted(str(p.pk) for p in prospects[:2])

    mark = _mark()
    assert login(coordinator).get("/avonden/aspiranten/").status_code == 200
    (log,) = _reads(mark)
    assert sorted(log.detail["refs"]) == sorted(str(p.pk) for p in prospects)


def test_opening_a_prospect_writes_one_row(login, staff, prospects):
    mark = _mark()
    assert login(staff).get(f"/avonden/aspiranten/{prospects[0].pk}/").status_code == 200
    (log,) = _reads(mark)
    assert (log.object_type, log.detail["refs"]) == ("prospect", [str(prospects[0].pk)])


def test_a_refused_prospect_is_not_logged_as_read(login, other_staff, prospects):
    mark = _mark()
    assert login(other_staff).get(f"/avonden/aspiranten/{prospects[0].pk}/").status_code == 403
    assert _reads(mark) == []


@pytest.mark.parametrize("suffix", ["", "inchecken/", "export.csv"])
def test_an_evenings_registrations_are_logged_once_per_request(login, staff, session, person, suffix):
    from foster import services

    regs = [services.register(session, person(i)).registration for i in range(3)]
    mark = _mark()
    response = login(staff).get(f"/avonden/beheer/{session.pk}/{suffix}")
    assert response.status_code == 200
    (log,) = _reads(mark)
    assert log.object_type == "registration" and log.actor == staff
    assert sorted(log.detail["refs"]) == sorted(str(r.pk) for r in regs)
