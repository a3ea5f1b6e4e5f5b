"""Load postcode → local authority tables: the bundled Code-Point Open derivation
(`pc`, `utla`) or ONS's Postcode Directory (ONSPD: `pcds`, `oslaua`, `oscty`, `ctry`,
`doterm`), as MapIt does it: COPY into a staging table, then one set-based upsert that
writes only rows that changed, all in one transaction.

A file that fails a check (wrong columns, truncated, too many unplaceable rows, far
fewer rows than last time) is refused whole with nothing changed. Loading the same file
again is skipped (same checksum, table intact). Postcodes outside England (ONSPD `ctry`)
are skipped; terminated postcodes keep their last authority and their end month.
"""

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection

from geodata.import_runs import (
    applied,
    last_success,
    readable,
    recorded_run,
    refuse_implausible_counts,
    reject_row,
)
from geodata.importers.register_files import (
    RegisterFileError,
    decoded_lines,
    open_binary,
    readable_file_checksum,
)
from geodata.models import ImportRun, LocalAuthority, LocalAuthorityCodeAlias, Postcode
from geodata.postcodes import POSTCODE

POSTCODES_FILE = (
    Path(settings.BASE_DIR) / "fixtures" / "postcodes" / "england_postcode_la_codepoint_2022.csv.gz"
)
FORMATS = {
    "codepoint": ["pc", "utla"],
    "onspd": ["pcds", "oslaua", "oscty", "ctry", "doterm"],
}
ENGLAND = "E92000001"
MAX_REJECTED_SHARE = 0.01
MAX_ROW_DROP = 0.20
COPY_CHUNK = 20_000
NULL = "\\N"  # COPY's null


def authority_codes():
    """ONS code (current or former, when it names one authority) -> DfE code as a number."""
    codes = {la.ons_code: int(la.dfe_code) for la in LocalAuthority.objects.current()}
    if not codes:
        raise RegisterFileError("no local authorities are loaded: run load_boundaries first")
    aliases = {}
    for code, dfe in LocalAuthorityCodeAlias.objects.filter(
        scheme=LocalAuthorityCodeAlias.Scheme.ONS, local_authority__is_current=True
    ).values_list("code", "local_authority__dfe_code"):
        aliases.setdefault(code, set()).add(int(dfe))
    for code, successors in aliases.items():
        if len(successors) == 1 and code not in codes:
            codes[code] = successors.pop()
    return codes


def end_month(value):
    value = value.strip()
    if not value:
        return None
    if len(value) != 6 or not value.isdigit() or not 1 <= int(value[4:]) <= 12:
        raise ValueError(f"doterm {value!r} is not a YYYYMM month")
    return date(int(value[:4]), int(value[4:]), 1)


