"""Wagtail's default workflow and its task are called "Moderators approval"; editors then read
"Stuur door naar Moderators approval" (half English). Give both the Dutch name a region's
editors recognise. Only renames the untouched default: a region that renamed it keeps its name.
"""

from django.db import migrations

DEFAULT = "Moderators approval"
DUTCH = "Controle door moderator"


def _rename(apps, old: str, new: str) -> None:
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=old).update(name=new)
    Task.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    _rename(apps, DEFAULT, DUTCH)


def backwards(apps, schema_editor):
    _rename(apps, DUTCH, DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_idempotency_fingerprint_ratelimit"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
