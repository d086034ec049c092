"""Respite forms keep their input: errors at the field and in the summary, one message, the
calendar on the current month, the emergency reserve explained, Dutch wording, narrow tables."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_an_empty_availability_form_marks_the_fields_and_keeps_the_input(login, staff, offer):
    client = login(staff)
    r = client.post(
        f"/respijt/beheer/aanbod/{offer.pk}/beschikbaarheid/", {"repeat": "weekly", "start_time": "17:00"}
    )
    assert r.status_code == 422
    html = _text(r)
    assert 'class="error-summary"' in html
    assert re.search(
        r'id="id_start_date"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_start_date"', html
    )
    assert html.count("Dit is een verplicht veld.") >= 2  # at the field and in the summary
    assert (
        'value="weekly" selected' in html or 'value="weekly"\n' in html or 'selected value="weekly"' in html
    )
    # No flash message doubling the errors (they are on the page itself).
    assert not list(r.context["messages"])


def test_an_impossible_period_is_shown_at_the_end_date(login, staff, offer):
    client = login(staff)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    r = client.post(
        f"/respijt/beheer/aanbod/{offer.pk}/beschikbaarheid/",
        {"start_date": day, "start_time": "17:00", "end_date": day, "end_time": "09:00", "repeat": "once"},
    )
    assert r.status_code == 422
    assert r.context["pattern_form"].errors["end_date"] == ["Het einde moet na het begin liggen."]
    assert f'value="{day}"' in _text(r)


def test_a_refused_request_shows_the_reason_at_the_field_and_keeps_the_child(
    client, parent, offer, next_week
):
    client.force_login(parent)
    r = client.get(f"/respijt/aanbod/{offer.pk}/")
    token = r.context["form"].initial["form_token"]
    r = client.post(
        f"/respijt/aanbod/{offer.pk}/aanvragen/",
        {
            "start": next_week.isoformat(),
            "end": next_week.isoformat(),
            "child_ref": "K7",
            "child_age": "9",
            "needs": ["autism"],
            "form_token": token,
        },
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert "end" in form.errors  # "De vertrekdatum moet na de aankomstdatum liggen."
    html = _text(r)
    assert 'value="K7"' in html and 'value="autism"' in html and "checked" in html


def test_the_calendar_opens_on_the_current_month_for_a_past_start(client, offer):
    today = timezone.localdate()
    r = client.get(f"/respijt/aanbod/{offer.pk}/?start={(today - timedelta(days=60)).isoformat()}")
    assert (r.context["month"].year, r.context["month"].month) == (today.year, today.month)
    r = client.get(f"/respijt/aanbod/{offer.pk}/")
    assert (r.context["month"].year, r.context["month"].month) == (today.year, today.month)


def test_the_emergency_reserve_is_explained_where_capacity_is_shown(client, make_offer, agreement):
    agreement.emergency_share = 25
    agreement.save()
    offer = make_offer(capacity=4)
    html = _text(client.get(f"/respijt/aanbod/{offer.pk}/"))
    assert 'id="reserve-note"' in html
    assert "houdt de regio er 1 vrij voor crisisopvang" in html and "hoogstens 3 plaatsen vrij" in html


def test_no_reserve_no_explanation(client, offer):
    assert 'id="reserve-note"' not in _text(client.get(f"/respijt/aanbod/{offer.pk}/"))


def test_search_results_speak_of_aanbod_and_plaatsen_vrij(client, offer, next_week):
    url = f"/respijt/?start={next_week}&end={next_week + timedelta(days=1)}"
    html = _text(client.get(url))
    assert "Aanbod met plaatsen vrij: 1" in html and "2 plaatsen vrij" in html
    assert "aanbiedingen" not in html
    empty = _text(
        client.get(
            f"/respijt/?start={next_week}&end={next_week + timedelta(days=1)}&age=17&kind=support_family"
        )
    )
    assert "Geen aanbod met plaatsen vrij" in empty and "0 aanbiedingen" not in empty


def test_host_family_choice_lists_only_households_verified_by_the_provider(
    login, staff, provider, other_provider, region, municipalities
):
    from tests.conftest import _household, _make_user

    mine = _make_user("gastgezin@example.org", region, full_name="Gastgezin Mulder")
    mine.household = _household(region, municipalities["deventer"], "foster", "Gezin Mulder", provider)
    mine.save()
    unverified = _make_user("nieuw@example.org", region, full_name="Nog Niet Bevestigd")
    unverified.household = _household(
        region, municipalities["deventer"], "foster", "Gezin N", provider, verified=False
    )
    unverified.save()
    other = _make_user("ander@example.org", region, full_name="Van Een Ander")
    other.household = _household(region, municipalities["apeldoorn"], "foster", "Gezin A", other_provider)
    other.save()
    client = login(staff)
    choices = list(client.get("/respijt/beheer/aanbod/nieuw/").context["form"].fields["host_user"].queryset)
    assert choices == [mine]


def test_my_bookings_table_stacks_with_labelled_cells(client, parent, offer, book, next_week):
    book(parent, offer, next_week)
    client.force_login(parent)
    html = _text(client.get("/respijt/mijn-aanvragen/"))
    assert 'class="stack-table"' in html and 'data-label="Status"' in html
