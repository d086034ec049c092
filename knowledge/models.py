"""Knowledge base (Wagtail pages) and the question-and-answer space (ordinary models).

Counters and states that change often (votes, accepted answers, moderation) live in
ordinary models, never on a Wagtail page: publishing a revision would reset them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from thuisnet.accounts.models import FamilyForm


class Theme(models.TextChoices):
    PROCEDURES = "procedures", _("Procedures en formulieren")
    MONEY = "money", _("Geld en vergoedingen")
    PARENTING = "parenting", _("Opvoeding en gedrag")
    SCHOOL = "school", _("School")
    BIRTH_PARENTS = "birth_parents", _("Contact met ouders")
    EXPERIENCES = "experiences", _("Ervaringen delen")
    START = "start", _("Starten als gezinshuis")


THEME_DESCRIPTIONS = {
    Theme.PROCEDURES: _("Aanvragen, formulieren, de gezinsvoogd en wie wat beslist."),
    Theme.MONEY: _("Pleegvergoeding, bijzondere kosten, toeslagen en belasting."),
    Theme.PARENTING: _("Hechting, gedrag, puberteit en opgroeien in twee gezinnen."),
    Theme.SCHOOL: _("Inschrijven, passend onderwijs, toestemming en de mentor."),
    Theme.BIRTH_PARENTS: _("Omgangsregeling, bezoek, loyaliteit en contact met familie."),
    Theme.EXPERIENCES: _("Wat andere ouders meemaakten en wat hen hielp."),
    Theme.START: _("Vergunningen, contracten, kwaliteit en geld bij het starten van een gezinshuis."),
}


# ---------------------------------------------------------------------------- CMS pages


class KnowledgeIndexPage(Page):
    intro = RichTextField(_("introductie"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.KnowledgeArticlePage"]
    template = "knowledge/knowledge_index_page.html"

    class Meta:
        verbose_name = _("kennisbank")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        region_id = self.region_id_for_choice()
        chosen = selectors.chosen_municipality(request, region_id)
        articles = list(
            KnowledgeArticlePage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related("municipalities")
            .order_by("title")
        )
        articles = selectors.applies_first(articles, chosen)
        by_theme = {t: [] for t in Theme.values}
        for article in articles:
            by_theme.setdefault(article.theme, []).append(article)
        context["themes"] = [
            {
                "value": t.value,
                "label": t.label,
                "description": THEME_DESCRIPTIONS[t],
                "articles": by_theme.get(t.value, []),
                "comparison": selectors.municipal_comparison(t.value, chosen) if t == Theme.MONEY else None,
            }
            for t in Theme
        ]
        context["chosen_municipality"] = chosen
        context["municipalities"] = list(selectors.municipalities_for_choice(region_id))
        return context

    def region_id_for_choice(self) -> int | None:
        """One site serves one region today; the choice lists every municipality when the
        site has no single region."""
        from thuisnet.accounts.models import Region

        ids = list(Region.objects.values_list("pk", flat=True)[:2])
        return None if len(ids) != 1 else ids[0]


class KnowledgeArticlePage(Page):
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)
    summary = models.TextField(
        _("samenvatting"),
        max_length=400,
        blank=True,
        help_text=_("Eén of twee zinnen voor overzichten en zoekresultaten."),
    )
    body = RichTextField(
        _("tekst"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    for_foster = models.BooleanField(_("pleeggezinnen"), default=True)
    for_support = models.BooleanField(_("steungezinnen"), default=True)
    for_family_home = models.BooleanField(_("gezinshuizen"), default=True)
    all_municipalities = models.BooleanField(
        _("alle gemeenten"),
        default=True,
        help_text=_("Uitvinken als het artikel alleen voor de gekozen gemeenten geldt."),
    )
    municipalities = ParentalManyToManyField("accounts.Municipality", blank=True, verbose_name=_("gemeenten"))
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inhoudelijk eigenaar"),
        help_text=_("Wie de inhoud bijhoudt en controleert."),
    )
    owner_team = models.CharField(_("eigenaar (team of organisatie)"), max_length=160, blank=True)
    last_reviewed = models.DateField(_("laatst gecontroleerd op"), default=date.today)
    review_date = models.DateField(
        _("controleren vóór"),
        help_text=_(
            "Na deze datum staat het artikel op de lijst 'te controleren' en zien lezers een melding."
        ),
    )
    source_question = models.ForeignKey(
        "knowledge.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("voortgekomen uit vraag"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("forms", label=_("Formulieren om te downloaden")),
        MultiFieldPanel(
            [FieldPanel("for_foster"), FieldPanel("for_support"), FieldPanel("for_family_home")],
            heading=_("Geldt voor gezinsvorm"),
        ),
        MultiFieldPanel(
            [FieldPanel("all_municipalities"), FieldPanel("municipalities")],
            heading=_("Geldt voor gemeenten"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("content_owner"),
                FieldPanel("owner_team"),
                FieldPanel("last_reviewed"),
                FieldPanel("review_date"),
            ],
            heading=_("Eigenaar en controle"),
        ),
        FieldPanel("source_question", read_only=True),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("theme"),
    ]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types: list[str] = []
    template = "knowledge/knowledge_article_page.html"

    class Meta:
        verbose_name = _("kennisartikel")
        verbose_name_plural = _("kennisartikelen")

    def clean(self) -> None:
        super().clean()
        if self.review_date and self.last_reviewed and self.review_date < self.last_reviewed:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {
                    "review_date": _(
                        "'Controleren vóór' (%(review)s) ligt vóór 'laatst gecontroleerd op' "
                        "(%(last)s). Kies een datum op of na de laatste controle."
                    )
                    % {
                        "review": self.review_date.strftime("%d-%m-%Y"),
                        "last": self.last_reviewed.strftime("%d-%m-%Y"),
                    }
                }
            )

    @property
    def is_overdue(self) -> bool:
        return bool(self.review_date and self.review_date < timezone.localdate())

    @property
    def family_form_labels(self) -> list[str]:
        flags = [
            (self.for_foster, FamilyForm.FOSTER),
            (self.for_support, FamilyForm.SUPPORT),
            (self.for_family_home, FamilyForm.FAMILY_HOME),
        ]
        if all(f for f, _label in flags):
            return [str(_("alle gezinsvormen"))]
        return [str(form.label) for f, form in flags if f]

    def municipality_labels(self) -> list[str]:
        if self.all_municipalities:
            return [str(_("alle gemeenten in de regio"))]
        return [m.name for m in self.municipalities.all()]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = selectors.related_articles(self)
        context["parent"] = self.get_parent()
        context["forms"] = list(self.forms.select_related("document"))
        context["related_questions"] = selectors.related_questions(self, request.user)
        context["theme_label"] = Theme(self.theme).label
        chosen = selectors.chosen_municipality(request)
        context["chosen_municipality"] = chosen
        if chosen is not None:
            context["applies_here"] = (
                self.all_municipalities or self.municipalities.filter(pk=chosen.pk).exists()
            )
        return context


class ArticleForm(Orderable):
    page = ParentalKey(KnowledgeArticlePage, on_delete=models.CASCADE, related_name="forms")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("formulier")
        verbose_name_plural = _("formulieren")


# -------------------------------------------------------------------- region settings


class AnonymousPostingRule(models.Model):
    """Per region and theme: may parents post questions without their name showing?"""

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)
    allowed = models.BooleanField(_("anoniem plaatsen toegestaan"), default=True)

    panels = [FieldPanel("region"), FieldPanel("theme"), FieldPanel("allowed")]

    class Meta:
        verbose_name = _("regel anoniem plaatsen")
        verbose_name_plural = _("regels anoniem plaatsen")
        constraints = [models.UniqueConstraint(fields=["region", "theme"], name="knowledge_anon_rule_unique")]

    def __str__(self) -> str:
        state = _("ja") if self.allowed else _("nee")
        return f"{self.region} – {self.get_theme_display()}: {state}"


# ---------------------------------------------------------------- questions and answers


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


# ---------------------------------------------------------------------- notifications


class ThemeFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_follows"
    )
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "theme"], name="knowledge_follow_unique")]


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_settings"
    )
    email_answers = models.BooleanField(_("e-mail bij een antwoord op mijn vraag"), default=True)
    email_status = models.BooleanField(
        _("e-mail als mijn antwoord geaccepteerd of geverifieerd is"), default=True
    )
    email_theme = models.BooleanField(_("e-mail bij een nieuwe vraag in een thema dat ik volg"), default=True)
    weekly_digest = models.BooleanField(
        _("wekelijks overzicht van onbeantwoorde vragen"),
        default=False,
        help_text=_("Voor deskundigen en ervaren ouders (minstens twee jaar ouder)."),
    )


class Notification(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", _("Antwoord op je vraag")
        ACCEPTED = "accepted", _("Antwoord geaccepteerd")
        VERIFIED = "verified", _("Antwoord geverifieerd")
        THEME = "theme", _("Nieuwe vraag in een thema")
        HELD = "held", _("Bericht vastgehouden")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class DigestDelivery(models.Model):
    """One row per person per ISO week: the weekly digest goes out exactly once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # "2026-W48"
    question_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="knowledge_digest_once_a_week")]


