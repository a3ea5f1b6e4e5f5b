"""Import the DfE register of establishments (GIAS `edubasealldata` extracts).

The whole file is applied in one transaction or not at all. Rows are streamed and written
in batches; a row whose content has not changed is not written, so importing the same
file twice writes nothing. Schools an extract lacks are kept and marked `missing_since`.
Bad rows are rejected and reported with their line numbers without stopping the import;
a file that fails a safety check (HTML page, missing columns, truncated, far fewer rows
than last time, older than what we hold) is refused whole.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import shapely
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from pyproj import Transformer

from geodata.importers.register_files import (
    RegisterFileError,
    extract_date_from_name,
    file_checksum,
    parse_date,
    read_rows,
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
BATCH_SIZE = 1000
MAX_ROW_DROP = 0.20
MAX_RECORDED_ERRORS = 50
# Schools on the coast can sit just outside generalised boundaries.
ENGLAND_TOLERANCE_DEG = 0.03
TRUST_TYPES = {
    "Supported by a multi-academy trust": Trust.Type.MULTI_ACADEMY,
    "Supported by a single-academy trust": Trust.Type.SINGLE_ACADEMY,
    "Supported by a trust": Trust.Type.TRUST,
}
ADVISORY_LOCK_ID = 7_146_601  # any constant shared by every GIAS import


class RowError(ValueError):
    """This row cannot be imported; the rest of the file can."""


@dataclass
class Places:
    """What a row's LA code and coordinates are checked against, prepared once per import."""

    by_code: dict
    boundaries: dict
    england: object
    to_wgs84: Transformer = field(
        default_factory=lambda: Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    )

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
        return cls(by_code=by_code, boundaries=boundaries, england=england)

    def authority_for(self, la_code, point):
        candidates = self.by_code.get(la_code)
        if not candidates:
            raise RowError(f"unknown LA code {la_code!r} (not an English LA with education duties)")
        if len(candidates) == 1:
            return next(iter(candidates))
        if point is not None:
            for authority_id in sorted(candidates):
                if self.boundaries[authority_id].contains(point):
                    return authority_id
        raise RowError(
            f"LA code {la_code} is a former code now split between authorities, and the "
            "school's location does not say which"
        )


def text(value):
    return value.strip()


def whole_number(value):
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise RowError(f"{value!r} is not a whole number") from None


def percentage(value):
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise RowError(f"{value!r} is not a percentage") from None
    if not 0 <= number <= 100:
        raise RowError(f"percentage {value} is out of range")
    return number


def date_value(value):
    try:
        return parse_date(value)
    except ValueError:
        raise RowError(f"{value!r} is not a DD-MM-YYYY date") from None


# model field -> (GIAS column, parser). Columns GIAS has added or dropped over the years
# (Ofsted's) are read when present.
COLUMNS = {
    "name": ("EstablishmentName", text),
    "establishment_type": ("TypeOfEstablishment (name)", text),
    "type_group_code": ("EstablishmentTypeGroup (code)", text),
    "type_group": ("EstablishmentTypeGroup (name)", text),
    "status": ("EstablishmentStatus (name)", text),
    "phase_code": ("PhaseOfEducation (code)", text),
    "phase": ("PhaseOfEducation (name)", text),
    "statutory_low_age": ("StatutoryLowAge", whole_number),
    "statutory_high_age": ("StatutoryHighAge", whole_number),
    "gender": ("Gender (name)", text),
    "religious_character": ("ReligiousCharacter (name)", text),
    "diocese": ("Diocese (name)", text),
    "number_of_pupils": ("NumberOfPupils", whole_number),
    "capacity": ("SchoolCapacity", whole_number),
    "percentage_fsm": ("PercentageFSM", percentage),
    "trust_school_flag": ("TrustSchoolFlag (name)", text),
    "federation_code": ("Federations (code)", text),
    "federation": ("Federations (name)", text),
    "ukprn": ("UKPRN", text),
    "street": ("Street", text),
    "locality": ("Locality", text),
    "address3": ("Address3", text),
    "town": ("Town", text),
    "county": ("County (name)", text),
    "postcode": ("Postcode", text),
    "website": ("SchoolWebsite", text),
    "constituency_code": ("ParliamentaryConstituency (code)", text),
    "constituency": ("ParliamentaryConstituency (name)", text),
    "urban_rural": ("UrbanRural (name)", text),
    "ofsted_rating": ("OfstedRating (name)", text),
    "ofsted_last_inspection": ("OfstedLastInsp", date_value),
    "open_date": ("OpenDate", date_value),
    "close_date": ("CloseDate", date_value),
    "register_last_changed": ("LastChangedDate", date_value),
}
NOT_APPLICABLE = {"Not applicable", "Does not apply"}
UPDATED_FIELDS = [
    *COLUMNS,
    "local_authority_id",
    "register_la_code",
    "trust_id",
    "location",
    "last_seen",
    "missing_since",
    "content_hash",
    "record_source",
    "updated_at",
]


