"""One date format across the public pages: "7 December 2026" (or "December 2026", "2026"
where a source gives only that), never the ISO text the data keeps."""

import datetime
import re

import pytest
from django.utils.html import strip_tags

from partnerships.templatetags.dates import public_date

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize(
    "value, shown",
    [
        ("2025-11-24", "24 November 2025"),
        ("2025-11", "November 2025"),
        ("2025", "2025"),
        (datetime.date(2026, 12, 7), "7 December 2026"),
        ("2025-02-30", "2025-02-30"),  # not a date: shown as it is
        ("spring 2019", "spring 2019"),
        (None, ""),
    ],
)
def test_public_date(value, shown):
    assert public_date(value) == shown


def visible_text(html):
    body = html[html.index("<main") : html.index("</main>")]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return strip_tags(body)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/areas/E08000019/", "/partnerships/learn-sheffield/"])
def test_pages_show_no_iso_dates(client, partnerships, la_research, path):
    text = visible_text(client.get(path).content.decode())
    assert not ISO_DATE.findall(text)
