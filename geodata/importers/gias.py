"""Import the DfE register of establishments (GIAS `edubasealldata` extracts).

Shaped like MapIt's postcode import: the file is streamed once, each row checked in
Python (coordinates transformed and placed in England a batch at a time, as arrays),
and the accepted rows COPYed, each with a content hash (md5 of the raw text it is read
from: no per-row JSON), into a temporary staging table; then a few set-based SQL statements find
the new and changed rows in one pass and insert or update only those, all in one
transaction: the whole file is applied or nothing is. Importing the same file twice
writes nothing. Schools an extract lacks are kept and marked `missing_since`.

Bad rows (including every copy of a duplicated URN) are rejected and reported with their
line numbers without stopping the import; a file that fails a safety check is refused
whole: not a CSV extract, missing columns, truncated, dated in the future, older than
what we hold, more than 20% of rows rejected, no row accepted, or far fewer accepted
rows than last time. Every attempt is recorded by `geodata.import_runs.recorded_run`.
"""

import gc
import math
from dataclasses import dataclass
from hashlib import md5
from operator import gt, itemgetter

import numpy
import shapely
from django.db import connection, transaction
from django.utils import timezone
from pyproj import Transformer

from geodata.import_runs import (
    MAX_KEY,
    applied,
    follow_up,
    last_success,
    readable,
    recorded_run,
    refuse_implausible_counts,
    reject_row,
    run_steps,
)
from geodata.importers.register_files import (
    RegisterFileError,
    extract_date_from_name,
    file_checksum,
    parse_date,
    read_records,
)
from geodata.models import (
    ImportRun,
    LocalAuthority,
    LocalAuthorityCodeAlias,
    RecordSource,
    School,
    Trust,
    trust_name_key,
)
from geodata.signals import register_imported
from geodata.trusts import reconcile_baseline_trusts

REQUIRED_COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "OpenDate",
    "CloseDate",
    "Trusts (code)",
    "Trusts (name)",
    "Postcode",
    "Easting",
    "Northing",
    "LastChangedDate",
]
BATCH_SIZE = 5000
MAX_ROW_DROP = 0.20
MAX_REJECTED_SHARE = 0.20
# Schools on the coast can sit just outside generalised boundaries.
ENGLAND_TOLERANCE_DEG = 0.03
TRUST_TYPES = {
    "Supported by a multi-academy trust": Trust.Type.MULTI_ACADEMY,
    "Supported by a single-academy trust": Trust.Type.SINGLE_ACADEMY,
    "Supported by a trust": Trust.Type.TRUST,
}
PARSING_VERSION = 3  # bump when parsing changes, so every row is parsed and compared again
NOT_APPLICABLE = {"Not applicable": "", "Does not apply": ""}  # GIAS's words for "none"
# A column read as text: trailing whitespace dropped (GIAS pads some values), GIAS's words
# for "none" made empty (`RowParser.parse`). Leading whitespace is data and kept: stripping
# it would turn "\t=1+1" into the formula "=1+1"; the downloads neutralise what it starts.
TEXT = "text"


class RowError(ValueError):
    """This row cannot be imported; the rest of the file can."""


def whole_number(low, high):
    def parse(value):
        value = value.strip()
        if not value:
            return None
        if not value.isdigit() or not value.isascii():
            raise RowError(f"{value[:40]!r} is not a whole number")
        number = int(value)
        if not low <= number <= high:
            raise RowError(f"{value[:40]} is out of range ({low}–{high})")
        return number

    return parse


def percentage(value):
    """A number from 0 to 100, to one decimal place (the staging column rounds it)."""
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{value[:40]!r} is not a percentage") from None
    if not 0 <= number <= 100:  # false for NaN too
        raise RowError(f"percentage {value[:40]} is out of range (0–100)")
    return number


def date_value(value, known={}):  # noqa: B006 (a deliberate cache: dates repeat a lot)
    try:
        return known[value]
    except KeyError:
        pass
    try:
        parsed = parse_date(value)
    except ValueError:
        raise RowError(f"{value[:40]!r} is not a DD-MM-YYYY date") from None
    if len(known) < 100_000:
        known[value] = parsed
    return parsed