def parse_row(row, places):
    """The model values of one CSV row, or RowError saying what is wrong with it."""
    urn = row["URN"].strip()
    if not urn.isdigit():
        raise RowError(f"URN {urn!r} is not a number")
    values = {"urn": int(urn), "record_source": RecordSource.GIAS}
    for name, (column, parser) in COLUMNS.items():
        raw = row.get(column, "")
        if parser is text and raw.strip() in NOT_APPLICABLE:
            raw = ""
        values[name] = parser(raw)
    if not values["name"]:
        raise RowError("the establishment has no name")

    easting, northing = row["Easting"].strip(), row["Northing"].strip()
    point = None
    if easting or northing:
        try:
            x, y = places.to_wgs84.transform(float(easting), float(northing))
        except ValueError:
            raise RowError(f"Easting/Northing {easting!r}/{northing!r} are not numbers") from None
        point = shapely.Point(round(x, 6), round(y, 6))
        if not places.england.contains(point):
            raise RowError(f"Easting/Northing {easting}/{northing} fall outside England")
    values["location"] = point
    la_code = row["LA (code)"].strip()
    values["register_la_code"] = la_code
    values["local_authority_id"] = places.authority_for(la_code, point)

    trust_code = row["Trusts (code)"].strip()
    if trust_code:
        if not trust_code.isdigit():
            raise RowError(f"trust code {trust_code!r} is not a number")
        values["trust_id"] = int(trust_code)
        values["_trust"] = (
            row["Trusts (name)"].strip(),
            TRUST_TYPES.get(row.get("TrustSchoolFlag (name)", "").strip(), ""),
        )
    else:
        values["trust_id"] = None
    return values


def content_hash(values):
    fingerprint = {
        key: (value.wkt if hasattr(value, "wkt") else value)
        for key, value in values.items()
        if not key.startswith("_")
    }
    encoded = json.dumps(fingerprint, sort_keys=True, default=str).encode()
    return hashlib.md5(encoded, usedforsecurity=False).hexdigest()


