"""Reading the register's CSV files safely: checksum, encoding, HTML and truncation checks.

GIAS publishes Windows-1252 CSV; copies passed around are sometimes re-encoded to UTF-8.
Lines are decoded one at a time (UTF-8 when valid, else Windows-1252), so a file of any
size is read in constant memory.
"""

import csv
import gzip
import hashlib
import re
from datetime import datetime

HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml|<head|<body)", re.IGNORECASE)
DATED_NAME = re.compile(r"(\d{8})\.csv")


class RegisterFileError(Exception):
    """The file must not be imported; the message says why."""


def file_checksum(*paths):
    """SHA-256 of the files' bytes, in order, read in blocks."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def open_binary(path):
    """The file's bytes, uncompressed if it is gzipped (bundled copies are)."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def refuse_html(path):
    try:
        with open_binary(path) as handle:
            start = handle.read(2048).lstrip(b"\xef\xbb\xbf")
    except (OSError, EOFError) as error:
        raise RegisterFileError(f"cannot read the file: {error}") from error
    if HTML_START.match(start):
        raise RegisterFileError(
            "the file is an HTML page, not a CSV extract (GIAS answers a missing date with a page)"
        )
    if not start.strip():
        raise RegisterFileError("the file is empty")


def decoded_lines(handle, progress=None):
    for raw in handle:
        if progress:
            progress(len(raw))
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def read_rows(path, required_columns, progress=None):
    """Yield (line number, row dict) after checking the header; refuse a truncated file.

    The line number is the file's physical line where the row starts, as a person
    opening the file would count it.
    """
    refuse_html(path)
    with open_binary(path) as handle:
        lines = decoded_lines(handle, progress)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except StopIteration as error:
            raise RegisterFileError("the file is empty") from error
        header = [name.lstrip("\ufeff") for name in header]
        missing = [name for name in required_columns if name not in header]
        if missing:
            raise RegisterFileError(
                f"the file lacks required columns: {', '.join(missing)} "
                f"(it has {len(header)} columns, starting {', '.join(header[:3])})"
            )
        width = len(header)
        line = reader.line_num + 1
        try:
            for values in reader:
                if len(values) != width:
                    if not values:
                        line = reader.line_num + 1
                        continue
                    raise RegisterFileError(
                        f"line {line} has {len(values)} fields, the header has {width}: "
                        "the file is truncated or malformed"
                    )
                yield line, dict(zip(header, values, strict=True))
                line = reader.line_num + 1
        except csv.Error as error:
            raise RegisterFileError(
                f"line {line}: {error} (the file is truncated or malformed)"
            ) from error
        except (OSError, EOFError) as error:  # a truncated or corrupt gzip file
            raise RegisterFileError(
                f"after line {line}: {error} (the file is truncated or corrupt)"
            ) from error


def parse_date(value):
    """GIAS dates are DD-MM-YYYY; blank means unknown."""
    value = value.strip()
    if not value:
        return None
    return datetime.strptime(value, "%d-%m-%Y").date()


def extract_date_from_name(location):
    """The date a GIAS file name carries (edubasealldata20251124.csv), if any."""
    match = DATED_NAME.search(str(location))
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None