# model field -> (GIAS column, parser). Columns GIAS has added or dropped over the years
# (Ofsted's) are read when present. Text is checked against the field's length.
COLUMNS = {
    "name": ("EstablishmentName", TEXT),
    "establishment_type": ("TypeOfEstablishment (name)", TEXT),
    "type_group_code": ("EstablishmentTypeGroup (code)", TEXT),
    "type_group": ("EstablishmentTypeGroup (name)", TEXT),
    "status": ("EstablishmentStatus (name)", TEXT),
    "phase_code": ("PhaseOfEducation (code)", TEXT),
    "phase": ("PhaseOfEducation (name)", TEXT),
    "statutory_low_age": ("StatutoryLowAge", whole_number(0, 99)),
    "statutory_high_age": ("StatutoryHighAge", whole_number(0, 99)),
    "gender": ("Gender (name)", TEXT),
    "religious_character": ("ReligiousCharacter (name)", TEXT),
    "diocese": ("Diocese (name)", TEXT),
    "number_of_pupils": ("NumberOfPupils", whole_number(0, MAX_KEY)),
    "capacity": ("SchoolCapacity", whole_number(0, MAX_KEY)),
    "percentage_fsm": ("PercentageFSM", percentage),
    "trust_school_flag": ("TrustSchoolFlag (name)", TEXT),
    "federation_code": ("Federations (code)", TEXT),
    "federation": ("Federations (name)", TEXT),
    "ukprn": ("UKPRN", TEXT),
    "street": ("Street", TEXT),
    "locality": ("Locality", TEXT),
    "address3": ("Address3", TEXT),
    "town": ("Town", TEXT),
    "county": ("County (name)", TEXT),
    "postcode": ("Postcode", TEXT),
    "website": ("SchoolWebsite", TEXT),
    "constituency_code": ("ParliamentaryConstituency (code)", TEXT),
    "constituency": ("ParliamentaryConstituency (name)", TEXT),
    "urban_rural": ("UrbanRural (name)", TEXT),
    "ofsted_rating": ("OfstedRating (name)", TEXT),
    "ofsted_last_inspection": ("OfstedLastInsp", date_value),
    "open_date": ("OpenDate", date_value),
    "close_date": ("CloseDate", date_value),
    "register_last_changed": ("LastChangedDate", date_value),
}
SQL_TYPES = {
    "CharField": "text",
    "PositiveSmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "DecimalField": "numeric(5, 1)",  # percentages: rounded as GIAS's are
    "DateField": "date",
}
TEXT_FIELDS = [name for name, (_, parser) in COLUMNS.items() if parser is TEXT]
TYPED_FIELDS = [name for name, (_, parser) in COLUMNS.items() if parser is not TEXT]
# The staging table: a row's line, its URN, the model values, then what is resolved.
STAGED = [
    "line",
    "urn",
    *TEXT_FIELDS,
    *TYPED_FIELDS,
    "register_la_code",
    "local_authority_id",
    "trust_id",
    "trust_name",
    "trust_type",
    "lon",
    "lat",
    "content_hash",
]
LA_CODE_AT = STAGED.index("register_la_code")
AUTHORITY_AT = STAGED.index("local_authority_id")
# What is written to a school from its staged row (the hash covers these and the location).
WRITTEN = [
    name
    for name in STAGED
    if name not in ("line", "urn", "trust_name", "trust_type", "lon", "lat", "content_hash")
]


def max_length(field_name):
    return School._meta.get_field(field_name).max_length


