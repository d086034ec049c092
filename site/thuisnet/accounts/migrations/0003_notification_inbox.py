import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisation_served_regions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("booking", "Respijtaanvraag"),
                            ("message", "Bericht"),
                            ("question", "Vragenruimte"),
                            ("event", "Informatieavond"),
                            ("matching", "Mentoren"),
                            ("startpath", "Startpad"),
                        ],
                        max_length=20,
                        verbose_name="soort",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titel")),
                ("body", models.TextField(blank=True, verbose_name="tekst")),
                ("url", models.CharField(blank=True, max_length=500, verbose_name="link")),
                ("created", models.DateTimeField(default=django.utils.timezone.now, verbose_name="gemaakt")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="gelezen op")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ontvanger",
                    ),
                ),
            ],
            options={
                "verbose_name": "melding",
                "verbose_name_plural": "meldingen",
                "ordering": ["-created", "-id"],
                "indexes": [
                    models.Index(fields=["recipient", "-created", "-id"], name="notification_inbox_idx"),
                    models.Index(
                        condition=models.Q(("read_at__isnull", True)),
                        fields=["recipient"],
                        name="notification_unread_idx",
                    ),
                ],
            },
        ),
    ]
