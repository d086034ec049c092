"""Query budgets: the mentor page costs the same with 2 mentors and requests as with 20."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def grow(region, municipalities, parent, postcodes):
    """``grow(n)``: n available mentors in the parent's region, each with one request from
    another parent, and n requests received by ``parent`` as a mentor."""
    from matching.models import MentorProfile, MentorRequest
    from thuisnet.accounts.models import Household, User

    mentors: list = []

    def _user(email, postcode="7411"):
        household = Household.objects.create(
            region=region,
            municipality=municipalities["deventer"],
            family_form="foster",
            display_name=f"Gezin {email}",
            postcode=postcode,
            parent_since=date(2015, 1, 1),
            verified_at=timezone.now(),
        )
        return User.objects.create_user(email=email, region=region, household=household)

    def _grow(n: int) -> None:
        while len(mentors) < n:
            i = len(mentors)
            mentor = _user(f"mentor{i}@example.org", postcode="7411" if i % 2 else "7415")
            MentorProfile.objects.create(user=mentor, about="Ervaren.", themes=["start"], max_mentees=3)
            other = _user(f"nieuw{i}@example.org")
            MentorRequest.objects.create(mentee=other, mentor=mentor, message="Hoi", status="accepted")
            MentorRequest.objects.create(mentee=other, mentor=parent, message="Hallo")
            mentors.append(mentor)

    return _grow


def test_the_mentor_page_costs_the_same_with_2_and_20_mentors(login, parent, grow):
    parent.household.parent_since = date(2012, 1, 1)
    parent.household.save()
    client = login(parent)
    grow(2)
    small = _queries(client, "/mentoren/")
    grow(20)
    large = _queries(client, "/mentoren/")
    assert small == large


def test_the_coordinators_counts_cost_the_same_with_2_and_20(login, coordinator, grow):
    client = login(coordinator)
    grow(2)
    small = _queries(client, "/mentoren/")
    grow(20)
    large = _queries(client, "/mentoren/")
    assert small == large