@dataclass
class Places:
    """What a row's LA code and coordinates are checked against, prepared once per import."""

    by_code: dict
    boundaries: dict
    england: object
    to_wgs84: Transformer
    version: str = ""

    @classmethod
    def load(cls):
        by_code = {}
        boundaries = {}
        for authority in LocalAuthority.objects.current():
            by_code.setdefault(authority.dfe_code, set()).add(authority.pk)
            boundaries[authority.pk] = shapely.from_wkb(bytes(authority.boundary.wkb))
        if not boundaries:
            raise RegisterFileError("no local authorities are loaded: run load_boundaries first")
        aliases = LocalAuthorityCodeAlias.objects.filter(
            scheme=LocalAuthorityCodeAlias.Scheme.DFE, local_authority__is_current=True
        )
        for code, authority_id in aliases.values_list("code", "local_authority_id"):
            by_code.setdefault(code, set()).add(authority_id)
        england = shapely.union_all(list(boundaries.values())).buffer(ENGLAND_TOLERANCE_DEG)
        shapely.prepare(england)
        for geometry in boundaries.values():
            shapely.prepare(geometry)
        to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
        # What a row's parsed values depend on besides its text: a change re-parses all.
        sets = sorted(LocalAuthority.objects.current().values_list("boundary_set_id", flat=True))
        codes = sorted((code, sorted(ids)) for code, ids in by_code.items())
        version = md5(
            repr((PARSING_VERSION, sets[:1] + sets[-1:], codes)).encode(), usedforsecurity=False
        ).hexdigest()
        return cls(by_code, boundaries, england, to_wgs84, version)

    def candidates(self, la_code):
        candidates = self.by_code.get(la_code)
        if not candidates:
            raise RowError(
                f"unknown LA code {la_code[:40]!r} (not an English LA with education duties)"
            )
        return candidates

    def authority_at(self, la_code, candidates, x, y):
        """The one of several successor authorities whose boundary holds the point."""
        if not math.isnan(x):
            for authority_id in sorted(candidates):
                if shapely.contains_xy(self.boundaries[authority_id], x, y):
                    return authority_id
        raise RowError(
            f"LA code {la_code} is a former code now split between authorities, and the "
            "school's location does not say which"
        )


class RowParser:
    """Turns a file's records into staging rows, given the file's header."""

    def __init__(self, header, places):
        position = {name: index for index, name in enumerate(header)}
        self.places = places
        self.urn = position["URN"]
        self.la_code = position["LA (code)"]
        self.trust_code = position["Trusts (code)"]
        self.trust_name = position["Trusts (name)"]
        self.trust_flag = position.get("TrustSchoolFlag (name)")
        self.easting = position["Easting"]
        self.northing = position["Northing"]
        absent = len(header)  # `parse` appends one empty value to every row
        self.texts = itemgetter(*[position.get(COLUMNS[name][0], absent) for name in TEXT_FIELDS])
        self.text_lengths = [max_length(name) for name in TEXT_FIELDS]
        self.typed = [
            (position.get(COLUMNS[name][0], absent), COLUMNS[name][1]) for name in TYPED_FIELDS
        ]
        # The raw text of every column the import reads, for the row's content hash.
        read = [column for column, _ in COLUMNS.values() if column in position]
        read += ["URN", "LA (code)", "Trusts (code)", "Trusts (name)", "Easting", "Northing"]
        if self.trust_flag is not None and "TrustSchoolFlag (name)" not in read:
            read.append("TrustSchoolFlag (name)")
        self.imported = itemgetter(*[position[column] for column in read])

    def parse(self, line, values):
        """Everything but the location checks, which run on a whole batch: (row, x, y)."""
        urn = values[self.urn].strip()
        if not urn.isdigit() or not urn.isascii():
            raise RowError(f"URN {urn[:40]!r} is not a number")
        if not 0 < int(urn) <= MAX_KEY:
            raise RowError(f"URN {urn[:40]} is out of range")
        values.append("")  # what a column the file lacks reads as
        texts = [NOT_APPLICABLE.get(value, value) for value in map(str.rstrip, self.texts(values))]
        if any(map(gt, map(len, texts), self.text_lengths)):
            for name, value, length in zip(TEXT_FIELDS, texts, self.text_lengths, strict=True):
                if len(value) > length:
                    raise RowError(f"{name} is longer than {length} characters")
        if not texts[0]:
            raise RowError("the establishment has no name")
        row = [line, int(urn), *texts]
        for index, parser in self.typed:
            row.append(parser(values[index]))
        la_code = values[self.la_code].strip()
        candidates = self.places.candidates(la_code)
        if len(la_code) > 3:
            raise RowError(f"LA code {la_code[:40]!r} is not a DfE LA code")
        row.append(la_code)
        # One authority, or several: resolved once the location is known (`located`).
        row.append(next(iter(candidates)) if len(candidates) == 1 else candidates)
        trust_code = values[self.trust_code].strip()
        if trust_code:
            if not trust_code.isdigit() or not trust_code.isascii():
                raise RowError(f"trust code {trust_code[:40]!r} is not a number")
            if not 0 < int(trust_code) <= MAX_KEY:
                raise RowError(f"trust code {trust_code[:40]} is out of range")
            trust_name = values[self.trust_name].rstrip()
            if len(trust_name) > Trust._meta.get_field("name").max_length:
                raise RowError("the trust name is too long")
            flag = values[self.trust_flag].strip() if self.trust_flag is not None else ""
            row += [int(trust_code), trust_name, TRUST_TYPES.get(flag, "")]
        else:
            row += [None, None, None]
        easting, northing = values[self.easting].strip(), values[self.northing].strip()
        if not easting and not northing:
            return row, math.nan, math.nan
        try:
            x, y = float(easting), float(northing)
        except ValueError:
            x = y = math.inf
        if not (math.isfinite(x) and math.isfinite(y)):
            raise RowError(f"Easting/Northing {easting[:20]!r}/{northing[:20]!r} are not numbers")
        return row, x, y


