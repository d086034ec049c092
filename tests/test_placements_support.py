"""Supported by a mentor or respite in the first year, linked through the provider's own
households (issue 17, item 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from foster.placements import support
from foster.placements.models import Placement

pytestmark = pytest.mark.django_db

START = date(2025, 1, 6)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_the_rules_for_one_placement():
    late = START + timedelta(days=400)
    stay = [(START + timedelta(days=100), START + timedelta(days=102))]
    mentor = [(START - timedelta(days=30), None)]
    assert support.supported(START, None, None, late, [], stay) is True
    assert support.supported(START, None, None, late, mentor, []) is True
    # A stay after the first year does not count; the year is over: no.
    assert support.supported(START, None, None, late, [], [(START + timedelta(days=380),) * 2]) is False
    # The first year still runs and nothing yet: unknown, not "no".
    assert support.supported(START, None, None, START + timedelta(days=60), [], []) is None
    # A stay before the as-of day only: a booking for next month is not support yet.
    assert support.supported(START, None, None, START + timedelta(days=60), [], stay) is None
    # The provider's own "yes" is never overwritten (support outside Thuisnet counts too).
    assert support.supported(START, None, True, late, [], []) is True
    # A placement that ended after 50 days: its first year ended with it.
    ended = START + timedelta(days=50)
    assert support.supported(START, ended, None, late, [], stay) is False
    # A mentor pairing that ended before the placement began does not count.
    assert (
        support.supported(
            START, None, None, late, [(START - timedelta(days=90), START - timedelta(days=1))], []
        )
        is False
    )


@pytest.fixture
def linked(parent, make_placement):
    """A placement of the provider linked to the foster parent's household (the provider's own)."""
    return make_placement(START, household=parent.household)


def test_an_accepted_respite_stay_in_the_first_year_marks_the_placement_supported(linked, parent, offer):
    from respite.models import Booking

    Booking.objects.create(
        offer=offer,
        household=parent.household,
        requested_by=parent,
        start=START + timedelta(days=40),
        end=START + timedelta(days=42),
        units=2,
        age_band="8-11",
        status=Booking.Status.ACCEPTED,
        decide_by=_at(START + timedelta(days=30)),
    )
    assert support.link_support(as_of=START + timedelta(days=100)) == 1
    linked.refresh_from_db()
    assert linked.carer_supported is True
    assert support.link_support(as_of=START + timedelta(days=100)) == 0  # again: nothing changes


def test_a_mentor_in_the_first_year_marks_the_placement_supported(linked, parent, make_mentor):
    from matching.models import Mentee, Pairing

    mentor = make_mentor("mentor@example.org")
    mentee = Mentee.objects.create(user=parent, household=parent.household)
    Pairing.objects.create(
        mentee=mentee,
        mentor=mentor,
        status=Pairing.Status.ACTIVE,
        mentor_accepted_at=_at(START + timedelta(days=10)),
        mentee_accepted_at=_at(START + timedelta(days=12)),
    )
    support.link_support(as_of=START + timedelta(days=30))
    linked.refresh_from_db()
    assert linked.carer_supported is True


def test_a_first_year_without_support_reads_no_and_an_unlinked_placement_is_left_alone(
    linked, make_placement
):
    unlinked = make_placement(START, child_ref="K-9999", carer_ref="G-9999")
    support.link_support(as_of=START + timedelta(days=60))
    linked.refresh_from_db()
    assert linked.carer_supported is None  # the first year still runs
    support.link_support(as_of=START + timedelta(days=400))
    linked.refresh_from_db()
    unlinked.refresh_from_db()
    assert linked.carer_supported is False
    assert unlinked.carer_supported is None


def test_linking_costs_the_same_queries_for_many_placements(
    parent, make_placement, django_assert_max_num_queries
):
    for i in range(20):
        make_placement(START + timedelta(days=i), household=parent.household)
    # Placements, mentors, stays; then a transaction with a lock and one bulk update.
    with django_assert_max_num_queries(8):
        assert support.link_support(as_of=START + timedelta(days=500)) == 20
    assert set(Placement.objects.values_list("carer_supported", flat=True)) == {False}


def test_the_form_offers_only_the_providers_own_households(staff, provider, parent, support_parent):
    from foster.placements.forms import PlacementForm

    form = PlacementForm(provider=provider)
    choices = set(form.fields["household"].queryset)
    assert parent.household in choices  # the foster parent's household belongs to the provider
    assert support_parent.household not in choices  # another provider's household


def test_the_service_refuses_another_providers_household(provider, support_parent):
    from foster.placements import services

    with pytest.raises(ValueError):
        services.save_placement(
            provider,
            {
                "child_ref": "K-1",
                "carer_ref": "G-1",
                "placement_type": "regular",
                "age_band": "8-11",
                "start_date": START,
                "household": support_parent.household,
            },
        )
