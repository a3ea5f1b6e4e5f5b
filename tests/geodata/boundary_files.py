"""The bundled boundary set copied for tests, optionally edited, in the real formats."""

import csv
import json
import shutil

from geodata.importers.boundaries import DEFAULT_SET


def copy_set(tmp_path, edit_features=None, edit_lookup=None):
    """The bundled files copied to tmp_path, optionally edited, as load_boundary_set kwargs."""
    files = dict(DEFAULT_SET)
    with open(DEFAULT_SET["la_file"], encoding="utf-8") as handle:
        collection = json.load(handle)
    if edit_features:
        collection["features"] = edit_features(collection["features"])
    files["la_file"] = tmp_path / "las.geojson"
    files["la_file"].write_text(json.dumps(collection), encoding="utf-8")
    with open(DEFAULT_SET["lookup_file"], newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = reader.fieldnames, list(reader)
    if edit_lookup:
        rows = edit_lookup(rows)
    files["lookup_file"] = tmp_path / "lookup.csv"
    with open(files["lookup_file"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    files["region_file"] = tmp_path / "regions.geojson"
    shutil.copy(DEFAULT_SET["region_file"], files["region_file"])
    return files
