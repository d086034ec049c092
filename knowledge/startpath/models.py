"""The start path for new family-home parents (issue 16 item 1).

A region (or one of its providers) defines a path of ordered steps; a starting family-home
parent follows one path (``Starter``) and keeps their own progress per step
(``StepProgress``): the date they reached it, the date it was done, and a document uploaded
or linked where the step asks for one. Editors manage paths, steps and starters as Wagtail
snippets. Progress is ordinary rows, never on a page.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from thuisnet.core.pii import validate_no_identifiers


def private_storage() -> FileSystemStorage:
    """Uploaded start-path documents (VOG, contracts) are never served from /media/: only the
    download view, after a policy check, reads them."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "private", base_url=None)


class StartPath(models.Model):
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "provider"},
        verbose_name=_("aanbieder"),
        help_text=_("Leeg laten als het pad voor de hele regio geldt."),
    )
    title = models.CharField(_("titel"), max_length=160)
    intro = models.TextField(_("introductie"), blank=True, validators=[validate_no_identifiers])
    stall_days = models.PositiveSmallIntegerField(
        _("herinnering na (dagen)"),
        default=21,
        help_text=_("Na zoveel dagen op dezelfde stap krijgen starter en coach een herinnering."),
    )
    active = models.BooleanField(_("actief"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("region"),
        FieldPanel("provider"),
        FieldPanel("intro"),
        FieldPanel("stall_days"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("startpad")
        verbose_name_plural = _("startpaden")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class StartStep(models.Model):
    path = models.ForeignKey(
        StartPath, on_delete=models.CASCADE, related_name="steps", verbose_name=_("startpad")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), help_text=_("1 is de eerste stap."))
    title = models.CharField(_("titel"), max_length=160)
    explanation = models.TextField(_("uitleg"), validators=[validate_no_identifiers])
    responsible_organisation = models.CharField(
        _("verantwoordelijke organisatie"),
        max_length=160,
        blank=True,
        help_text=_("Bijvoorbeeld: Kamer van Koophandel, de gemeente, je aanbieder."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Afdeling, telefoon of e-mailadres.")
    )
    link_url = models.URLField(_("link naar formulier of website"), blank=True)
    link_label = models.CharField(_("tekst van de link"), max_length=120, blank=True)
    asks_document = models.BooleanField(
        _("vraagt om een document"),
        default=False,
        help_text=_("De starter kan bij deze stap een document uploaden of een link geven."),
    )
    document_hint = models.CharField(
        _("welk document"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: uittreksel KvK.")
    )
    articles = models.ManyToManyField(
        "knowledge.KnowledgeArticlePage", blank=True, related_name="+", verbose_name=_("kennisartikelen")
    )
    documents = models.ManyToManyField(
        "wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("documenten en formulieren")
    )

    panels = [
        FieldPanel("path"),
        FieldPanel("position"),
        FieldPanel("title"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("responsible_organisation"), FieldPanel("contact")],
            heading=_("Wie en waar"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("articles"),
                FieldPanel("documents"),
                FieldPanel("link_url"),
                FieldPanel("link_label"),
            ],
            heading=_("Informatie en formulieren"),
        ),
        MultiFieldPanel([FieldPanel("asks_document"), FieldPanel("document_hint")], heading=_("Document")),
    ]

    class Meta:
        verbose_name = _("stap van een startpad")
        verbose_name_plural = _("stappen van startpaden")
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "position"], name="knowledge_startstep_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path} – {self.position}. {self.title}"


class Starter(models.Model):
    """A starting family-home parent on a path, with the provider and coach who support them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="start_path",
        verbose_name=_("startende gezinshuisouder"),
    )
    path = models.ForeignKey(
        StartPath, on_delete=models.PROTECT, related_name="starters", verbose_name=_("startpad")
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "provider"},
        verbose_name=_("aanbieder"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_starters",
        verbose_name=_("coach"),
    )
    started_on = models.DateField(_("gestart op"), default=timezone.localdate)
    finished_on = models.DateField(_("afgerond op"), null=True, blank=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("path"),
        FieldPanel("provider"),
        FieldPanel("coach"),
        FieldPanel("started_on"),
    ]

    class Meta:
        verbose_name = _("starter")
        verbose_name_plural = _("starters")
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"{self.user.get_short_name()} ({self.path})"


class StepProgress(models.Model):
    starter = models.ForeignKey(Starter, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(StartStep, on_delete=models.CASCADE, related_name="progress")
    reached_on = models.DateField(_("bereikt op"), default=timezone.localdate)
    done_on = models.DateField(_("klaar op"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to="startpad/%Y/", storage=private_storage, blank=True)
    document_name = models.CharField(_("naam van het document"), max_length=120, blank=True)
    document_url = models.URLField(_("link naar het document"), blank=True)
    reminded_on = models.DateField(_("herinnerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("voortgang per stap")
        verbose_name_plural = _("voortgang per stap")
        constraints = [models.UniqueConstraint(fields=["starter", "step"], name="knowledge_progress_once")]

    @property
    def has_document(self) -> bool:
        return bool(self.document or self.document_url)
