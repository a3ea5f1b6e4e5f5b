"""Reading the register's CSV files safely: checksum, encoding, HTML and truncation checks.

GIAS publishes Windows-1252 CSV; copies passed around are sometimes re-encoded to UTF-8.
Lines are decoded one at a time (UTF-8 when valid, else Windows-1252), so a file of any
size is read in constant memory. What is plainly not such a file (a zip renamed .csv,
UTF-16, binary data, an HTML page, a line longer than any real one, broken quoting) is
refused with a message saying so, never an exception of another kind. Only the bundled
copies (the census baseline) are read gzipped: a compressed file given to an import of a
downloaded register file is refused before a byte of it is decompressed (a small gzip file
can unpack to gigabytes).
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


def readable_file_checksum(path):
    """`file_checksum`, or a refusal naming the file when it cannot be read."""
    try:
        return file_checksum(path)
    except OSError as error:
        raise RegisterFileError(f"cannot read {path}: {error.strerror or error}") from error


MAX_LINE_BYTES = 1 << 20  # no real line is near this; a longer one is not a CSV extract
SNIFF_BYTES = 1 << 16
SIGNATURES = [
    (b"PK\x03\x04", "a zip archive (or an Excel workbook), not a CSV: extract the CSV first"),
    (b"%PDF", "a PDF document, not a CSV"),
    (b"\xff\xfe", "UTF-16 text; save it as UTF-8 or Windows-1252 CSV"),
    (b"\xfe\xff", "UTF-16 text; save it as UTF-8 or Windows-1252 CSV"),
]


GZIP_MAGIC = b"\x1f\x8b"
COMPRESSED = "the file is gzip-compressed: only a plain CSV extract is imported (decompress it "
COMPRESSED += "first, and check what it unpacks to)"


def is_gzipped(path):
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_binary(path):
    """The file's bytes, uncompressed if it is gzipped (the bundled copies are)."""
    return gzip.open(path, "rb") if is_gzipped(path) else open(path, "rb")  # noqa: SIM115


def refuse_unreadable(path, *, compressed=False):
    """Refuse, with a message a person can act on, what is plainly not a CSV extract;
    a gzipped file too unless `compressed` (a bundled copy) says it may be."""
    try:
        if not compressed and is_gzipped(path):
            raise RegisterFileError(COMPRESSED)
        with open_binary(path) as handle:
            start = handle.read(SNIFF_BYTES)
    except (OSError, EOFError) as error:  # a corrupt gzip file
        raise RegisterFileError(
            f"cannot read the file (it is truncated or corrupt): {error}"
        ) from error
    if not start.strip():
        raise RegisterFileError("the file is empty")
    for signature, what in SIGNATURES:
        if start.startswith(signature):
            raise RegisterFileError(f"the file is {what}")
    if HTML_START.match(start.lstrip(b"\xef\xbb\xbf")):
        raise RegisterFileError(
            "the file is an HTML page, not a CSV extract (GIAS answers a missing date with a page)"
        )
    if b"\x00" in start:
        if (
            start[1::2].count(b"\x00") > len(start) // 4
            or start[::2].count(b"\x00") > len(start) // 4
        ):
            raise RegisterFileError("the file is UTF-16 text; save it as UTF-8 or Windows-1252 CSV")
        raise RegisterFileError("the file holds binary data (NUL bytes), not CSV text")


def decoded_lines(handle, progress=None):
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise RegisterFileError(
                f"line {number} is longer than {MAX_LINE_BYTES // (1 << 20)} MB: not a CSV extract"
            )
        if progress:
            progress(len(raw))
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def csv_problem(line, error):
    return RegisterFileError(f"line {line}: {error} (the file is truncated or malformed)")


def read_records(path, required_columns, progress=None, *, compressed=False):
    """(header, records): the checked header, and (line number, values) for each row;
    a gzipped file is refused unless `compressed` (see `refuse_unreadable`).

    The line number is the file's physical line where the row starts, as a person
    opening the file would count it. Anything that is not a well-formed CSV extract
    raises RegisterFileError, never another exception.
    """
    refuse_unreadable(path, compressed=compressed)
    handle = open_binary(path)  # the records generator closes it
    try:
        reader = csv.reader(decoded_lines(handle, progress), strict=True)
        try:
            header = next(reader)
        except StopIteration as error:
            raise RegisterFileError("the file is empty") from error
        except csv.Error as error:
            raise RegisterFileError(f"the header (line 1) is not valid CSV: {error}") from error
        header = [name.lstrip("\ufeff").strip() for name in header]
        missing = [name for name in required_columns if name not in header]
        if missing:
            shown = ", ".join(repr(name[:40]) for name in header[:3])
            raise RegisterFileError(
                f"the file lacks required columns: {', '.join(missing)} "
                f"(it has {len(header)} columns, starting {shown})"
            )
        repeated = sorted({name for name in header if header.count(name) > 1 and name})
        if repeated:
            raise RegisterFileError(f"the header repeats columns: {', '.join(repeated)}")
    except BaseException:
        handle.close()
        raise
    return header, _records(handle, reader, len(header))


def _records(handle, reader, width):
    with handle:
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
                yield line, values
                line = reader.line_num + 1
        except csv.Error as error:
            raise csv_problem(line, error) from error
        except (OSError, EOFError) as error:  # a truncated or corrupt gzip file
            raise RegisterFileError(
                f"after line {line}: {error} (the file is truncated or corrupt)"
            ) from error


def read_rows(path, required_columns, progress=None, *, compressed=False):
    """Yield (line number, row dict) after checking the header; refuse a truncated file."""
    header, records = read_records(path, required_columns, progress, compressed=compressed)
    for line, values in records:
        yield line, dict(zip(header, values, strict=True))


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
