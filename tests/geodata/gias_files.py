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


def write_bytes(folder, content, name="edubasealldata20251125.csv"):
    path = Path(folder) / name
    path.write_bytes(content)
    return path


def sample_header_line():
    return SAMPLE.read_bytes().split(b"\r\n", 1)[0]


def hostile_contents():
    """Files that are not GIAS extracts, by what they are: {label: bytes}."""
    import random
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("edubasealldata20251125.csv", SAMPLE.read_bytes())
    text = SAMPLE.read_bytes().decode("cp1252")
    header = sample_header_line()
    garbage = random.Random(13).randbytes(20_000)
    return {
        "zip renamed .csv": archive.getvalue(),
        "UTF-16 with BOM": text.encode("utf-16"),
        "UTF-16 without BOM": text.encode("utf-16-le"),
        "binary garbage": garbage,
        "binary garbage without NUL": bytes(b for b in garbage if b)[:5000],
        "huge header field": b"URN," + b"x" * 300_000 + b"\r\n1,2\r\n",
        "bad header quoting": b'"URN,"LA (code)"' + header[3:] + b"\r\n1,2\r\n",
        "unclosed header quote": b'"' + header + b"\r\n" + SAMPLE.read_bytes().split(b"\r\n", 1)[1],
        "a line longer than any real one": header + b"\r\n" + b"1" * (2 << 20),
    }
