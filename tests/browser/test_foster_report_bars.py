"""Issue 15 item 6: the region's recruitment report reads at a glance (bars with labels and
values, "onbekend" for registrations without a municipality, attendance per kind)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def foster_demo(demo_site):
    from foster import demo

    demo.load(demo_site)
    return demo_site


def test_the_coordinator_reads_the_funnel_bars_with_their_labels_and_values(
    page, live_server, foster_demo, browser_login, axe, screenshot
):
    from django.utils import timezone

    from foster import services
    from foster.models import EveningSession

    session = (
        EveningSession.objects.filter(
            page__kind="recruitment", starts_at__gt=timezone.now() + timedelta(days=3)
        )
        .order_by("starts_at")
        .first()
    )
    for i in range(12):
        services.register(
            session,
            services.RegistrationData(
                name=f"Bezoeker {i}",
                email=f"bezoeker{i}@example.org",
                attendees=1,
                interests=["full_time"],
                source="website",
                postcode="" if i < 11 else "7411",
            ),
        )
    browser_login(page, "coordinator@thuisnet.example")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/avonden/rapportage/")
        bars = page.get_by_role("list", name="Aantal aspirant-ouders per fase")
        expect(bars.get_by_role("listitem").first).to_contain_text("Aangemeld")
        expect(page.get_by_role("rowheader", name="onbekend")).to_be_visible()
        expect(page.get_by_role("heading", name="Opkomst per soort bijeenkomst")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page)
        screenshot(page, f"foster-report-{width}")
