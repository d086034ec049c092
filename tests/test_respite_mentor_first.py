"""A family's own mentor, when they host respite, is shown first with "jouw mentor"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matching.models import Pairing
from respite import selectors, services
from thuisnet.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_mentors_offer_comes_first_marked_jouw_mentor(
    login, make_offer, make_mentor, make_mentee, next_week
):
    mentor = make_mentor("mentor@example.org", town="deventer")
    mentee = make_mentee("nieuw@example.org")
    Pairing.objects.create(mentee=mentee, mentor=mentor, status=Pairing.Status.ACTIVE)
    other = make_offer(capacity=2, title="Logeerhuis")
    own = make_offer(capacity=1, kind="host_family", title="Gezin van de mentor", host_user=mentor.user)
    q = services.Query(start=next_week, end=next_week + timedelta(days=1))
    parent = User.objects.get(household=mentee.household)
    hits = selectors.search(parent, q)
    assert [h.offer for h in hits] == [own, other]
    assert hits[0].by_mentor and not hits[1].by_mentor
    html = login(parent).get("/respijt/", {"start": next_week, "end": next_week + timedelta(days=1)})
    assert "jouw mentor" in html.content.decode()
