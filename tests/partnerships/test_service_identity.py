"""Who runs the service and where feedback goes are settings (SERVICE_OWNER, FEEDBACK_URL):
the home page's purpose line, the About page and the beta banner on every page say them."""

import pytest

pytestmark = pytest.mark.django_db


def test_defaults_name_an_open_data_project_and_the_contact_page(client, boundaries):
    about = client.get("/about/").content.decode()
    assert "It is run by an open-data project." in about
    assert 'Your <a href="/contact/">feedback</a> will help us improve it.' in about
    home = client.get("/").content.decode()
    assert "Run by an open-data project" in home and 'id="phase-banner"' in home


def test_the_settings_change_what_every_page_says(client, boundaries, settings):
    settings.SERVICE_OWNER = "the Example Education Research Unit"
    settings.FEEDBACK_URL = "https://forms.example.org/feedback"
    for path in ["/about/", "/contact/", "/no-such-page/"]:
        page = client.get(path).content.decode()
        assert '<a href="https://forms.example.org/feedback">feedback</a>' in page, path
    assert (
        "It is run by the Example Education Research Unit."
        in client.get("/about/").content.decode()
    )
