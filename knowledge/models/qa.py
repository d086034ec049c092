"""Questions and answers, votes, reports and moderation actions (ordinary models).

Counters and states that change often (votes, accepted answers, moderation) live here,
never on a Wagtail page: publishing a revision would reset them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from .themes import Theme


class PostStatus(models.TextChoices):
    VISIBLE = "visible", _("Zichtbaar")
    HELD = "held", _("Wacht op moderatie")
    HIDDEN = "hidden", _("Verborgen door moderator")


class Question(index.Indexed, models.Model):
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="knowledge_questions",
        verbose_name=_("auteur"),
    )
    title = models.CharField(_("vraag"), max_length=160)
    text = models.TextField(_("toelichting"), max_length=4000)
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)
    tags = models.CharField(
        _("trefwoorden"), max_length=200, blank=True, help_text=_("Gescheiden door komma's.")
    )
    anonymous = models.BooleanField(_("anoniem geplaatst"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.VISIBLE
    )
    held_reason = models.TextField(_("reden vastgehouden"), blank=True)
    locked = models.BooleanField(_("gesloten voor nieuwe antwoorden"), default=False)
    accepted_answer = models.OneToOneField(
        "knowledge.Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geaccepteerd antwoord"),
    )
    moderator_note = models.CharField(_("notitie moderator"), max_length=300, blank=True)
    start_step = models.ForeignKey(
        "knowledge.StartStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("stap van het startpad"),
    )
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("text"),
        index.SearchField("tags", boost=2),
        index.FilterField("status"),
        index.FilterField("region"),
        index.FilterField("theme"),
        index.FilterField("author"),
    ]

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status", "-created_at"], name="knowledge_q_region_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("knowledge:question", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (s.strip() for s in self.tags.split(",")) if t]


class Answer(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("vraag")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="knowledge_answers",
        verbose_name=_("auteur"),
    )
    text = models.TextField(_("antwoord"), max_length=6000)
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.VISIBLE
    )
    held_reason = models.TextField(_("reden vastgehouden"), blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geldt voor gemeente"),
        help_text=_("Leeg: geldt voor alle gemeenten."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geverifieerd door"),
    )
    verified_at = models.DateTimeField(_("geverifieerd op"), null=True, blank=True)
    helpful_count = models.PositiveIntegerField(_("nuttig"), default=0)
    moderator_note = models.CharField(_("notitie moderator"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:40]}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class HelpfulVote(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="knowledge_vote_once")]


class Report(models.Model):
    """Someone flagged a question or an answer."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeld door")
    )
    reason = models.TextField(_("reden"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(question__isnull=False, answer__isnull=True)
                    | Q(question__isnull=True, answer__isnull=False)
                ),
                name="knowledge_report_one_target",
            ),
        ]


class ModerationAction(models.Model):
    """The log: every moderation step, who took it and why. Never edited."""

    class Kind(models.TextChoices):
        HOLD = "hold", _("Automatisch vastgehouden")
        APPROVE = "approve", _("Goedgekeurd")
        HIDE = "hide", _("Verborgen")
        RESTORE = "restore", _("Hersteld")
        EDIT = "edit", _("Bewerkt")
        DISMISS = "dismiss", _("Melding afgehandeld")
        LOCK = "lock", _("Gesloten")
        UNLOCK = "unlock", _("Heropend")

    kind = models.CharField(_("handeling"), max_length=10, choices=Kind.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_log"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_log"
    )
    note = models.TextField(_("notitie"), blank=True)
    before = models.TextField(_("tekst vóór bewerking"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderatiehandeling")
        verbose_name_plural = _("moderatielog")
        ordering = ["-created_at"]
