"""Production static files: the map's ES modules import each other by their hashed names."""

import re

from django.core.management import call_command


def test_module_imports_point_at_hashed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "partnerships_map.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    (main,) = [p for p in (tmp_path / "js" / "map").glob("main.*.js") if p.suffix == ".js"]
    imports = re.findall(r'from "([^"]+)"', main.read_text())
    assert imports and all(re.search(r"\.[0-9a-f]{12}\.js$", name) for name in imports), imports
    for name in imports:
        assert (main.parent / name).resolve().exists(), name