# ------------------------------------------------------------------- per municipality


class MunicipalRule(models.Model):
    """One municipality's rule on a topic (an allowance, a reimbursement, a contact), filled
    by editors; the money theme shows them side by side per topic."""

    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, default=Theme.MONEY)
    topic = models.CharField(
        _("onderwerp"), max_length=120, help_text=_("Bijvoorbeeld: Bijzondere bijstand voor pleeggezinnen.")
    )
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    rule = models.CharField(_("regel"), max_length=300)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    source_url = models.URLField(_("bron"), blank=True)
    checked_on = models.DateField(_("gecontroleerd op"), default=date.today)

    panels = [
        FieldPanel("theme"),
        FieldPanel("topic"),
        FieldPanel("municipality"),
        FieldPanel("rule"),
        FieldPanel("contact"),
        FieldPanel("source_url"),
        FieldPanel("checked_on"),
    ]

    class Meta:
        verbose_name = _("gemeentelijke regel")
        verbose_name_plural = _("gemeentelijke regels")
        ordering = ["topic", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "municipality"], name="knowledge_rule_topic_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} – {self.municipality}"


from .startpath.models import Starter, StartPath, StartStep, StepProgress  # noqa: E402

__all__ = [
    "Answer",
    "AnonymousPostingRule",
    "ArticleForm",
    "DigestDelivery",
    "HelpfulVote",
    "KnowledgeArticlePage",
    "KnowledgeIndexPage",
    "ModerationAction",
    "MunicipalRule",
    "Notification",
    "NotificationSettings",
    "PostStatus",
    "Question",
    "Report",
    "StartPath",
    "StartStep",
    "Starter",
    "StepProgress",
    "Theme",
    "ThemeFollow",
]
