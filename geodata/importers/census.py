"""Load the school census baseline: every school in England in January 2023, with trust
names and postcode locations (fixtures/schools/), so the register is never empty.

GIAS supersedes it URN by URN: a school a GIAS import has written is never touched here,
and the GIAS import marks baseline schools its extract lacks as missing. The census names
trusts but gives no UIDs; each distinct trust (by normalised name) becomes a baseline trust
numbered from BASELINE_TRUST_UID_START (see `geodata.trusts` for reconciliation).

Set-based: rows are checked in Python, coordinates converted in one vectorised call, then
COPYed into a staging table; LAs (former code 909 by location), trusts and the upsert
are SQL statements. A row whose content has not changed is not written.
"""

import csv
import io
import math
from pathlib import Path

import numpy
from django.conf import settings
from django.db import connection, models
from pyproj import Transformer

from geodata.import_runs import (
    applied,
    follow_up,
    readable,
    recorded_run,
    refuse_implausible_counts,
    reject_row,
)
from geodata.importers.register_files import (
    RegisterFileError,
    read_rows,
    readable_file_checksum,
)
from geodata.models import (
    BASELINE_TRUST_UID_START,
    CENSUS_DATE,
    ImportRun,
    LocalAuthority,
    LocalAuthorityCodeAlias,
    RecordSource,
    School,
    trust_name_key,
)
from geodata.signals import register_imported

CENSUS_FILE = (
    Path(settings.BASE_DIR) / "fixtures" / "schools" / "schools_england_spc2023_codepoint.csv.gz"
)
TYPES_FILE = Path(settings.BASE_DIR) / "fixtures" / "gias" / "establishment_types_20250422.csv"
REQUIRED_COLUMNS = [
    "urn",
    "la_code",
    "school_name",
    "phase_type_grouping",
    "typeofestablishment_name",
    "trust_name",
    "sex_of_school_description",
    "denomination",
    "urban_rural",
    "school_postcode",
    "easting",
    "northing",
    "pupils_headcount",
]
# The census's phase grouping in GIAS's phase codes and names.
PHASES = {
    "State-funded nursery": ("1", "Nursery"),
    "State-funded primary": ("2", "Primary"),
    "State-funded secondary": ("4", "Secondary"),
}
NOT_APPLICABLE = {"Not applicable", "Does not apply", "", "z", "x"}
MAX_REJECTED_SHARE = 0.05
MAX_ROW_DROP = 0.20
STAGING_COLUMNS = [
    ("line", "integer"),
    ("urn", "integer"),
    ("name", "text"),
    ("register_la_code", "text"),
    ("establishment_type", "text"),
    ("type_group_code", "text"),
    ("type_group", "text"),
    ("phase_code", "text"),
    ("phase", "text"),
    ("gender", "text"),
    ("religious_character", "text"),
    ("urban_rural", "text"),
    ("postcode", "text"),
    ("number_of_pupils", "integer"),
    ("location", "geometry(Point, 4326)"),
    ("trust_name", "text"),
    ("trust_key", "text"),
]
# School columns the census gives (staging column of the same name) or that the load sets.
SET_BY_LOAD = {
    "local_authority_id": "s.la_id",
    "trust_id": "s.trust_id",
    "status": "'Open'",
    "first_seen": "%(census_date)s",
    "last_seen": "%(census_date)s",
    "missing_since": "NULL",
    "content_hash": "s.content_hash",
    "record_source": f"'{RecordSource.CENSUS}'",
    "updated_at": "now()",
}


class RowError(ValueError):
    pass