class Importer:
    """One import run's work; `import_gias_file` runs it inside a recorded run."""

    def __init__(self, run, path, force, progress=None):
        self.run = run
        self.path = path
        self.force = force
        self.progress = progress
        self.urn_lines = {}
        self.trusts_changed = 0
        self.reconciled = []
        self.compared_with_baseline = None

    # -- safety checks ---------------------------------------------------------------
    def check_extract_date(self):
        today = timezone.localdate()
        if self.run.extract_date > today:
            raise RegisterFileError(
                f"the file is dated {self.run.extract_date}, in the future (today is {today}): "
                "a wrongly named file, refused whatever --force says"
            )
        latest = (
            ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_ESTABLISHMENTS,
                status=ImportRun.Status.SUCCEEDED,
                extract_date__isnull=False,
            )
            .order_by("-extract_date")
            .first()
        )
        if latest and self.run.extract_date < latest.extract_date and not self.force:
            raise RegisterFileError(
                f"this extract ({self.run.extract_date}) is older than the one already "
                f"imported ({latest.extract_date}, import run {latest.pk}); use --force to "
                "import it anyway, or `manage.py reset_extract_date` if that date was wrong"
            )

    def check_accepted_rows(self):
        refuse_implausible_counts(
            self.run,
            force=self.force,
            max_rejected_share=MAX_REJECTED_SHARE,
            max_row_drop=MAX_ROW_DROP,
            baseline=self.baseline(),
        )

    def baseline(self):
        """What a first GIAS import is compared with: the census baseline's open schools
        (every open school we hold is one until GIAS has been imported), so a tiny first
        file cannot mark the whole register missing. None once GIAS has been imported."""
        if last_success(self.run.source, exclude=self.run):
            return None
        schools = School.objects.open().filter(record_source=RecordSource.CENSUS).count()
        if not schools:
            return None
        self.compared_with_baseline = schools
        return schools, f"the census baseline's {schools} open schools (a first GIAS import)"

    def reject(self, line, urn, error):
        reject_row(self.run, line, error, urn=urn.strip()[:20])

    def staged_rows(self, places, stored):
        """Accepted rows, ready for COPY, streamed a batch at a time.

        A row's content hash is the md5 of the raw text of the columns imported, salted
        with what parsing depends on (`Places.version`): a row whose hash is the one
        stored for its URN was checked and stored as it is, so it is staged as unchanged
        without being parsed again (the daily case, for most rows).
        """
        header, records = read_records(self.path, REQUIRED_COLUMNS, self.progress)
        parser = RowParser(header, places)
        padding = [None] * (len(STAGED) - 3)
        salt, separator = places.version, "\x1f"
        batch, eastings, northings = [], [], []
        for line, values in records:
            self.run.rows_read += 1
            digest = md5(
                separator.join((salt, *parser.imported(values))).encode(), usedforsecurity=False
            ).hexdigest()
            if stored.get(values[parser.urn]) == digest:
                urn = int(values[parser.urn])
                self.urn_lines.setdefault(urn, []).append(line)
                yield [line, urn, *padding, digest]
                continue
            try:
                row, x, y = parser.parse(line, values)
            except RowError as error:
                self.reject(line, values[parser.urn], error)
                continue
            self.urn_lines.setdefault(row[1], []).append(line)
            row.append(digest)  # moved to the end by `located`
            batch.append(row)
            eastings.append(x)
            northings.append(y)
            if len(batch) >= BATCH_SIZE:
                yield from self.located(batch, eastings, northings, places)
                batch, eastings, northings = [], [], []
        yield from self.located(batch, eastings, northings, places)

    def located(self, batch, eastings, northings, places):
        """The batch's coordinates converted and checked as arrays; rows outside rejected."""
        if not batch:
            return
        eastings, northings = numpy.array(eastings), numpy.array(northings)
        lons, lats = places.to_wgs84.transform(eastings, northings)
        lons, lats = numpy.round(lons, 6), numpy.round(lats, 6)
        outside = ~numpy.isnan(eastings) & ~shapely.contains_xy(places.england, lons, lats)
        for row, lon, lat, easting, northing, bad in zip(
            batch,
            lons.tolist(),
            lats.tolist(),
            eastings.tolist(),
            northings.tolist(),
            outside.tolist(),
            strict=True,
        ):
            if bad:
                self.reject(
                    row[0],
                    str(row[1]),
                    f"Easting/Northing {easting:g}/{northing:g} fall outside England",
                )
                continue
            if row[AUTHORITY_AT].__class__ is not int:  # a former code shared by successors
                try:
                    row[AUTHORITY_AT] = places.authority_at(
                        row[LA_CODE_AT], row[AUTHORITY_AT], lon, lat
                    )
                except RowError as error:
                    self.reject(row[0], str(row[1]), error)
                    continue
            if lon != lon:  # NaN: no location
                lon = lat = None
            digest = row.pop()
            row += (lon, lat, digest)
            yield row

    # -- writing -------------------------------------------------------------------
    def stage(self, cursor, places):
        fields = {field.name: field for field in School._meta.fields}
        types = ["integer", "integer"]
        for name in [*TEXT_FIELDS, *TYPED_FIELDS]:
            types.append(SQL_TYPES[fields[name].get_internal_type()])
        types += [
            "text",
            "integer",
            "integer",
            "text",
            "text",
            "double precision",
            "double precision",
            "text",
        ]
        columns = ", ".join(f"{name} {kind}" for name, kind in zip(STAGED, types, strict=True))
        cursor.execute("DROP TABLE IF EXISTS pg_temp.gias_staging")  # an outer transaction's
        cursor.execute(f"CREATE TEMPORARY TABLE gias_staging ({columns}) ON COMMIT DROP")
        # Reading makes millions of short-lived objects and no cycles: the cyclic garbage
        # collector would only rescan them again and again (a third of the reading time).
        # Read before the COPY starts: the connection serves nothing else until it ends.
        stored = {
            str(urn): digest for urn, digest in School.objects.values_list("urn", "content_hash")
        }
        collecting = gc.isenabled()
        gc.disable()
        try:
            with cursor.copy(f"COPY gias_staging ({', '.join(STAGED)}) FROM STDIN") as copy:
                for row in self.staged_rows(places, stored):
                    copy.write_row(row)
        finally:
            if collecting:
                gc.enable()

    def reject_duplicates(self, cursor):
        """Every copy of a URN the file repeats is rejected: which one is right is unknown."""
        repeated = {urn: lines for urn, lines in self.urn_lines.items() if len(lines) > 1}
        self.urn_lines = {}
        if repeated:
            cursor.execute(
                "DELETE FROM gias_staging WHERE urn = ANY(%s) RETURNING line, urn",
                [list(repeated)],
            )
            for line, urn in sorted(cursor.fetchall()):
                lines = ", ".join(str(each) for each in repeated[urn][:10])
                self.reject(
                    line, str(urn), f"URN {urn} appears more than once in the file (lines {lines})"
                )
        self.run.errors.sort(key=lambda error: error["line"])

    def apply(self, places):
        with connection.cursor() as cursor:
            self.stage(cursor, places)
            self.reject_duplicates(cursor)
            self.check_accepted_rows()
            self.write(cursor)
            self.refresh_trust_name_keys(cursor)
        # Census baseline trusts (names only) give way to their GIAS namesakes.
        self.reconciled = reconcile_baseline_trusts()

    def write(self, cursor):
        """Set-based: find the new and changed rows in one pass, then write only those
        (MapIt's postcode import)."""
        run = self.run
        cursor.execute("DROP TABLE IF EXISTS pg_temp.gias_changed")
        cursor.execute(
            """
            CREATE TEMPORARY TABLE gias_changed ON COMMIT DROP AS
            SELECT s.*, sc.urn IS NULL AS new,
                   s.status = %s AND sc.status <> %s AS newly_closed
            FROM gias_staging s LEFT JOIN geodata_school sc ON sc.urn = s.urn
            WHERE sc.content_hash IS DISTINCT FROM s.content_hash
            """,
            [School.CLOSED, School.CLOSED],
        )
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE new), count(*) FILTER (WHERE NOT new),
                   count(*) FILTER (WHERE newly_closed)
            FROM gias_changed
            """
        )
        run.created, run.updated, run.closed = cursor.fetchone()
        run.unchanged = run.rows_read - run.rejected - run.created - run.updated
        cursor.execute(
            """
            INSERT INTO geodata_trust (uid, name, name_key, trust_type, companies_house_number,
                record_source, updated_at)
            SELECT DISTINCT ON (trust_id) trust_id, trust_name, '', trust_type, '', %s, now()
            FROM gias_staging WHERE trust_id IS NOT NULL ORDER BY trust_id, line
            ON CONFLICT (uid) DO UPDATE
            SET name = EXCLUDED.name, trust_type = EXCLUDED.trust_type, updated_at = now()
            WHERE (geodata_trust.name, geodata_trust.trust_type)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.trust_type)
            """,
            [RecordSource.GIAS],
        )
        self.trusts_changed = cursor.rowcount
        written = [*WRITTEN, "content_hash"]
        location = (
            "CASE WHEN c.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) END"
        )
        values = {"date": run.extract_date, "source": RecordSource.GIAS}
        if run.updated:
            assignments = ", ".join(f"{name} = c.{name}" for name in written)
            cursor.execute(
                f"""
                UPDATE geodata_school sc SET {assignments}, location = {location},
                    record_source = %(source)s, last_seen = %(date)s, missing_since = NULL,
                    updated_at = now()
                FROM gias_changed c WHERE sc.urn = c.urn AND NOT c.new
                """,
                values,
            )
        if run.created:
            cursor.execute(
                f"""
                INSERT INTO geodata_school (urn, {", ".join(written)}, location, record_source,
                    first_seen, last_seen, missing_since, updated_at)
                SELECT c.urn, {", ".join(f"c.{name}" for name in written)}, {location},
                    %(source)s, %(date)s, %(date)s, NULL, now()
                FROM gias_changed c WHERE c.new
                """,
                values,
            )
        cursor.execute(
            """
            UPDATE geodata_school sc SET last_seen = %(date)s, missing_since = NULL
            FROM gias_staging s WHERE sc.urn = s.urn AND sc.last_seen < %(date)s
            """,
            {"date": run.extract_date},
        )
        cursor.execute(
            """
            UPDATE geodata_school SET missing_since = %(date)s
            WHERE last_seen < %(date)s AND missing_since IS NULL
            """,
            {"date": run.extract_date},
        )
        run.missing = cursor.rowcount

    def refresh_trust_name_keys(self, cursor):
        """Keep each GIAS trust's normalised name (what census trusts are matched on)."""
        cursor.execute(
            "SELECT uid, name, name_key FROM geodata_trust WHERE record_source = %s",
            [RecordSource.GIAS],
        )
        stale = [
            (trust_name_key(name), uid)
            for uid, name, key in cursor.fetchall()
            if trust_name_key(name) != key
        ]
        cursor.executemany("UPDATE geodata_trust SET name_key = %s WHERE uid = %s", stale)

    def changed_register(self):
        run = self.run
        return bool(
            run.created or run.updated or run.missing or self.trusts_changed or self.reconciled
        )


