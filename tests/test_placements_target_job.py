"""The periodic target check: coordinators get an email when the status changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from foster.placements import services
from foster.placements.jobs import check_targets
from thuisnet.core.jobs import REGISTRY

pytestmark = pytest.mark.django_db


def test_the_job_is_registered():
    assert "placements.check_targets" in REGISTRY


def _cohort(make_placement, breakdowns: int, total: int = 40):
    s = date(2024, 1, 1)
    for i in range(total):
        make_placement(s + timedelta(days=i), 60 if i < breakdowns else None, "02" if i < breakdowns else "")


def test_the_first_check_stores_the_status_without_email(make_placement, target, coordinator, sent_mail):
    _cohort(make_placement, breakdowns=2)
    check_targets()
    target.refresh_from_db()
    assert target.last_status == "on_track"
    assert sent_mail() == []


def test_coordinators_get_one_email_when_the_status_changes(make_placement, target, coordinator, sent_mail):
    _cohort(make_placement, breakdowns=2)
    check_targets()
    from foster.placements.models import Placement

    running = list(Placement.objects.filter(end_date__isnull=True).values_list("pk", flat=True))
    Placement.objects.filter(pk__in=running[:20]).update(end_date=date(2024, 4, 1), end_code="03")
    check_targets()
    check_targets()  # unchanged now: no second email
    mails = sent_mail()
    assert len(mails) == 1
    assert mails[0].to == [coordinator.email]
    assert "boven het doel" in mails[0].body
    target.refresh_from_db()
    assert target.last_status == "above"


def test_the_status_is_computed_on_the_targets_cohort(make_placement, target):
    _cohort(make_placement, breakdowns=2)
    assert services.target_status_now(target, date(2026, 1, 1)) == "on_track"
