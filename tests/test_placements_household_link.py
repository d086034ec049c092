"""A placement's household (one of the provider's own in Thuisnet) through the API and the
import file; any other household is refused with a Dutch message."""

from __future__ import annotations

import pytest

from foster.placements import services
from foster.placements.models import Placement

pytestmark = pytest.mark.django_db

BODY = {
    "provider": "pleegzorg-ijsselland",
    "child_ref": "K-HH-1",
    "carer_ref": "G-1",
    "placement_type": "regular",
    "age_band": "8-11",
    "start_date": "2025-03-01",
}
HEADER = ";".join(services.COLUMNS)
ROW = "K-HH-1;G-1;regulier;voltijd;8-11;Deventer;2025-01-10;;;;;;;;;{household}"


def test_staff_link_their_own_household_through_the_api_and_read_it_back(
    login, staff, provider, municipalities, parent
):
    client = login(staff)
    body = {**BODY, "household": parent.household.pk}
    created = client.post("/api/v1/placements/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["household"] == parent.household.pk
    assert Placement.objects.get(child_ref="K-HH-1").household_id == parent.household.pk
    listed = client.get("/api/v1/placements/?provider=pleegzorg-ijsselland").json()["results"]
    assert listed[0]["household"] == parent.household.pk
    # Sent again without a household: the link is removed (the POST is the whole placement).
    again = client.post("/api/v1/placements/", {**BODY, "household": None}, content_type="application/json")
    assert again.status_code == 200 and again.json()["household"] is None


@pytest.mark.parametrize("which", ["other_provider", "missing"])
def test_the_api_refuses_a_household_that_is_not_the_providers_own(
    login, staff, provider, municipalities, support_parent, which
):
    pk = support_parent.household.pk if which == "other_provider" else 999_999
    response = login(staff).post(
        "/api/v1/placements/", {**BODY, "household": pk}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    # The same answer for another provider's household and for one that does not exist.
    assert body["errors"]["household"] == ["Dit is geen gezin van je eigen organisatie in Thuisnet."]
    assert not Placement.objects.exists()


def test_the_import_links_the_providers_own_household_by_its_id(provider, municipalities, parent):
    content = ("\n".join([HEADER, ROW.format(household=parent.household.pk)]) + "\n").encode()
    result = services.import_file(provider, "p.csv", content)
    assert result.ok, result.errors
    assert Placement.objects.get(child_ref="K-HH-1").household_id == parent.household.pk
    # The same file again changes nothing; a file without the column leaves the link alone.
    assert services.import_file(provider, "p.csv", content).unchanged == 1
    old_header = ";".join(services.BASE_COLUMNS)
    old = ("\n".join([old_header, "K-HH-1;G-1;regulier;voltijd;8-11;Deventer;2025-01-10;;;"]) + "\n").encode()
    assert services.import_file(provider, "old.csv", old).ok
    assert Placement.objects.get(child_ref="K-HH-1").household_id == parent.household.pk
    # An empty cell in the column removes the link.
    empty = ("\n".join([HEADER, ROW.format(household="")]) + "\n").encode()
    assert services.import_file(provider, "p.csv", empty).updated == 1
    assert Placement.objects.get(child_ref="K-HH-1").household_id is None


@pytest.mark.parametrize("value", ["other", "999999", "abc"])
def test_the_import_refuses_a_household_that_is_not_the_providers_own(
    provider, municipalities, support_parent, value
):
    household = support_parent.household.pk if value == "other" else value
    content = ("\n".join([HEADER, ROW.format(household=household)]) + "\n").encode()
    result = services.import_file(provider, "p.csv", content)
    assert not result.ok
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "gezin_id", "Dit is geen gezin van je eigen organisatie in Thuisnet.")
    ]
    assert not Placement.objects.exists()


def test_the_template_has_the_household_column_and_still_saves_nothing(provider, municipalities):
    assert services.COLUMNS[-1] == "gezin_id"
    result = services.import_file(provider, "sjabloon.csv", services.template_csv())
    assert result.examples == 2 and not Placement.objects.exists()


def test_the_register_form_shows_the_number_the_file_and_the_api_use(provider, parent):
    from foster.placements.forms import PlacementForm

    form = PlacementForm(provider=provider)
    labels = [label for _value, label in form.fields["household"].choices]
    assert f"Gezin Jansen (nummer {parent.household.pk})" in labels


def test_the_import_page_documents_the_household_column(login, staff, provider):
    body = login(staff).get("/monitor/import/").content.decode()
    assert "<code>gezin_id</code>" in body and "<code>gezin_ondersteund</code>" in body
