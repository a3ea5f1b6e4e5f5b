"""`{{ value|public_date }}`: every date the public pages show in one format ("7 December
2026"), whether a date, a datetime, or the ISO text sources are kept as, which may give
only a month ("December 2026") or a year ("2026"). Text that is not such a date is shown
as it is."""

import datetime
import re

from django import template
from django.utils.dateformat import format as format_date

register = template.Library()

PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FULL, MONTH, YEAR = "j F Y", "F Y", "Y"


@register.filter
def public_date(value):
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return format_date(value, FULL)
    match = PARTIAL.match(str(value).strip())
    if not match:
        return value
    year, month, day = match.groups()
    try:
        day_given = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return value
    return format_date(day_given, FULL if day else MONTH if month else YEAR)
