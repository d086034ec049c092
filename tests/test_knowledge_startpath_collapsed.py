"""Issue 16: on the starter's start path, finished steps are folded away (a <details> with the
step title and the date done) so the current step stands out."""

from __future__ import annotations

import re

import pytest
from django.utils.dateformat import format as date_format

pytestmark = pytest.mark.django_db


def _steps(html: str) -> list[str]:
    return re.findall(r'<li id="stap-\d+" class="card startpath-step.*?</li>', html, re.S)


def test_finished_steps_are_collapsed_with_their_title_and_date(login, family_home_parent, make_starter):
    starter = make_starter(family_home_parent, done=2, days_on_step=3)
    html = login(family_home_parent).get("/kennis/startpad/").content.decode()
    steps = _steps(html)
    assert len(steps) == 5
    for li, title in zip(steps[:2], ["Oriëntatie", "Inschrijving KvK"], strict=True):
        assert "startpath-step--done" in li
        details = re.search(r"<details[^>]*>\s*<summary>(.*?)</summary>", li, re.S)
        assert details and " open" not in details.group(0).split(">")[0]
        summary = re.sub(r"<[^>]+>", " ", details.group(1))
        assert title in summary and "klaar" in summary
        done_on = starter.progress.get(step__title=title).done_on
        assert f"afgerond op {date_format(done_on, 'j F Y')}" in " ".join(summary.split())
        # The step's content and its "reopen" button are still there, inside the details.
        assert "weer openzetten" in li
    current = steps[2]
    assert 'aria-current="step"' in current and "<details" not in current.split("startpath-actions")[0]
    assert 'id="huidige-stap"' in current
    assert '<h2 class="startpath-step__title" id="huidige-stap"' in current
    # The steps still to come keep their heading and are not folded either.
    assert all('<details class="startpath-step__done"' not in li for li in steps[2:])


def test_the_coach_sees_the_same_folded_steps(login, family_home_parent, staff, make_starter):
    starter = make_starter(family_home_parent, done=2, coach=staff)
    html = login(staff).get(f"/kennis/startpad/starters/{starter.pk}/").content.decode()
    assert html.count('<details class="startpath-step__done"') == 2


def test_marking_a_step_done_goes_on_to_the_current_step(login, family_home_parent, make_starter, start_path):
    make_starter(family_home_parent, done=0)
    step1 = start_path.steps.get(position=1)
    client = login(family_home_parent)
    response = client.post(f"/kennis/startpad/stap/{step1.pk}/klaar/")
    assert response.url.endswith("#huidige-stap")
    html = client.get("/kennis/startpad/").content.decode()
    assert html.count('<details class="startpath-step__done"') == 1
    reopen = client.post(f"/kennis/startpad/stap/{step1.pk}/klaar/", {"done": "0"})
    assert reopen.url.endswith(f"#stap-{step1.pk}")


def test_step_texts_are_marked_dutch_in_the_english_interface(login, family_home_parent, make_starter):
    make_starter(family_home_parent, done=1)
    client = login(family_home_parent)
    assert '<span lang="nl">' not in client.get("/kennis/startpad/").content.decode()
    client.cookies["thuisnet_language"] = "en"
    html = client.get("/kennis/startpad/").content.decode()
    assert "Your progress" in html and "finished on" in html
    assert '<span lang="nl">Oriëntatie</span>' in html
    assert '<p lang="nl">Uitleg bij inschrijving kvk.</p>' in html


def test_the_coach_reads_about_the_starter_not_about_you(login, family_home_parent, staff, make_starter):
    starter = make_starter(family_home_parent, done=2, coach=staff)
    html = login(staff).get(f"/kennis/startpad/starters/{starter.pk}/").content.decode()
    name = family_home_parent.get_short_name()
    assert f"{name} is bij stap 3: Keuze aanbieder" in html
    assert "Je bent bij stap" not in html and "Je coach" not in html
    assert f"Coach: {staff.get_short_name()}" in html
