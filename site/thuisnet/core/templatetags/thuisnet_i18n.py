"""Language of content: Dutch CMS and community text inside an English interface.

The interface follows the visitor's language, but pages, articles, questions and answers are
written in Dutch (``WAGTAIL_CONTENT_LANGUAGES``). Screen readers pronounce text in the
language the markup says, so Dutch content in the English interface needs ``lang="nl"``.

- ``{% cms_content_lang page as lang %}``: the content language when a Wagtail page is shown
  and it differs from the interface language (used by ``base.html`` to wrap page content),
  else "".
- ``{% content_lang %}``: ``lang="nl"`` (with a leading space) when the interface is not
  Dutch, for any element holding Dutch user or CMS content:
  ``<div class="answer__body"{% content_lang %}>{{ answer.body }}</div>``.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


def content_language() -> str:
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or [(settings.LANGUAGE_CODE, "")]
    return languages[0][0]


def differs_from_interface() -> bool:
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current != content_language().split("-")[0]


@register.simple_tag
def cms_content_lang(page=None) -> str:
    # A Wagtail page (not a paginator page, which views also call "page").
    if page is None or not hasattr(page, "url_path") or not differs_from_interface():
        return ""
    return content_language()


@register.simple_tag
def content_lang() -> str:
    if not differs_from_interface():
        return ""
    return mark_safe(f' lang="{content_language()}"')  # noqa: S308 - a settings value
