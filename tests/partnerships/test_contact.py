"""The contact and privacy pages name the data controller (a setting) and give a
data-protection request route that never leads to the suggestion form."""

import pytest

pytestmark = pytest.mark.django_db


def section(html, anchor):
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("<h2", start + 1)]


def test_the_data_controller_is_named_from_the_settings(client, settings):
    settings.DATA_CONTROLLER_NAME = "Example Education Trust (test)"
    settings.DATA_CONTROLLER_ADDRESS = "1 Test Street\nTestville TE1 1ST"
    for path in ["/contact/", "/privacy/"]:
        html = client.get(path).content.decode()
        controller = html[html.index('id="data-controller"') :][:600]
        assert "Example Education Trust (test)" in controller
        assert "1 Test Street<br>Testville TE1 1ST" in controller


def test_without_a_controller_set_the_pages_say_so(client, settings):
    settings.DATA_CONTROLLER_NAME = ""
    html = client.get("/contact/").content.decode()
    assert "has not yet named its data controller" in html


def test_a_data_protection_request_goes_to_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "privacy@example.org"
    html = section(client.get("/contact/").content.decode(), "data-protection")
    assert 'href="mailto:privacy@example.org?subject=Data%20protection%20request"' in html
    assert "What to send" in html and "within one month" in html
    assert 'href="/suggest/"' not in html
    privacy = client.get("/privacy/").content.decode()
    assert 'href="/contact/#data-protection"' in privacy


def test_without_an_email_requests_go_by_post_never_to_the_suggestion_form(client, settings):
    settings.CONTACT_EMAIL = ""
    settings.DATA_CONTROLLER_NAME = "Example Education Trust (test)"
    settings.DATA_CONTROLLER_ADDRESS = "1 Test Street"
    html = client.get("/contact/").content.decode()
    assert "write to the address above" in section(html, "data-protection")
    assert 'href="/suggest/"' not in section(html, "data-protection")
    api = client.get("/data/api/").content.decode()
    assert 'href="/data/api/key/"' in api and 'href="/suggest/"' not in api


def test_the_contact_page_routes_to_the_api_key_form(client):
    html = client.get("/contact/").content.decode()
    assert 'href="/data/api/key/"' in html
