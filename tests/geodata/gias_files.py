"""Variants of the recorded GIAS extract for tests, written in the real format."""

import csv
import io
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "gias" / "edubasealldata20251124.csv"


def read_sample():
    with open(SAMPLE, newline="", encoding="cp1252") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def write_extract(path, header, rows, encoding="cp1252"):
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    Path(path).write_bytes(buffer.getvalue().encode(encoding))
    return Path(path)


def edited_extract(folder, name="edubasealldata20251125.csv", edit=None, drop_columns=()):
    """The sample, optionally edited (`edit(rows) -> rows`), saved as `folder/name`."""
    header, rows = read_sample()
    if edit:
        rows = edit(rows)
    header = [column for column in header if column not in drop_columns]
    rows = [{k: v for k, v in row.items() if k in header} for row in rows]
    return write_extract(Path(folder) / name, header, rows)
