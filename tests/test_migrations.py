"""Migrations are history: each carries the SQL and values it ran, so a later change to the
application's code never changes what migrating a new database does."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from geodata.models import Trust

APPLICATION = {"api_core", "geodata", "partnerships", "partnerships_map"}
# Django writes a field's default and validators into a migration by dotted path and needs
# them importable; it calls them in Python only, so they change no database.
PYTHON_SIDE_OPTIONS = {"default", "validators"}
MIGRATIONS = sorted(Path(settings.BASE_DIR).glob("*/migrations/[0-9]*.py"))


def application_imports(source):
    """(line, module) for each import of application code in a migration's source, unless
    what it imports is used only as a field's default or validators."""
    tree = ast.parse(source)
    in_options = {
        id(node)
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword) and keyword.arg in PYTHON_SIDE_OPTIONS
        for node in ast.walk(keyword.value)
    }
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    elsewhere = {node.id for node in names if id(node) not in in_options}
    only_in_options = {node.id for node in names if id(node) in in_options} - elsewhere

    def is_application(module):
        return module.startswith(".") or module.split(".")[0] in APPLICATION

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if is_application(alias.name)
                and (alias.asname or alias.name.split(".")[0]) not in only_in_options
            ]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            bound = {alias.asname or alias.name for alias in node.names}
            if is_application(module) and not bound <= only_in_options:
                found.append((node.lineno, module))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            module = node.args[0].value if node.args else None
            if isinstance(module, str) and is_application(module):
                found.append((node.lineno, module))
    return found


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: str(path.relative_to(path.parents[2]))
)
def test_a_migration_imports_no_application_code(path):
    found = application_imports(path.read_text(encoding="utf-8"))
    assert not found, [f"{path.name}:{line} imports {module}" for line, module in found]


@pytest.mark.parametrize(
    "source",
    [
        "from geodata.data_version import BUMP_FUNCTION_SQL\nSQL = BUMP_FUNCTION_SQL",
        "from geodata import data_version\nSQL = data_version.BUMP_FUNCTION_SQL",
        "import geodata.data_version\nSQL = geodata.data_version.BUMP_FUNCTION_SQL",
        "import partnerships.models\nfield = partnerships.models.ChoiceArrayField()",
        "def forwards(apps, schema_editor):\n    from geodata.models import trust_name_key\n"
        "    trust_name_key('x')",
        "from ..models import trust_name_key\nkey = trust_name_key('x')",
        "import importlib\nm = importlib.import_module('api_core.views')",
        "import geodata.models  # imported for what importing it does",
        "import partnerships.models\nfield = CharField(default=partnerships.models.new_reference,"
        " help_text=partnerships.models.HELP)",
    ],
)
def test_every_way_of_importing_application_code_is_found(source):
    assert application_imports(source)


@pytest.mark.parametrize(
    "source",
    [
        "import partnerships.models\nfield = CharField(default=partnerships.models.new_reference)",
        "import partnerships.validators\n"
        "field = URLField(validators=[partnerships.validators.validate_web_address])",
        "import django.contrib.postgres.fields\nf = django.contrib.postgres.fields.ArrayField()",
        "import geodatabase\nx = geodatabase.thing",
    ],
)
def test_defaults_validators_and_other_packages_are_not_application_imports(source):
    assert application_imports(source) == []


@pytest.mark.django_db
def test_the_migrations_describe_the_models_as_they_are():
    """A model changed without a migration, or a field that deconstructs differently from
    what its migration holds (`ChoiceArrayField` is an ArrayField there), fails here."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


TRACKED_TABLES = {
    "geodata_boundaryset",
    "geodata_region",
    "geodata_localauthority",
    "geodata_localauthoritycodealias",
    "geodata_importrun",
    "geodata_trust",
    "geodata_school",
    "geodata_schoollink",
    "geodata_indicator",
    "geodata_indicatorvalue",
    "geodata_statisticalneighbour",
    "partnerships_partnership",
    "partnerships_partnership_local_authorities",
    "partnerships_membership",
    "partnerships_source",
    "partnerships_laresearch",
    "partnerships_changelogentry",
    "partnerships_linkcheck",
    "partnerships_verificationrequest",
}


@pytest.mark.django_db
def test_the_migrated_database_moves_the_data_version_on_every_tracked_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgfoid = 'geodata_bump_data_version'::regproc"
        )
        triggers = cursor.fetchall()
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'geodata_bump_data_version'")
        (function,) = cursor.fetchone()
    for name in ("data_version", "data_version_truncate"):
        assert {table for tgname, table in triggers if tgname == name} == TRACKED_TABLES
    assert "pg_notify('data_version', '')" in function


@pytest.mark.django_db
def test_the_trust_name_keys_migration_normalises_names_as_it_did():
    migration = importlib.import_module("geodata.migrations.0004_register_baseline_postcodes")
    names = {
        1: "The Harmony Trust Ltd",
        2: "St. Mary's & St. John's Catholic Academy Trust LIMITED",
        3: "  Learning   Partners-Academy Trust  ",
    }
    Trust.objects.bulk_create(Trust(uid=uid, name=name) for uid, name in names.items())
    migration.fill_trust_name_keys(apps, None)
    assert dict(Trust.objects.values_list("uid", "name_key")) == {
        1: "harmony trust",
        2: "st mary s and st john s catholic academy trust",
        3: "learning partners academy trust",
    }
