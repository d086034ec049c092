"""Fixtures for the mentor pairing tests (loaded from conftest.py)."""

from datetime import date

import pytest


@pytest.fixture
def experienced(family_home_parent):
    """A family-home parent since 2012: may be a mentor."""
    household = family_home_parent.household
    household.parent_since = date(2012, 1, 15)
    household.save()
    return family_home_parent


@pytest.fixture
def mentor_profile(experienced):
    from matching.models import MentorProfile

    return MentorProfile.objects.create(
        user=experienced,
        about="Al tien jaar gezinshuisouder, vraag me over pubers.",
        themes=["teenagers", "behaviour"],
        max_mentees=1,
    )


@pytest.fixture
def make_family(region, municipalities, provider):
    """``make_family(email, town, form, since=None, provider=...)`` makes a verified parent."""
    from tests.conftest import _household, _make_user

    def _make(email, town="deventer", form="foster", since=None, prov=provider, postcode="7415"):
        user = _make_user(email, region, full_name=email.split("@")[0].title())
        household = _household(
            region, municipalities[town], form, f"Gezin {email.split('@')[0].title()}", prov
        )
        household.parent_since = since
        household.postcode = postcode
        household.save()
        user.household = household
        user.save()
        return user

    return _make


@pytest.fixture
def make_mentor(make_family, staff):
    """An experienced, provider-verified mentor with an offer (criteria as keyword arguments)."""
    from matching import services
    from matching.models import MentorProfile

    def _make(email, town="zutphen", form="foster", capacity=1, **criteria):
        user = make_family(email, town, form, since=date(2012, 1, 1))
        profile = MentorProfile.objects.create(user=user, about="Ervaren ouder.", max_mentees=capacity)
        services.save_offer(user, **criteria)
        services.verify_mentor(staff, profile.pk)
        return profile

    return _make


@pytest.fixture
def make_mentee(make_family):
    from matching import services

    def _make(email, town="deventer", form="foster", **criteria):
        user = make_family(email, town, form, since=date.today())
        return services.ask_for_mentor(user, **criteria)

    return _make
