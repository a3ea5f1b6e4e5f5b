"""`{% link_not_working not_working source.url %}`: beside a cited source whose link the
weekly check found not working, say since when (the source stays listed)."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.timezone import localtime

register = template.Library()


@register.simple_tag
def link_not_working(not_working, url):
    """`not_working` is `partnerships.link_health.not_working_since(urls)`."""
    since = not_working.get(url)
    if since is None:
        return ""
    return format_html(
        ' <strong class="link-broken">link not working since '
        '<time datetime="{}">{}</time></strong>',
        localtime(since).date().isoformat(),
        format_date(localtime(since), "j F Y"),
    )
