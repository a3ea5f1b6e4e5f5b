"""Every page carries a Content-Security-Policy that forbids inline script, and no page
needs one: its data travels in JSON blocks, its code in our static files."""

import re

import pytest

pytestmark = pytest.mark.django_db
SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S)


def inline_styles(html):
    return re.findall(r"<style[^>]*>", html)


def inline_scripts(html):
    return [
        match.group(0)[:120]
        for match in SCRIPT.finditer(html)
        if "src=" not in match.group("attributes")
        and 'type="application/json"' not in match.group("attributes")
    ]


def test_pages_have_a_strict_csp_and_no_inline_script(client, partnerships, register):
    from geodata.models import School

    school = School.objects.filter(trust__isnull=False).first()
    pages = [
        "/",
        "/areas/E08000019/",
        "/partnerships/learn-sheffield/",
        f"/schools/{school.urn}/",
        f"/trusts/{school.trust_id}/",
        "/data/",
        "/suggest/",
        "/api/v1/docs/",
        "/api/v1/docs/?script=",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"][0] == "'self'", policy
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        if "script=" not in page:
            assert inline_scripts(response.content.decode()) == [], page
            assert inline_styles(response.content.decode()) == [], page
