"""How every open-data file is handed out: as an attachment naming its licence, and a CSV
written one way, so no file's cells can run as spreadsheet formulas (the register's names
come from GIAS, the partnerships' from visitors' suggestions)."""

import csv
import io
from itertools import chain

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value that spreadsheet programs show as text, never run as a formula
    (OWASP's CSV-injection advice: prefix a quote to text starting with = + - @ tab CR).
    Numbers are left alone, so a negative number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def attachment(response, filename, licence_link):
    """`response` as a download called `filename`, linked to its licence."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{licence_link}>; rel="license"'
    return response


def csv_response(filename, header, rows, licence, licence_link):
    """A CSV file: `header`, then `rows`, each row followed by the `licence` dict's licence
    and attribution; every cell spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in chain(
        [[*header, "licence", "attribution"]],
        ([*row, licence["licence"], licence["attribution"]] for row in rows),
    ):
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, filename, licence_link)