def establishment_types(path=TYPES_FILE):
    """GIAS type name -> (type group code, type group name)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["type-of-establishment-name"]: (
                row["establishment-type-group-code"],
                row["establishment-type-group-name"],
            )
            for row in csv.DictReader(handle)
        }


def optional(value):
    value = value.strip()
    return "" if value in NOT_APPLICABLE else value


def pupils(value):
    value = value.strip()
    if value in NOT_APPLICABLE:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise RowError(f"pupils_headcount {value!r} is not a number") from None


def coordinate(value, name):
    value = value.strip()
    if not value:
        return math.nan
    try:
        return float(value)
    except ValueError:
        raise RowError(f"{name} {value!r} is not a number") from None


def parse_row(row, types):
    urn = row["urn"].strip()
    if not urn.isdigit():
        raise RowError(f"urn {urn!r} is not a number")
    name = row["school_name"].strip()
    if not name:
        raise RowError("the school has no name")
    la_code = row["la_code"].strip()
    if not (len(la_code) == 3 and la_code.isdigit()):
        raise RowError(f"la_code {la_code!r} is not a 3-digit DfE code")
    establishment_type = row["typeofestablishment_name"].strip()
    if establishment_type not in types:
        raise RowError(f"unknown type of establishment {establishment_type!r}")
    group_code, group = types[establishment_type]
    phase_code, phase = PHASES.get(row["phase_type_grouping"].strip(), ("0", "Not applicable"))
    trust_name = row["trust_name"].strip()
    return {
        "urn": int(urn),
        "name": name,
        "register_la_code": la_code,
        "establishment_type": establishment_type,
        "type_group_code": group_code,
        "type_group": group,
        "phase_code": phase_code,
        "phase": phase,
        "gender": optional(row["sex_of_school_description"]),
        "religious_character": optional(row["denomination"]),
        "urban_rural": optional(row["urban_rural"]),
        "postcode": row["school_postcode"].strip(),
        "number_of_pupils": pupils(row["pupils_headcount"]),
        "trust_name": trust_name,
        "trust_key": trust_name_key(trust_name) if trust_name else "",
        "_xy": (coordinate(row["easting"], "easting"), coordinate(row["northing"], "northing")),
    }


def copy_value(value):
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class CensusLoad:
    """One load into an open transaction; counts go on the run."""

    def __init__(self, run, path):
        self.run = run
        self.path = path

    def reject(self, line, urn, error):
        reject_row(self.run, line, error, urn=urn)

    def read(self):
        types = establishment_types()
        rows, seen = [], set()
        for line, row in read_rows(self.path, REQUIRED_COLUMNS, compressed=True):
            self.run.rows_read += 1
            try:
                values = parse_row(row, types)
                if values["urn"] in seen:
                    raise RowError("the URN appears twice in the file")
            except RowError as error:
                self.reject(line, row.get("urn", "").strip(), error)
                continue
            seen.add(values["urn"])
            values["line"] = line
            rows.append(values)
        self.locate(rows)
        return rows

    @staticmethod
    def locate(rows):
        """British National Grid to WGS84 for every row in one vectorised call."""
        if not rows:
            return
        xy = numpy.array([values.pop("_xy") for values in rows], dtype=float)
        transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
        for values, x, y in zip(rows, lon, lat, strict=True):
            ok = math.isfinite(x) and math.isfinite(y)
            values["location"] = f"SRID=4326;POINT({x:.6f} {y:.6f})" if ok else None

    def check_counts(self, force):
        refuse_implausible_counts(
            self.run, force=force, max_rejected_share=MAX_REJECTED_SHARE, max_row_drop=MAX_ROW_DROP
        )

    def stage(self, cursor, rows):
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGING_COLUMNS)
        # ON COMMIT DROP does not fire when the load runs inside an outer transaction.
        cursor.execute("DROP TABLE IF EXISTS census_staging, census_la_codes")
        cursor.execute(
            f"CREATE TEMP TABLE census_staging ({columns}, la_id bigint, trust_id integer, "
            "content_hash text) ON COMMIT DROP"
        )
        names = [name for name, _ in STAGING_COLUMNS]
        buffer = io.StringIO()
        for values in rows:
            buffer.write("\t".join(copy_value(values[name]) for name in names) + "\n")
        with cursor.copy(f"COPY census_staging ({', '.join(names)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())

    def resolve_authorities(self, cursor):
        """DfE code to authority; a former code split between authorities (909) by location."""
        codes = [(la.dfe_code, la.pk) for la in LocalAuthority.objects.current().only("dfe_code")]
        codes += list(
            LocalAuthorityCodeAlias.objects.filter(
                scheme=LocalAuthorityCodeAlias.Scheme.DFE, local_authority__is_current=True
            ).values_list("code", "local_authority_id")
        )
        if not codes:
            raise RegisterFileError("no local authorities are loaded: run load_boundaries first")
        cursor.execute("CREATE TEMP TABLE census_la_codes (code text, la_id bigint) ON COMMIT DROP")
        with cursor.copy("COPY census_la_codes (code, la_id) FROM STDIN") as copy:
            for code, la_id in set(codes):
                copy.write_row((code, la_id))
        cursor.execute(
            """
            UPDATE census_staging s SET la_id = c.la_id
            FROM (SELECT code, min(la_id) AS la_id FROM census_la_codes GROUP BY code
                  HAVING count(*) = 1) c
            WHERE s.register_la_code = c.code
            """
        )
        cursor.execute(
            """
            UPDATE census_staging s SET la_id = (
                SELECT c.la_id FROM census_la_codes c
                JOIN geodata_localauthority la ON la.id = c.la_id
                WHERE c.code = s.register_la_code
                ORDER BY ST_Distance(la.boundary, s.location), la.id LIMIT 1)
            WHERE s.la_id IS NULL AND s.location IS NOT NULL
            """
        )
        cursor.execute(
            """
            DELETE FROM census_staging s WHERE la_id IS NULL
            RETURNING line, urn, register_la_code,
                EXISTS (SELECT 1 FROM census_la_codes c WHERE c.code = s.register_la_code)
            """
        )
        for line, urn, code, known in sorted(cursor.fetchall()):
            error = (
                f"LA code {code} is a former code now split between authorities, and the "
                "school has no location to say which"
                if known
                else f"unknown LA code {code!r} (not an English LA with education duties)"
            )
            self.reject(line, str(urn), error)

    def save_trusts(self, cursor):
        """A baseline trust for each trust name no current trust already has."""
        cursor.execute(
            """
            INSERT INTO geodata_trust (uid, name, name_key, trust_type, companies_house_number,
                                       record_source, superseded_by_id, updated_at)
            SELECT (SELECT coalesce(max(uid), %(start)s - 1) FROM geodata_trust
                    WHERE uid >= %(start)s) + row_number() OVER (ORDER BY k.trust_key),
                   k.name, k.trust_key, '', '', %(census)s, NULL, now()
            FROM (SELECT trust_key, min(trust_name) AS name FROM census_staging
                  WHERE trust_key <> '' GROUP BY trust_key) k
            WHERE NOT EXISTS (SELECT 1 FROM geodata_trust t
                              WHERE t.name_key = k.trust_key AND t.superseded_by_id IS NULL)
            """,
            {"start": BASELINE_TRUST_UID_START, "census": RecordSource.CENSUS},
        )
        self.trusts_created = cursor.rowcount
        cursor.execute(
            """
            UPDATE census_staging s SET trust_id = t.uid
            FROM (SELECT name_key, min(uid) AS uid FROM geodata_trust
                  WHERE superseded_by_id IS NULL GROUP BY name_key) t
            WHERE s.trust_key <> '' AND s.trust_key = t.name_key
            """
        )

    def upsert(self, cursor):
        loaded = [name for name, _ in STAGING_COLUMNS if name not in ("line", "trust_name")]
        loaded.remove("trust_key")
        cursor.execute(
            "UPDATE census_staging s SET content_hash = md5(ROW("
            + ", ".join(f"s.{name}" for name in loaded if name != "location")
            + ", ST_AsEWKB(s.location), s.la_id, s.trust_id)::text)"
        )
        expressions = {name: f"s.{name}" for name in loaded}
        expressions.update(SET_BY_LOAD)
        for field in School._meta.concrete_fields:
            if field.column in expressions:
                continue
            if field.null:
                expressions[field.column] = "NULL"
            elif isinstance(field, models.CharField):
                expressions[field.column] = "''"
            else:
                raise RuntimeError(f"no census value for School.{field.name}")
        columns = list(expressions)
        updated = [c for c in columns if c not in ("urn", "first_seen")]
        cursor.execute(
            f"""
            WITH written AS (
                INSERT INTO geodata_school ({", ".join(columns)})
                SELECT {", ".join(expressions[c] for c in columns)} FROM census_staging s
                ON CONFLICT (urn) DO UPDATE SET
                    {", ".join(f"{c} = EXCLUDED.{c}" for c in updated)}
                WHERE geodata_school.record_source = %(census)s
                  AND geodata_school.content_hash <> EXCLUDED.content_hash
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM written
            """,
            {"census_date": CENSUS_DATE, "census": RecordSource.CENSUS},
        )
        self.run.created, self.run.updated = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM census_staging s JOIN geodata_school sc USING (urn) "
            "WHERE sc.record_source <> %s",
            [RecordSource.CENSUS],
        )
        self.held_by_gias = cursor.fetchone()[0]

    def apply(self, force):
        rows = self.read()
        self.check_counts(force)
        with applied(self.run), connection.cursor() as cursor:
            self.stage(cursor, rows)
            self.resolve_authorities(cursor)
            self.check_counts(force)
            self.save_trusts(cursor)
            self.upsert(cursor)
        valid = self.run.rows_read - self.run.rejected
        self.run.unchanged = valid - self.run.created - self.run.updated - self.held_by_gias
        self.run.message = (
            f"{self.run.rows_read} rows: {self.run.created} schools created, "
            f"{self.run.updated} updated, {self.run.unchanged} unchanged, "
            f"{self.held_by_gias} kept as GIAS has them, {self.run.rejected} rejected; "
            f"{self.trusts_created} baseline trusts created"
        )


def load_census_baseline(path=CENSUS_FILE, *, force=False, dry_run=False, triggered_by=""):
    """Load the census baseline file; returns its ImportRun, recorded whatever happens."""

    def work(run):
        run.checksum = readable_file_checksum(path)
        CensusLoad(run, path).apply(force)
        if run.created or run.updated:
            follow_up(run, register_imported)

    return recorded_run(
        ImportRun.Source.SCHOOL_CENSUS,
        work,
        location=str(path),
        refusals=(RegisterFileError,),
        dry_run=dry_run,
        extract_date=CENSUS_DATE,
        triggered_by=readable(triggered_by, 100),
        forced=force,
    )
