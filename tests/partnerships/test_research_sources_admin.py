"""Moderators edit an LA research record's sources as forms, one per source, not as JSON."""

import pytest

from partnerships.models import ChangeLogEntry, LAResearch

pytestmark = pytest.mark.django_db
SHEFFIELD = "E08000019"


@pytest.fixture
def sheffield(la_research):
    return LAResearch.objects.get(local_authority__ons_code=SHEFFIELD)


def url(research):
    return f"/admin/partnerships/laresearch/{research.pk}/change/"


def opened(client, research):
    """What the browser posts for the form as shown: the record's fields and each source's."""
    page = client.get(url(research))
    form = page.context["adminform"].form
    data = {bound.name: bound.value() for bound in form if bound.value()}
    sources = form.sources
    data.update(
        {
            "sources-TOTAL_FORMS": str(len(sources.forms)),
            "sources-INITIAL_FORMS": str(sources.initial_form_count()),
        }
    )
    for source in sources.forms:
        for bound in source:
            value = bound.value()
            if value in (None, "", [], False):
                continue
            data[bound.html_name] = value
    return page, data


def test_sources_are_shown_as_fields_not_json(client, admin_user, sheffield):
    client.force_login(admin_user)
    page, _ = opened(client, sheffield)
    html = page.content.decode()
    first = sheffield.sources[0]
    assert 'name="sources-0-url"' in html and f'value="{first["url"]}"' in html
    assert 'name="sources-0-supports"' in html and 'name="sources-0-DELETE"' in html
    assert 'name="sources"' not in html  # no JSON text area


def test_a_source_is_edited_added_and_removed(client, admin_user, sheffield):
    client.force_login(admin_user)
    before = list(sheffield.sources)
    _, data = opened(client, sheffield)
    count = len(before)
    data["sources-0-title"] = "Renamed source (test)"
    data[f"sources-{count}-url"] = "https://example.org/new-source"
    data[f"sources-{count}-title"] = "A new source (test)"
    data[f"sources-{count}-accessed"] = "2026-12-01"
    data[f"sources-{count}-supports"] = ["summary"]
    if count > 1:
        data["sources-1-DELETE"] = "on"
    response = client.post(url(sheffield), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    sheffield.refresh_from_db()
    titles = [source["title"] for source in sheffield.sources]
    assert titles[0] == "Renamed source (test)"
    assert titles[-1] == "A new source (test)"
    added = sheffield.sources[-1]
    assert added["accessed"] == "2026-12-01" and added["supports"] == ["summary"]
    assert len(sheffield.sources) == count + 1 - (1 if count > 1 else 0)
    assert sheffield.sources[0]["url"] == before[0]["url"]
    assert ChangeLogEntry.objects.filter(research=sheffield, fields__contains=["sources"]).exists()


def test_a_bad_source_is_refused_with_its_error(client, admin_user, sheffield):
    client.force_login(admin_user)
    before = list(sheffield.sources)
    _, data = opened(client, sheffield)
    data["sources-0-url"] = "javascript:alert(1)"
    data["sources-0-published"] = "last spring"
    response = client.post(url(sheffield), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A source has a problem" in html
    assert "Enter the date published as YYYY, YYYY-MM or YYYY-MM-DD." in html
    sheffield.refresh_from_db()
    assert sheffield.sources == before


def test_a_post_without_the_source_forms_leaves_sources_alone(client, admin_user, sheffield):
    client.force_login(admin_user)
    before = list(sheffield.sources)
    _, data = opened(client, sheffield)
    data = {key: value for key, value in data.items() if not key.startswith("sources-")}
    data["la_functions"] = "Admissions (test)."
    assert client.post(url(sheffield), data).status_code == 302
    sheffield.refresh_from_db()
    assert sheffield.sources == before and sheffield.la_functions == "Admissions (test)."