class Importer:
    """One import run. Use `import_gias_file`, which records the run whatever happens."""

    def __init__(self, run, path, progress=None):
        self.run = run
        self.path = path
        self.progress = progress
        self.places = Places.load()
        self.trusts = {}
        self.reconciled = []

    def check_extract_date(self, force):
        latest = (
            ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_ESTABLISHMENTS,
                status=ImportRun.Status.SUCCEEDED,
                extract_date__isnull=False,
            )
            .order_by("-extract_date")
            .first()
        )
        if latest and self.run.extract_date < latest.extract_date and not force:
            raise RegisterFileError(
                f"this extract ({self.run.extract_date}) is older than the one already "
                f"imported ({latest.extract_date}); use --force to import it anyway"
            )

    def check_row_count(self, force):
        previous = (
            ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_ESTABLISHMENTS, status=ImportRun.Status.SUCCEEDED
            )
            .exclude(pk=self.run.pk)
            .order_by("-started_at")
            .first()
        )
        if previous and not force:
            floor = previous.rows_read * (1 - MAX_ROW_DROP)
            if self.run.rows_read < floor:
                raise RegisterFileError(
                    f"the file has {self.run.rows_read} rows, more than "
                    f"{MAX_ROW_DROP:.0%} fewer than the {previous.rows_read} of the last "
                    "successful import: refused as probably incomplete (use --force to "
                    "import it anyway)"
                )

    def reject(self, line, row, error):
        self.run.rejected += 1
        if len(self.run.errors) < MAX_RECORDED_ERRORS:
            self.run.errors.append(
                {"line": line, "urn": row.get("URN", "").strip(), "error": str(error)}
            )

    def apply(self, force):
        self.check_extract_date(force)
        batch = []
        for line, row in read_rows(self.path, REQUIRED_COLUMNS, self.progress):
            self.run.rows_read += 1
            try:
                batch.append(parse_row(row, self.places))
            except RowError as error:
                self.reject(line, row, error)
            if len(batch) >= BATCH_SIZE:
                self.write(batch)
                batch = []
        if batch:
            self.write(batch)
        self.check_row_count(force)
        self.run.missing = School.objects.filter(
            last_seen__lt=self.run.extract_date, missing_since__isnull=True
        ).update(missing_since=self.run.extract_date)
        self.reconciled = reconcile_baseline_trusts()

    def save_trusts(self, batch):
        wanted = {}
        for values in batch:
            if values["trust_id"] is not None:
                wanted[values["trust_id"]] = values["_trust"]
        unknown = [uid for uid in wanted if uid not in self.trusts]
        for trust in Trust.objects.filter(uid__in=unknown):
            self.trusts[trust.uid] = (trust.name, trust.trust_type)
        changed = [
            Trust(
                uid=uid,
                name=name,
                name_key=trust_name_key(name),
                trust_type=trust_type,
                record_source=RecordSource.GIAS,
                updated_at=timezone.now(),
            )
            for uid, (name, trust_type) in wanted.items()
            if self.trusts.get(uid) != (name, trust_type)
        ]
        if changed:
            Trust.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["uid"],
                update_fields=["name", "name_key", "trust_type", "record_source", "updated_at"],
            )
            for trust in changed:
                self.trusts[trust.uid] = (trust.name, trust.trust_type)

    def write(self, batch):
        self.save_trusts(batch)
        extract_date = self.run.extract_date
        urns = [values["urn"] for values in batch]
        stored = {
            urn: (digest, status)
            for urn, digest, status in School.objects.filter(urn__in=urns).values_list(
                "urn", "content_hash", "status"
            )
        }
        now = timezone.now()
        to_write = []
        for values in batch:
            values["content_hash"] = content_hash(values)
            previous = stored.get(values["urn"])
            if previous and previous[0] == values["content_hash"]:
                self.run.unchanged += 1
                continue
            if previous:
                self.run.updated += 1
                if values["status"] == School.CLOSED and previous[1] != School.CLOSED:
                    self.run.closed += 1
            else:
                self.run.created += 1
            point = values.pop("location")
            values.pop("_trust", None)
            to_write.append(
                School(
                    **values,
                    location=Point(point.x, point.y, srid=4326) if point else None,
                    first_seen=extract_date,
                    last_seen=extract_date,
                    missing_since=None,
                    updated_at=now,
                )
            )
        if to_write:
            School.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["urn"],
                update_fields=UPDATED_FIELDS,
            )
        School.objects.filter(urn__in=urns, last_seen__lt=extract_date).update(
            last_seen=extract_date, missing_since=None
        )


def import_gias_file(path, *, location=None, force=False, triggered_by="", progress=None):
    """Import one GIAS establishments file; returns its ImportRun, recorded whatever happens.

    `location` is what to record as the source (the URL a file was downloaded from).
    """
    location = str(location or path)
    run = ImportRun.objects.create(
        source=ImportRun.Source.GIAS_ESTABLISHMENTS,
        location=location,
        extract_date=extract_date_from_name(location) or timezone.localdate(),
        triggered_by=triggered_by,
        forced=force,
    )
    try:
        run.checksum = file_checksum(path)
        importer = Importer(run, path, progress)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
                if not cursor.fetchone()[0]:
                    raise RegisterFileError("another GIAS import is running; try again later")
            importer.apply(force)
        run.status = ImportRun.Status.SUCCEEDED
        run.message = (
            f"{run.rows_read} rows: {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.closed} newly closed, {run.missing} missing "
            f"from the extract (kept), {run.rejected} rejected; "
            f"{len(importer.reconciled)} census trusts matched to GIAS trusts"
        )
    except RegisterFileError as error:
        run.status = ImportRun.Status.REFUSED
        run.message = f"Refused, nothing changed: {error}"
        run.created = run.updated = run.closed = run.missing = 0
    except Exception as error:
        run.status = ImportRun.Status.FAILED
        run.message = f"Failed, nothing changed: {type(error).__name__}: {error}"
        run.created = run.updated = run.closed = run.missing = 0
        run.finished_at = timezone.now()
        run.save()
        raise
    run.finished_at = timezone.now()
    run.save()
    if run.status == ImportRun.Status.SUCCEEDED and (
        run.created or run.updated or run.missing or importer.reconciled
    ):
        register_imported.send(sender=import_gias_file, run=run)
    return run
