"""The only way to change the knowledge app's state. Views parse and authorise, then call one
of these; each raises ``KnowledgeError`` with a Dutch message when it cannot be done.

A package along the app's sections; every public name (and the private steps tests use) is
importable from ``knowledge.services`` as before.
"""

from .answers import (
    accept_answer,
    answer_question,
    verify_answer,
    vote_helpful,
)
from .articles import convert_to_article
from .common import (
    ANSWER_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TITLE_MIN,
    UNSUBSCRIBE_FIELDS,
    UNSUBSCRIBE_SALT,
    KnowledgeError,
    anonymous_allowed,
    rate_limit,
    settings_for,
    unsubscribe,
    unsubscribe_token,
    unsubscribe_url,
)
from .moderation import moderate, report_post
from .preferences import follow_themes, mark_notifications_read, save_preferences
from .questions import ask_question, validate_question
from .startpath import attach_document, enrol, mark_step_done, send_stall_reminders

__all__ = [
    "attach_document",
    "enrol",
    "mark_step_done",
    "send_stall_reminders",
    "ANSWER_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "TITLE_MIN",
    "UNSUBSCRIBE_FIELDS",
    "UNSUBSCRIBE_SALT",
    "KnowledgeError",
    "accept_answer",
    "anonymous_allowed",
    "answer_question",
    "ask_question",
    "convert_to_article",
    "follow_themes",
    "mark_notifications_read",
    "moderate",
    "rate_limit",
    "report_post",
    "save_preferences",
    "settings_for",
    "unsubscribe",
    "unsubscribe_token",
    "unsubscribe_url",
    "validate_question",
    "verify_answer",
    "vote_helpful",
]
