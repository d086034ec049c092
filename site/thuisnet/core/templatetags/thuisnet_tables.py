"""A scrollable table that keyboard users can reach (WCAG 2.1.1, axe "scrollable-region-focusable").

    {% load thuisnet_tables %}
    {% scroll_table _("Vraag per gemeente") %}<table>...</table>{% endscroll_table %}

renders ``<div class="table-wrap" role="region" aria-label="..." tabindex="0">...</div>``:
at 320-360 px a wide table scrolls sideways inside the region, which takes focus so the
arrow keys scroll it, and screen readers announce the region by its label.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.tag("scroll_table")
def do_scroll_table(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% scroll_table label %} takes one argument: the region's label")
    label = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(label, nodelist)


class ScrollTableNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context) -> str:
        label = self.label.resolve(context)
        inner = self.nodelist.render(context)
        return format_html(
            '<div class="table-wrap" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            _safe(inner),
        )


def _safe(html: str):
    from django.utils.safestring import mark_safe

    return mark_safe(html)  # noqa: S308 - rendered template output, already escaped
