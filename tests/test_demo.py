"""`manage.py load_demo` (what `make run` does) builds the whole demo region, and again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    labels = {
        "accounts",
        "core",
        "home",
        "foster",
        "placements",
        "respite",
        "knowledge",
        "matching",
        "wagtailcore",
        "schedule",
    }
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in labels and m._meta.label != "core.PeriodicJob"
    }


def test_the_demo_loads_and_loading_it_again_changes_nothing(client):
    call_command("load_demo", verbosity=0)
    first = _counts()
    assert first["accounts.User"] >= 8
    for label in [
        "foster.EveningPage",
        "foster.Registration",
        "foster.Prospect",
        "foster.VacancyPage",
        "placements.Placement",
        "placements.Target",
        "respite.Offer",
        "respite.Booking",
        "respite.UnmetDemand",
        "knowledge.KnowledgeArticlePage",
        "knowledge.Question",
        "knowledge.Answer",
        "matching.MentorProfile",
        "matching.MentorRequest",
    ]:
        assert first[label] > 0, label
    call_command("load_demo", verbosity=0)
    assert _counts() == first

    # The pages a newcomer opens first all answer.
    for url in [
        "/",
        "/avonden/",
        "/respijt/",
        "/kennis/",
        "/mentoren/",
        "/zoeken/?q=pleeg",
        "/accounts/login/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
