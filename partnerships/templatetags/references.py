"""Numbered references beside each fact, as an encyclopedia gives them: `{% cite said
"founded_year" %}` links the fact to the sources (listed below it, numbered) that state it,
and says where a source supports it only by a written inference rule."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def cite(said, field, prefix="source"):
    """`said` is `partnerships.provenance.said_by(sources)`; nothing if no source says it."""
    references = said.get(field) if said else None
    if not references:
        return ""
    links = format_html_join(
        ", ",
        '<a href="#{}-{}" aria-label="Source {}{}">{}{}</a>',
        (
            (
                prefix,
                number,
                number,
                ", inferred" if inferred else "",
                number,
                " inferred" if inferred else "",
            )
            for number, inferred in references
        ),
    )
    return format_html('<sup class="refs">[{}]</sup>', links)
