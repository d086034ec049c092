"""Fixtures for the foster tests (loaded from conftest.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest


def at(days: int, hour: int = 19, minute: int = 30):
    from django.utils import timezone

    from thuisnet.core.ics import AMSTERDAM

    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


@pytest.fixture
def evening_index(home_page):
    from foster.models import EveningIndexPage

    index = EveningIndexPage(title="Informatieavonden", slug="informatieavonden")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_evening(evening_index, region, municipalities, provider):
    """``make_evening(days=10, capacity=20, **fields)``: a published EveningPage."""
    from foster.models import EveningPage

    counter = {"n": 0}

    def _make(days: int = 10, capacity: int = 20, organisers=None, **fields):
        counter["n"] += 1
        defaults = dict(
            title=f"Informatieavond {counter['n']}",
            slug=f"avond-{counter['n']}",
            region=region,
            starts_at=at(days),
            ends_at=at(days, 21, 30),
            capacity=capacity,
            venue="Wijkcentrum",
            address="Hoofdstraat 1, 7411 AA Deventer",
            municipality=municipalities["deventer"],
            family_forms=["full_time", "support"],
            deadline_hours=24,
        )
        defaults.update(fields)
        page = EveningPage(**defaults)
        evening_index.add_child(instance=page)
        page.organisers.set(organisers if organisers is not None else [provider])
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return _make


@pytest.fixture
def evening(make_evening):
    return make_evening()


@pytest.fixture
def session(evening):
    return evening.sessions.get()


@pytest.fixture
def person():
    """``person(i, attendees=1, **changes)``: RegistrationData for a made-up visitor."""
    from foster.services import RegistrationData

    def _person(i: int = 1, attendees: int = 1, **changes):
        data = dict(
            name=f"Bezoeker {i}",
            email=f"bezoeker{i}@example.org",
            attendees=attendees,
            interests=["full_time"],
            source="website",
            postcode="7411",
            phone="06 12345678",
        )
        data.update(changes)
        return RegistrationData(**data)

    return _person


@pytest.fixture
def vacancy(evening_index, region, municipalities, provider):
    from foster.models import VacancyPage

    page = VacancyPage(
        title="Meisje van 10 dat van paarden houdt",
        slug="meisje-paarden",
        region=region,
        age_band="8-11",
        interests="Paarden en tekenen.",
        needs="Een gezin met geduld.",
        municipality=municipalities["zutphen"],
        family_form="full_time",
        provider=provider,
    )
    evening_index.add_child(instance=page)
    page.save_revision().publish()
    return page