def import_gias_file(
    path,
    *,
    location=None,
    force=False,
    triggered_by="",
    progress=None,
    dry_run=False,
    queued=None,
):
    """Import one GIAS establishments file; returns its ImportRun, recorded whatever happens.

    `location` is what to record as the source (the URL a file was downloaded from). A
    dry run does everything, reports what it would change, and rolls back. `queued` is
    the run recorded when the import was queued (an admin upload).
    """
    location = str(location or path)

    def work(run):
        run.checksum = file_checksum(path)
        importer = Importer(run, path, force, progress)
        importer.check_extract_date()
        places = Places.load()
        with applied(run):
            importer.apply(places)
            if importer.changed_register():
                follow_up(run, register_imported)
        run.message = (
            f"{run.rows_read} rows: {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.closed} newly closed, {run.missing} missing "
            f"from the extract (kept), {run.rejected} rejected; "
            f"{len(importer.reconciled)} census trusts matched to GIAS trusts"
        )
        if importer.compared_with_baseline:
            run.message += (
                f" (the first GIAS import: checked against the census baseline's "
                f"{importer.compared_with_baseline} open schools)"
            )

    return recorded_run(
        ImportRun.Source.GIAS_ESTABLISHMENTS,
        work,
        location=location,
        refusals=(RegisterFileError,),
        dry_run=dry_run,
        extract_date=extract_date_from_name(location) or timezone.localdate(),
        triggered_by=readable(triggered_by, 100),
        forced=force,
        queued=queued,
    )


