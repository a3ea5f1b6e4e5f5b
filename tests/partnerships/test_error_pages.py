"""The 500 page must render when the database is what failed."""

from django.test import RequestFactory

from partnerships.views import server_error


def test_server_error_page_renders_without_the_database():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert 'href="/privacy/"' in html  # the site's layout, footer included


def test_the_project_uses_it_for_pages(settings):
    from partnerships_map import urls

    response = urls.handler500(RequestFactory().get("/partnerships/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
