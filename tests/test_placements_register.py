"""Provider staff keep their placements in a form; every read is in the audit log."""

from __future__ import annotations

from datetime import date

import pytest

from foster.placements.models import Placement
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db

FORM = {
    "child_ref": "K-100",
    "carer_ref": "G-100",
    "placement_type": "regular",
    "schedule": "full_time",
    "age_band": "4-7",
    "municipality": "",
    "start_date": "2025-02-01",
    "end_date": "",
    "end_code": "",
    "end_reason": "",
}


def test_staff_add_a_placement_in_the_form(login, staff, provider):
    client = login(staff)
    response = client.post("/monitor/plaatsingen/nieuw/", FORM)
    assert response.status_code == 302
    p = Placement.objects.get()
    assert (p.provider, p.child_ref, p.start_date) == (provider, "K-100", date(2025, 2, 1))


def test_the_form_refuses_a_citizen_number_as_reference(login, staff, provider):
    client = login(staff)
    response = client.post("/monitor/plaatsingen/nieuw/", {**FORM, "child_ref": "123456782"})
    assert response.status_code == 200
    assert "pseudoniem" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_form_refuses_an_end_before_the_start_and_a_code_without_end(login, staff, provider):
    client = login(staff)
    response = client.post("/monitor/plaatsingen/nieuw/", {**FORM, "end_date": "2025-01-01"})
    assert "De einddatum ligt voor de startdatum." in response.content.decode()
    response = client.post("/monitor/plaatsingen/nieuw/", {**FORM, "end_code": "02"})
    assert "hoort bij een einddatum" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_form_refuses_a_second_entry_with_the_same_key(login, staff, make_placement):
    make_placement(date(2025, 2, 1), child_ref="K-100", carer_ref="G-100")
    response = login(staff).post("/monitor/plaatsingen/nieuw/", FORM)
    assert response.status_code == 200
    assert "staat al in het register" in response.content.decode()
    assert Placement.objects.count() == 1


def test_staff_record_the_end_of_a_placement(login, staff, make_placement):
    p = make_placement(date(2025, 2, 1))
    client = login(staff)
    response = client.post(
        f"/monitor/plaatsingen/{p.pk}/",
        {**FORM, "end_date": "2025-08-01", "end_code": "04", "end_reason": "carer_request"},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.end_date, p.end_code, p.end_reason) == (date(2025, 8, 1), "04", "carer_request")
    assert p.child_ref != "K-100"  # the key is not editable
    assert AuditLog.objects.filter(action="update", object_type="placement", object_ref=str(p.pk)).exists()


def test_the_register_lists_own_placements_and_logs_the_read(login, staff, make_placement, other_provider):
    make_placement(date(2025, 1, 1), child_ref="K-EIGEN")
    make_placement(date(2025, 1, 1), child_ref="K-ANDER", provider=other_provider)
    response = login(staff).get("/monitor/plaatsingen/")
    body = response.content.decode()
    assert "K-EIGEN" in body and "K-ANDER" not in body
    log = AuditLog.objects.get(object_type="placement_list")
    assert log.actor == staff and log.action == "read"


def test_other_providers_staff_cannot_open_a_placement(login, other_staff, make_placement):
    p = make_placement(date(2025, 1, 1))
    assert login(other_staff).get(f"/monitor/plaatsingen/{p.pk}/").status_code == 403


def test_coordinators_never_see_rows(login, coordinator, make_placement):
    p = make_placement(date(2025, 1, 1))
    client = login(coordinator)
    assert client.get("/monitor/plaatsingen/").status_code == 403
    assert client.get(f"/monitor/plaatsingen/{p.pk}/").status_code == 403
    assert client.get("/monitor/import/").status_code == 403