def check_extract(path):
    """Refuse at once (RegisterFileError) a file that is plainly no establishments extract:
    not CSV text, lacking columns, or broken from its first row."""
    header, records = read_records(path, REQUIRED_COLUMNS)
    try:
        next(records, None)
    finally:
        records.close()


def reset_extract_date(run, new_date=None, *, by=""):
    """Undo a wrong extract date (a file named for a future day, say): the run, and the
    schools it dated, get `new_date` (by default the day the file was imported, which
    it cannot be newer than). Returns how many schools were re-dated.

    Without this, every later extract is refused as older than the wrong one.
    """
    if run.source != ImportRun.Source.GIAS_ESTABLISHMENTS:
        raise RegisterFileError(f"import run {run.pk} is not a GIAS establishments import")
    if run.status != ImportRun.Status.SUCCEEDED or run.extract_date is None:
        raise RegisterFileError(f"import run {run.pk} did not import anything: nothing to undo")
    old_date = run.extract_date
    new_date = new_date or timezone.localdate(run.started_at)
    if new_date > timezone.localdate():
        raise RegisterFileError(f"{new_date} is in the future")
    if new_date == old_date:
        raise RegisterFileError(f"import run {run.pk} is already dated {old_date}")
    with transaction.atomic():
        changed = set()
        for field in ("first_seen", "last_seen", "missing_since"):
            urns = School.objects.filter(**{field: old_date}).values_list("urn", flat=True)
            changed.update(urns)
            School.objects.filter(**{field: old_date}).update(**{field: new_date})
        run.extract_date = new_date
        run.message = readable(
            f"{run.message} [Extract date reset from {old_date} to {new_date}"
            f"{f' by {by}' if by else ''} on {timezone.localdate()}; {len(changed)} schools "
            "re-dated.]"
        )
        run.save(update_fields=["extract_date", "message"])
        if changed:
            transaction.on_commit(lambda: run_steps(run, register_imported), robust=True)
    return len(changed)
