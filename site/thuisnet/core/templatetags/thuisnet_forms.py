"""Render a form field's widget wired to its hint and its errors for screen readers.

Django 5 adds ``aria-describedby="<id>_helptext"`` by itself, but only for the hint and with
an id our field include used to spell differently, so hints such as "Nooit een naam" were
never announced and errors were not linked to their input. Here the widget always names
exactly the elements the include renders, and says when it is invalid.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def field_widget(field: BoundField) -> str:
    attrs: dict[str, str] = {}
    ids = described_by(field)
    widget = field.field.widget
    grouped = (
        getattr(widget, "allow_multiple_selected", False) or getattr(widget, "input_type", "") == "radio"
    )
    if ids and not grouped:
        attrs["aria-describedby"] = ids
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def describedby(field: BoundField) -> str:
    return described_by(field)
