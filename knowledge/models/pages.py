"""CMS pages: the knowledge base index, its articles and their downloadable forms."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from thuisnet.accounts.models import FamilyForm

from .themes import THEME_DESCRIPTIONS, Theme


class KnowledgeIndexPage(Page):
    intro = RichTextField(_("introductie"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.KnowledgeArticlePage"]
    template = "knowledge/knowledge_index_page.html"

    class Meta:
        verbose_name = _("kennisbank")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

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
        from .. import selectors

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
