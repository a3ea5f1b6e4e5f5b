import os
import re
import subprocess
import sys

from django.conf import settings


def import_settings(**environment):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV"}}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import partnerships_map.settings as s; print(s.DEBUG)"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings(DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_is_not_in_debug_mode_by_default():
    result = import_settings(DJANGO_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_an_unknown_environment_is_refused():
    result = import_settings(DJANGO_ENV="staging")
    assert "DJANGO_ENV must be development, test or production" in result.stderr


def test_without_a_database_url_it_names_the_scripts_that_set_one():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import partnerships_map.settings"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert "DATABASE_URL is not set" in result.stderr
    named = re.findall(r"`(scripts/\w+)`", result.stderr)
    assert named == ["scripts/run", "scripts/test"]
    assert all((settings.BASE_DIR / script).is_file() for script in named)


def test_tests_run_without_basemap_tiles():
    assert settings.ENVIRONMENT == "test"
    assert settings.MAP_TILE_URL == ""


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-production-secret-key-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "map.example.org",
}


def production_value(expression, **environment):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV"}}
    env.update({**PRODUCTION, **environment})
    result = subprocess.run(
        [sys.executable, "-c", f"import partnerships_map.settings as s; print({expression})"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deploy_checks_are_clean_with_production_settings():
    # (DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own, never a deployment's.)
    unset = {"SECRET_KEY", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts_unless_told_otherwise():
    assert production_value("(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)") == "(True, 31536000)"
    assert production_value("s.SECURE_REDIRECT_EXEMPT") == "['^healthz$']"
    configured = production_value(
        "(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
    )
    assert configured == "(False, 3600, True)"


def test_a_malformed_trusted_proxies_stops_start_up():
    result = import_settings(TRUSTED_PROXIES="proxy.example.org")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must be empty, a number of proxies, or comma-separated" in result.stderr


def test_the_tile_host_is_the_only_other_image_source():
    images = production_value(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    )
    assert images == "[\"'self'\", 'data:', 'https://*.tiles.example.org']"


def test_the_development_server_never_keeps_database_connections():
    """It runs a thread per request: kept connections would exhaust PostgreSQL's slots."""
    code = "import partnerships_map.settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])"
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV"}}
    for argv, expected in ((["manage.py", "runserver"], "0"), (["gunicorn"], "60")):
        result = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.argv = {argv!r}; {code}"],
            env={**env, "DB_CONN_MAX_AGE": "60"},
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        assert result.stdout.strip() == expected, result.stderr
