"""The CMS route editors use: submit a page to "Controle door moderator", a moderator approves."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(region):
    from thuisnet.accounts.models import User

    user = User.objects.create_user(
        email="moderator@example.org",
        password="Geheim-wachtwoord-1",
        region=region,
        full_name="Mila Moderator",
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_it_names_the_default_workflow_in_dutch():
    workflow = Workflow.objects.get(active=True)
    assert workflow.name == "Controle door moderator"
    assert [t.name for t in workflow.tasks] == ["Controle door moderator"]


def test_editor_sees_a_dutch_submit_button(client, login, editor, home_page):
    c = login(editor)
    c.cookies["thuisnet_language"] = "nl"
    response = c.get(f"/admin/pages/{home_page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controle door moderator" in html
    assert "Moderators approval" not in html


def test_a_moderator_approves_what_an_editor_submitted(editor, moderator, home_page):
    home_page.intro_title = "Nieuwe kop"
    revision = home_page.save_revision(user=editor)
    workflow = home_page.get_workflow()
    state = workflow.start(home_page, editor)
    task_state = state.current_task_state
    actions = [name for name, _label, _modal in task_state.task.specific.get_actions(home_page, moderator)]
    assert "approve" in actions
    # An editor cannot approve their own submission.
    assert task_state.task.specific.get_actions(home_page, editor) == []
    task_state.task.specific.on_action(task_state, moderator, "approve")
    home_page.refresh_from_db()
    assert home_page.live_revision_id == revision.pk
    assert home_page.intro_title == "Nieuwe kop"


def test_demo_has_a_moderator_who_can_approve(db):
    from thuisnet.core.demo import load_foundation

    load_foundation()
    from thuisnet.accounts.models import User

    moderator = User.objects.get(email="moderator@thuisnet.example")
    assert moderator.groups.filter(name="Moderators").exists()
