"""Knowledge base (Wagtail pages) and the question-and-answer space (ordinary models).

A package along the sections of the former ``knowledge/models.py``; every name stays
importable from ``knowledge.models``:

- ``themes``: ``Theme`` and ``THEME_DESCRIPTIONS``
- ``pages``: ``KnowledgeIndexPage``, ``KnowledgeArticlePage``, ``ArticleForm`` (CMS pages)
- ``region_settings``: ``AnonymousPostingRule``
- ``qa``: ``PostStatus``, ``Question``, ``Answer``, ``HelpfulVote``, ``Report``,
  ``ModerationAction``
- ``notifications``: ``ThemeFollow``, ``NotificationSettings``, ``Notification``,
  ``DigestDelivery``
- ``municipal``: ``MunicipalRule``
- the start path models live in ``knowledge/startpath/models.py``.

Counters and states that change often (votes, accepted answers, moderation) live in
ordinary models, never on a Wagtail page: publishing a revision would reset them.
"""

from ..startpath.models import Starter, StartPath, StartStep, StepProgress
from .municipal import MunicipalRule
from .notifications import DigestDelivery, Notification, NotificationSettings, ThemeFollow
from .pages import ArticleForm, KnowledgeArticlePage, KnowledgeIndexPage
from .qa import Answer, HelpfulVote, ModerationAction, PostStatus, Question, Report
from .region_settings import AnonymousPostingRule
from .themes import THEME_DESCRIPTIONS, Theme

__all__ = [
    "THEME_DESCRIPTIONS",
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
