import os
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


def test_tests_run_without_basemap_tiles():
    assert settings.ENVIRONMENT == "test"
    assert settings.MAP_TILE_URL == ""
