"""CMS screens: the overdue-articles report and dashboard panel, and the per-region
anonymous-posting rules (a snippet)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from thuisnet.accounts.policies import can

from .models import AnonymousPostingRule, KnowledgeArticlePage, MunicipalRule, Starter, StartPath, StartStep
from .selectors import overdue_articles


class OverdueArticlesReport(PageReportView):
    page_title = _("Te controleren kennisartikelen")
    header_icon = "warning"
    results_template_name = "knowledge/admin/overdue_results.html"
    index_url_name = "knowledge_overdue"
    index_results_url_name = "knowledge_overdue_results"
    list_export = ["title", "review_date", "last_reviewed", "owner_team"]
    export_headings = {
        "title": _("Titel"),
        "review_date": _("Controleren vóór"),
        "last_reviewed": _("Laatst gecontroleerd op"),
        "owner_team": _("Eigenaar"),
    }
    model = KnowledgeArticlePage
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if not can(request.user, "knowledge.view_overdue"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return overdue_articles().select_related("content_owner")

    def get_filename(self):
        return "te-controleren-kennisartikelen"


@hooks.register("register_admin_urls")
def register_overdue_urls():
    return [
        path("kennis/te-controleren/", OverdueArticlesReport.as_view(), name="knowledge_overdue"),
        path(
            "kennis/te-controleren/results/",
            OverdueArticlesReport.as_view(results_only=True),
            name="knowledge_overdue_results",
        ),
    ]


class _OverdueMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "knowledge.view_overdue")


@hooks.register("register_reports_menu_item")
def register_overdue_menu_item():
    return _OverdueMenuItem(
        _("Te controleren artikelen"),
        reverse("knowledge_overdue"),
        name="knowledge-overdue",
        icon_name="warning",
        order=750,
    )


class OverdueArticlesPanel(Component):
    name = "knowledge_overdue"
    template_name = "knowledge/admin/overdue_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        pages = list(overdue_articles()[:10])
        return {
            "pages": pages,
            "total": overdue_articles().count(),
            "report_url": reverse("knowledge_overdue"),
        }


@hooks.register("construct_homepage_panels")
def add_overdue_panel(request, panels):
    if can(request.user, "knowledge.view_overdue") and overdue_articles().exists():
        panels.append(OverdueArticlesPanel(request))


class AnonymousPostingRuleViewSet(SnippetViewSet):
    model = AnonymousPostingRule
    icon = "user"
    menu_label = _("Anoniem plaatsen")
    list_display = ["region", "theme", "allowed"]
    list_filter = ["region", "theme", "allowed"]


register_snippet(AnonymousPostingRuleViewSet)


class StartPathViewSet(SnippetViewSet):
    model = StartPath
    icon = "list-ol"
    menu_label = _("Startpaden")
    list_display = ["title", "region", "provider", "stall_days", "active"]
    list_filter = ["region", "active"]


class StartStepViewSet(SnippetViewSet):
    model = StartStep
    icon = "list-ol"
    menu_label = _("Stappen van startpaden")
    list_display = ["path", "position", "title", "responsible_organisation", "asks_document"]
    list_filter = ["path"]
    ordering = ["path", "position"]


class StarterViewSet(SnippetViewSet):
    model = Starter
    icon = "user"
    menu_label = _("Starters")
    list_display = ["user", "path", "provider", "coach", "started_on"]
    list_filter = ["path", "provider"]


class MunicipalRuleViewSet(SnippetViewSet):
    model = MunicipalRule
    icon = "table"
    menu_label = _("Regels per gemeente")
    list_display = ["topic", "municipality", "rule", "checked_on"]
    list_filter = ["theme", "municipality"]


class StartPathGroup(SnippetViewSetGroup):
    items = (StartPathViewSet, StartStepViewSet, StarterViewSet)
    menu_icon = "list-ol"
    menu_label = _("Startpad gezinshuizen")
    menu_name = "startpad"


register_snippet(StartPathGroup)
register_snippet(MunicipalRuleViewSet)
