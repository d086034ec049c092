"""Retention: registrations of people who did not continue are anonymised after the period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foster import services
from foster.models import Prospect, Registration


@pytest.mark.django_db
def test_it_anonymises_stalled_registrations_after_twelve_months_and_keeps_continuing_ones(session, person):
    stalled = services.register(session, person(1)).registration
    going = services.register(session, person(2)).registration
    p = Prospect.objects.get(email=going.email)
    services.record_step(p, "attended", p.stage_date)
    services.record_step(p, "conversation", p.stage_date)
    just_before = session.ends_at + timedelta(days=365)
    assert services.apply_retention(now=just_before) == {"anonymised": 0, "kept": 0}
    after = session.ends_at + timedelta(days=367)
    assert services.apply_retention(now=after) == {"anonymised": 1, "kept": 1}
    stalled.refresh_from_db()
    assert stalled.anonymised_at and stalled.name == "" and "bezoeker1" not in stalled.email
    assert stalled.municipality_id is not None or stalled.postcode  # kept for the report
    assert not Prospect.objects.filter(email="bezoeker1@example.org").exists()
    assert Registration.objects.get(pk=going.pk).name == "Bezoeker 2"
    assert services.apply_retention(now=after) == {"anonymised": 0, "kept": 1}  # idempotent


@pytest.mark.django_db
def test_the_retention_period_is_configurable(session, person, settings):
    settings.FOSTER_RETENTION_MONTHS = 3
    services.register(session, person(1))
    assert services.apply_retention(now=session.ends_at + timedelta(days=95)) == {"anonymised": 1, "kept": 0}


@pytest.mark.django_db
def test_an_anonymised_registration_no_longer_opens_from_its_link(client, session, person):
    reg = services.register(session, person(1)).registration
    url = reg.get_absolute_url()
    services.apply_retention(now=session.ends_at + timedelta(days=400))
    assert client.get(url).status_code == 404
