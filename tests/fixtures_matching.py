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
