"""Production static files: the map's ES modules import each other by their hashed names."""

import re

from django.core.management import call_command

HASHED = re.compile(r"\.[0-9a-f]{12}\.js$")


def test_module_imports_point_at_hashed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "partnerships_map.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    modules = [p for p in (tmp_path / "js").rglob("*.js") if HASHED.search(p.name)]
    imports = {module: re.findall(r'from "([^"]+)"', module.read_text()) for module in modules}
    (main,) = [
        module
        for module in modules
        if module.parent.name == "map" and module.name.startswith("main.")
    ]
    (render,) = [module for module in modules if module.name.startswith("render.")]
    assert imports[main] and imports[render]  # the modules that import most of the others
    for module, names in imports.items():
        for name in names:
            assert HASHED.search(name), (module.name, name)
            assert (module.parent / name).resolve().exists(), (module.name, name)