class PostcodeLoad:
    def __init__(self, run, path):
        self.run = run
        self.path = path
        self.codes = authority_codes()
        self.outside_england = 0

    def reject(self, line, postcode, error):
        reject_row(self.run, line, error, postcode=postcode)

    def rows(self):
        """(postcode, DfE code, terminated) for each English row; bad rows are rejected."""
        try:
            with open_binary(self.path) as handle:
                reader = csv.reader(decoded_lines(handle), strict=True)
                header = [name.lstrip("\ufeff").strip().lower() for name in next(reader, [])]
                kind = next(
                    (k for k, cols in FORMATS.items() if all(c in header for c in cols)), None
                )
                if kind is None:
                    raise RegisterFileError(
                        "the file has neither the bundled columns (pc, utla) nor ONSPD's "
                        f"(pcds, oslaua, oscty, ctry, doterm); it has: {', '.join(header[:6])}"
                    )
                self.run.message = f"format: {kind}"
                index = {name: header.index(name) for name in FORMATS[kind]}
                width = len(header)
                for values in reader:
                    line = reader.line_num
                    if len(values) != width:
                        if not values:
                            continue
                        raise RegisterFileError(
                            f"line {line} has {len(values)} fields, the header has {width}: "
                            "the file is truncated or malformed"
                        )
                    self.run.rows_read += 1
                    row = self.parse(kind, index, values, line)
                    if row:
                        yield row
        except csv.Error as error:
            raise RegisterFileError(f"{error} (the file is truncated or malformed)") from error
        except (OSError, EOFError) as error:
            raise RegisterFileError(f"{error} (the file is truncated or corrupt)") from error

    def parse(self, kind, index, values, line):
        if kind == "onspd":
            if values[index["ctry"]].strip() != ENGLAND:
                self.outside_england += 1
                return None
            county = values[index["oscty"]].strip()
            la_code = county if county.startswith("E10") else values[index["oslaua"]].strip()
            raw = values[index["pcds"]]
        else:
            la_code = values[index["utla"]].strip()
            raw = values[index["pc"]]
        postcode = raw.replace(" ", "").upper()
        if not POSTCODE.match(postcode):
            self.reject(line, raw, "not a postcode")
            return None
        dfe = self.codes.get(la_code)
        if dfe is None:
            self.reject(line, raw, f"{la_code!r} is not the code of one current English LA")
            return None
        terminated = None
        if kind == "onspd":
            try:
                terminated = end_month(values[index["doterm"]])
            except ValueError as error:
                self.reject(line, raw, str(error))
                return None
        return postcode, dfe, terminated

    def check_counts(self, force):
        refuse_implausible_counts(
            self.run, force=force, max_rejected_share=MAX_REJECTED_SHARE, max_row_drop=MAX_ROW_DROP
        )

    def stage(self, cursor):
        # ON COMMIT DROP does not fire when the load runs inside an outer transaction.
        cursor.execute("DROP TABLE IF EXISTS postcode_staging")
        cursor.execute(
            "CREATE TEMP TABLE postcode_staging (postcode text, la_code smallint, "
            "terminated date) ON COMMIT DROP"
        )
        staged = 0
        with cursor.copy(
            "COPY postcode_staging (postcode, la_code, terminated) FROM STDIN"
        ) as copy:
            chunk = []
            for postcode, dfe, terminated in self.rows():
                chunk.append(f"{postcode}\t{dfe}\t{terminated or NULL}\n")
                if len(chunk) >= COPY_CHUNK:
                    copy.write("".join(chunk))
                    staged += len(chunk)
                    chunk = []
            copy.write("".join(chunk))
            staged += len(chunk)
        return staged

    def upsert(self, cursor):
        """Insert new postcodes, update changed ones; a repeated postcode keeps its live row."""
        cursor.execute(
            """
            WITH written AS (
                INSERT INTO geodata_postcode (postcode, la_code, terminated)
                SELECT DISTINCT ON (postcode) postcode, la_code, terminated
                FROM postcode_staging ORDER BY postcode, terminated DESC NULLS FIRST
                ON CONFLICT (postcode) DO UPDATE
                    SET la_code = EXCLUDED.la_code, terminated = EXCLUDED.terminated
                WHERE (geodata_postcode.la_code, geodata_postcode.terminated)
                    IS DISTINCT FROM (EXCLUDED.la_code, EXCLUDED.terminated)
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM written
            """
        )
        return cursor.fetchone()

    def apply(self, force):
        with applied(self.run), connection.cursor() as cursor:
            staged = self.stage(cursor)
            self.check_counts(force)
            self.run.created, self.run.updated = self.upsert(cursor)
            self.run.unchanged = staged - self.run.created - self.run.updated
        self.run.message = (
            f"{self.run.message}; {self.run.rows_read} rows: {self.run.created} postcodes "
            f"created, {self.run.updated} updated, {self.run.unchanged} unchanged, "
            f"{self.outside_england} outside England skipped, {self.run.rejected} rejected"
        )


def already_loaded(run):
    """The same file as the last successful load, with the table still holding it."""
    last = last_success(ImportRun.Source.POSTCODES, exclude=run)
    if not last or last.checksum != run.checksum:
        return None
    stored = last.created + last.updated + last.unchanged
    return last if stored and Postcode.objects.count() >= stored else None


def load_postcodes(path=POSTCODES_FILE, *, force=False, dry_run=False, triggered_by=""):
    """Load a postcode file; returns its ImportRun, recorded whatever happens."""

    def work(run):
        run.checksum = readable_file_checksum(path)
        last = None if (force or dry_run) else already_loaded(run)
        if last:
            run.rows_read = last.rows_read
            run.unchanged = last.created + last.updated + last.unchanged
            run.message = "Same file as the last load, and the table holds it: nothing to do."
        else:
            PostcodeLoad(run, path).apply(force)

    return recorded_run(
        ImportRun.Source.POSTCODES,
        work,
        location=str(path),
        refusals=(RegisterFileError,),
        dry_run=dry_run,
        triggered_by=readable(triggered_by, 100),
        forced=force,
    )
