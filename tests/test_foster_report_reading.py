"""Issue 15 items 4 (attendance per kind, organiser checkboxes) and 6 (the report reads at a
glance), and the accessibility leftovers of the organiser screens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from foster import selectors, services
from foster.models import EveningPage, EveningSession, Prospect

pytestmark = pytest.mark.django_db


def _register_many(session, person, n, start=0, **changes):
    return [services.register(session, person(start + i, **changes)).registration for i in range(n)]


def test_the_funnel_bars_carry_their_labels_and_values(login, coordinator, session, person):
    _register_many(session, person, 12)
    html = login(coordinator).get("/avonden/rapportage/").content.decode()
    bars = re.search(r'<ul class="funnel-bars".*?</ul>', html, re.S).group(0)
    rows = re.findall(r'funnel-bars__label">([^<]+)</span>.*?funnel-bars__value">([^<]+)</span>', bars, re.S)
    assert rows[0] == ("Aangemeld", "12")
    assert ("Avond bezocht", "0") in rows
    assert bars.count("<rect") == 1  # only the shown count has a bar; "<10" and 0 have none


def test_registrations_without_a_municipality_are_shown_as_onbekend(login, coordinator, session, person):
    _register_many(session, person, 11, postcode="")
    _register_many(session, person, 10, start=50)  # 7411: Deventer
    html = login(coordinator).get("/avonden/rapportage/").content.decode()
    table = html.split("Per gemeente</caption>")[1].split("</table>")[0]
    assert "<em>onbekend</em>" in table and ">-<" not in table


def test_every_table_region_has_its_own_label(login, coordinator, staff, session, person):
    _register_many(session, person, 2)
    for user, url, n in (
        (coordinator, "/avonden/rapportage/", 4),
        (staff, "/avonden/beheer/", 2),
        (staff, "/avonden/aspiranten/", 1),
    ):
        html = login(user).get(url).content.decode()
        labels = re.findall(r'role="region" aria-label="([^"]+)"', html)
        assert "Tabel" not in labels and len(set(labels)) == len(labels) == n, (url, labels)


def test_report_and_overview_filters_link_their_hints_and_errors(login, coordinator, evening_index, client):
    response = login(coordinator).get("/avonden/rapportage/", {"start": "2026-05-01", "end": "2026-04-01"})
    html = response.content.decode()
    assert '<p class="field-error" id="id_end_error">De einddatum ligt vóór de begindatum.' in html
    assert re.search(r'<input[^>]*name="end"[^>]*aria-describedby="[^"]*id_end_error', html) or re.search(
        r'<input[^>]*aria-describedby="[^"]*id_end_error[^>]*name="end"', html
    )
    html = client.get(evening_index.url).content.decode()
    assert 'class="filters"' in html and '<div class="field' in html


def test_attendance_per_kind_is_shown_to_the_region_and_to_providers_with_small_counts_hidden(
    login, coordinator, staff, make_evening, person, parent
):
    recruitment = make_evening(days=3)
    theme = make_evening(days=3, kind="theme", theme="school")
    regs = _register_many(recruitment.sessions.get(), person, 12)
    services.register_parent(theme.sessions.get(), parent)
    past = timezone.now() - timedelta(days=2)
    EveningSession.objects.update(starts_at=past, ends_at=past + timedelta(hours=2))
    for reg in regs[:11]:
        reg.attended_at = past
        reg.save(update_fields=["attended_at"])
    rows = {r["kind"]: r for r in selectors.region_attendance(recruitment.region)}
    assert (rows["recruitment"]["sessions"], rows["recruitment"]["registered"]) == (1, "12")
    assert rows["recruitment"]["attended"] == "11"
    assert (rows["theme"]["sessions"], rows["theme"]["registered"], rows["theme"]["attended"]) == (
        1,
        "<10",
        "0",
    )
    for user, url in ((coordinator, "/avonden/rapportage/"), (staff, "/avonden/beheer/")):
        html = login(user).get(url).content.decode()
        assert "Opkomst per soort bijeenkomst" in html and "Thema-avond voor ouders" in html


def test_organisers_are_picked_with_checkboxes_in_the_cms():
    form_class = EveningPage.get_edit_handler().get_form_class()
    assert isinstance(form_class.base_fields["organisers"].widget, forms.CheckboxSelectMultiple)


# --- the public funnel query for matching (issue 11 item 4) ------------------------------


def test_funnel_stage_for_gives_the_furthest_stage_or_none(region, other_region, session, person):
    reg = services.register(session, person(1, interests=["full_time", "support"])).registration
    assert selectors.funnel_stage_for("Bezoeker1@example.org", region.pk) == "registered"
    prospect = Prospect.objects.get(email=reg.email, family_form="support")
    services.record_step(prospect, "conversation", timezone.localdate())
    services.record_step(prospect, "withdrawn", timezone.localdate())
    assert selectors.funnel_stage_for(reg.email, region.pk) == "conversation"
    assert selectors.funnel_stage_for("nobody@example.org", region.pk) is None
    assert selectors.funnel_stage_for(reg.email, other_region.pk) is None


def test_funnel_conversion_by_emails_counts_who_reached_intake(region, session, person):
    regs = _register_many(session, person, 4)
    for reg in regs[:2]:
        services.record_step(Prospect.objects.get(email=reg.email), "conversation", timezone.localdate())
    services.record_step(Prospect.objects.get(email=regs[0].email), "course", timezone.localdate())
    with_buddy = {regs[0].email, regs[2].email, "not-in-funnel@example.org"}
    without = {regs[1].email.upper(), regs[3].email}
    a = selectors.funnel_conversion_by_emails(with_buddy, region.pk)
    b = selectors.funnel_conversion_by_emails(without, region.pk)
    assert (a["asked"], a["in_funnel"], a["reached_intake"]) == (3, 2, 1)
    assert a["by_stage"]["course"] == 1 and a["by_stage"]["registered"] == 1
    assert (b["asked"], b["in_funnel"], b["reached_intake"]) == (2, 2, 1)


def test_the_funnel_query_takes_two_statements_for_many_emails(
    region, session, person, django_assert_num_queries
):
    regs = _register_many(session, person, 5)
    with django_assert_num_queries(2):
        selectors.funnel_conversion_by_emails({r.email for r in regs}, region.pk)
