"""The start path for new family-home parents (issue 16 item 1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_the_starter_sees_their_path_at_the_current_step(login, family_home_parent, make_starter):
    make_starter(family_home_parent, done=3, days_on_step=5)
    response = login(family_home_parent).get("/kennis/startpad/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 van 5 stappen afgerond" in html
    assert "Je bent bij stap 4: Melding Wtza" in html
    assert "5 dagen op deze stap" in html
    assert 'aria-current="step"' in html


def test_marking_a_step_done_reaches_the_next_step(login, family_home_parent, make_starter, start_path):
    from knowledge.models import StepProgress

    make_starter(family_home_parent, done=0)
    step1 = start_path.steps.get(position=1)
    client = login(family_home_parent)
    response = client.post(f"/kennis/startpad/stap/{step1.pk}/klaar/")
    assert response.status_code == 302
    assert StepProgress.objects.get(step=step1).done_on == timezone.localdate()
    assert StepProgress.objects.filter(step__position=2, done_on__isnull=True).exists()
    assert "Je bent bij stap 2: Inschrijving KvK" in client.get("/kennis/startpad/").content.decode()


def test_a_step_that_asks_a_document_is_not_done_without_one(
    login, family_home_parent, make_starter, start_path
):
    from knowledge.models import StepProgress

    make_starter(family_home_parent, done=1)
    step2 = start_path.steps.get(position=2)
    client = login(family_home_parent)
    response = client.post(f"/kennis/startpad/stap/{step2.pk}/klaar/", follow=True)
    assert "Deze stap vraagt om een document (uittreksel KvK)" in response.content.decode()
    assert StepProgress.objects.get(step=step2).done_on is None


def test_the_starter_uploads_a_pdf_and_then_marks_the_step_done(
    login, family_home_parent, make_starter, start_path, staff
):
    from knowledge.models import StepProgress

    starter = make_starter(family_home_parent, done=1, coach=staff)
    step2 = start_path.steps.get(position=2)
    client = login(family_home_parent)
    upload = SimpleUploadedFile("uittreksel.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/kennis/startpad/stap/{step2.pk}/document/",
        {f"s{step2.pk}-upload": upload, f"s{step2.pk}-name": "Uittreksel KvK"},
    )
    assert response.status_code == 302
    progress = StepProgress.objects.get(step=step2)
    assert progress.document and progress.document_name == "Uittreksel KvK"
    assert "/media/" not in client.get("/kennis/startpad/").content.decode()  # never public
    download = client.get(f"/kennis/startpad/document/{progress.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # The coach may open it too; another parent may not.
    assert login(staff).get(f"/kennis/startpad/document/{progress.pk}/").status_code == 200
    client = login(family_home_parent)
    assert client.post(f"/kennis/startpad/stap/{step2.pk}/klaar/").status_code == 302
    assert StepProgress.objects.get(step=step2).done_on is not None
    assert starter.progress.filter(step__position=3).exists()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("script.exe", b"MZ....", "Dit bestandstype kan niet"),
        ("nep.pdf", b"<html>geen pdf</html>", "De inhoud van het bestand past niet bij .pdf"),
        ("groot.pdf", PDF + b"0" * (5 * 1024 * 1024), "het maximum is 5 MB"),
    ],
)
def test_an_upload_of_the_wrong_type_or_size_is_refused_at_the_field(
    login, family_home_parent, make_starter, start_path, filename, content, message
):
    from knowledge.models import StepProgress

    make_starter(family_home_parent, done=1)
    step2 = start_path.steps.get(position=2)
    response = login(family_home_parent).post(
        f"/kennis/startpad/stap/{step2.pk}/document/",
        {f"s{step2.pk}-upload": SimpleUploadedFile(filename, content), f"s{step2.pk}-name": "KvK"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_s{step2.pk}-upload_error"' in html or "field-error" in html
    assert not StepProgress.objects.get(step=step2).document


def test_a_document_name_with_a_childs_details_is_refused(
    login, family_home_parent, make_starter, start_path
):
    make_starter(family_home_parent, done=1)
    step2 = start_path.steps.get(position=2)
    response = login(family_home_parent).post(
        f"/kennis/startpad/stap/{step2.pk}/document/",
        {f"s{step2.pk}-url": "https://map.example/doc", f"s{step2.pk}-name": "Sanne de Vries 12-03-2015"},
    )
    assert response.status_code == 422


def test_a_link_can_stand_in_for_an_upload(login, family_home_parent, make_starter, start_path):
    from knowledge.models import StepProgress

    make_starter(family_home_parent, done=1)
    step2 = start_path.steps.get(position=2)
    client = login(family_home_parent)
    client.post(
        f"/kennis/startpad/stap/{step2.pk}/document/",
        {f"s{step2.pk}-url": "https://map.example/kvk", f"s{step2.pk}-name": "KvK"},
    )
    assert StepProgress.objects.get(step=step2).document_url == "https://map.example/kvk"


def test_ask_a_question_opens_the_qa_with_the_step_as_theme(
    login, family_home_parent, make_starter, start_path
):
    from knowledge.models import Question

    make_starter(family_home_parent, done=3)
    step4 = start_path.steps.get(position=4)
    client = login(family_home_parent)
    page = client.get("/kennis/startpad/").content.decode()
    assert f"/kennis/vragen/stellen/?thema=start&amp;stap={step4.pk}" in page
    form = client.get(f"/kennis/vragen/stellen/?thema=start&stap={step4.pk}").content.decode()
    assert "Je vraag gaat over stap 4" in form
    client.post(
        "/kennis/vragen/stellen/",
        {
            "title": "Welk formulier hoort bij de Wtza-melding?",
            "text": "Ik kom er niet uit welk formulier ik nodig heb.",
            "theme": "start",
            "start_step": step4.pk,
        },
    )
    question = Question.objects.get()
    assert question.theme == "start" and question.start_step == step4


def test_the_coach_sees_where_each_starter_is_and_since_when(
    login, family_home_parent, parent, make_starter, staff, other_staff
):
    make_starter(family_home_parent, done=3, days_on_step=20, coach=staff)
    make_starter(parent, done=1, days_on_step=2)
    html = login(staff).get("/kennis/startpad/coach/").content.decode()
    assert "Wim" in html and "Jeroen" in html
    assert "4 van 5: Melding Wtza" in html
    assert "staat stil" in html  # 20 days > the path's 14
    assert html.index("Wim") < html.index("Jeroen")  # longest on a step first
    # Staff of another provider see none of them.
    assert "Wim" not in login(other_staff).get("/kennis/startpad/coach/").content.decode()


def test_the_coach_reads_one_starter_and_the_read_is_audited(login, family_home_parent, make_starter, staff):
    from thuisnet.core.models import AuditLog

    starter = make_starter(family_home_parent, done=2, coach=staff)
    response = login(staff).get(f"/kennis/startpad/starters/{starter.pk}/")
    assert response.status_code == 200
    assert "Startpad van Wim" in response.content.decode()
    assert "is klaar" not in response.content.decode()  # a coach does not tick the starter's steps
    assert AuditLog.objects.filter(actor=staff, object_type="knowledge.starter").exists()


def test_others_may_not_see_or_change_a_starters_path(
    login, family_home_parent, make_starter, parent, start_path
):
    starter = make_starter(family_home_parent, done=0)
    step1 = start_path.steps.get(position=1)
    client = login(parent)
    assert client.get(f"/kennis/startpad/starters/{starter.pk}/").status_code == 404
    client.post(f"/kennis/startpad/stap/{step1.pk}/klaar/")
    assert not starter.progress.filter(done_on__isnull=False).exists()


def test_the_region_sees_suppressed_counts_per_step(
    login, coordinator, region, make_starter, municipalities, provider
):
    from tests.conftest import _household, _make_user

    for i in range(12):
        user = _make_user(f"starter{i}@example.org", region)
        user.household = _household(
            region, municipalities["zutphen"], "family_home", f"Gezinshuis {i}", provider
        )
        user.save()
        make_starter(user, done=1 if i < 11 else 3, days_on_step=3)
    html = login(coordinator).get("/kennis/startpad/regio/").content.decode()
    assert "&lt;10" in html  # the single one on step 4 is hidden
    assert "<td>1</td>" not in html  # and never shown as such, nor derivable from the total
    assert "Wim" not in html and "starter0" not in html


def test_the_region_view_is_for_coordinators(login, parent, staff):
    assert login(parent).get("/kennis/startpad/regio/").status_code == 403
    assert login(staff).get("/kennis/startpad/regio/").status_code == 403


def test_the_region_shows_median_days_only_over_ten_completions(
    region, make_starter, municipalities, provider, start_path
):
    from knowledge.startpath.selectors import region_overview
    from tests.conftest import _make_user

    for i in range(10):
        user = _make_user(f"s{i}@example.org", region)
        make_starter(user, done=1, days_on_step=1)
    rows = region_overview(start_path)["rows"]
    assert rows[0]["median_days"] == 10
    assert rows[1]["median_days"] is None


def test_a_stalled_step_sends_one_reminder_to_starter_and_coach(
    family_home_parent, make_starter, staff, sent_mail, monkeypatch
):
    from knowledge.services import startpath as service

    calls = []
    monkeypatch.setattr(service, "notify", lambda user, **kw: calls.append((user.pk, kw["kind"])))
    make_starter(family_home_parent, done=1, days_on_step=15, coach=staff)
    assert service.send_stall_reminders() == 1
    assert service.send_stall_reminders() == 0  # once per stall period
    assert (family_home_parent.pk, "startpath") in calls and (staff.pk, "startpath") in calls
    subjects = [m.subject for m in sent_mail()]
    assert "Je startpad: een stap staat al een tijd open" in subjects
    assert "Een starter staat stil op het startpad" in subjects
    # After another stall period it reminds again.
    later = timezone.localdate() + timedelta(days=14)
    assert service.send_stall_reminders(later) == 1


def test_a_step_within_the_configured_days_gets_no_reminder(family_home_parent, make_starter):
    from knowledge.services.startpath import send_stall_reminders

    make_starter(family_home_parent, done=1, days_on_step=13)
    assert send_stall_reminders() == 0


def test_the_reminder_job_is_registered():
    import knowledge.jobs  # noqa: F401
    from thuisnet.core.jobs import REGISTRY

    assert "knowledge.startpath_reminders" in REGISTRY


def test_the_policies_agree_with_their_scopes(
    family_home_parent, parent, staff, other_staff, coordinator, make_starter
):
    from knowledge.models import Starter
    from thuisnet.accounts.policies import disagreements
    from thuisnet.accounts.policies.startpath import ROW_CAPABILITIES

    make_starter(family_home_parent, done=1, coach=staff)
    make_starter(parent, done=0)
    for user in (family_home_parent, parent, staff, other_staff, coordinator):
        for capability in ROW_CAPABILITIES:
            assert disagreements(user, capability, Starter.objects.all()) == [], (user, capability)


def test_editors_manage_paths_and_steps_in_the_cms(login, admin_user, start_path):
    client = login(admin_user)
    assert client.get("/admin/snippets/knowledge/startpath/").status_code == 200
    response = client.get(f"/admin/snippets/knowledge/startstep/edit/{start_path.steps.first().pk}/")
    assert response.status_code == 200
    assert "Verantwoordelijke organisatie" in response.content.decode()


def test_the_demo_has_a_starter_at_step_four(db):
    from django.core.management import call_command

    from knowledge.models import Starter
    from knowledge.startpath.selectors import current_steps

    call_command("load_demo", verbosity=0)
    starters = {
        s.user.email: step.position
        for s, step, _p in current_steps(list(Starter.objects.select_related("user")))
    }
    assert starters["startgezinshuis@thuisnet.example"] == 4
    assert len(set(starters.values())) == 3
