"""Load LA indicators and DfE's statistical neighbours from the bundled real data.

Idempotent (a value is written only when it changed), checked before writing, applied in
one transaction, and recorded as an import run; a bad file is refused with a message
saying what is wrong, never a traceback.
"""

import csv
import math
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from geodata.import_runs import applied, recorded_run
from geodata.importers.register_files import file_checksum
from geodata.models import (
    ImportRun,
    Indicator,
    IndicatorValue,
    LocalAuthority,
    School,
    SchoolQuerySet,
    StatisticalNeighbour,
)

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "indicators"
DEFINITIONS = FOLDER / "indicators.csv"
VALUES = FOLDER / "la_key_indicators.csv"
NEIGHBOURS = FOLDER / "statistical_neighbours_dfe_2025.csv"
REGISTER_INDICATORS = {
    "schools": ("Open state-funded schools", "Number of open state-funded schools", "schools"),
    "academy_pupils": (
        "Pupils in academies and free schools",
        "Percentage of pupils in open state-funded schools who attend academies or free schools",
        "%",
    ),
    "mat_schools": (
        "Schools in multi-academy trusts",
        "Percentage of open state-funded schools in a multi-academy trust",
        "%",
    ),
}


# Indicators per km² are computed here from a count column over the area of the LA's
# boundary as loaded (`LocalAuthority.area_km2`, shown beside them), so the density and the
# area people read together agree; the file's own density used a different area.
PER_KM2_OF_BOUNDARY = {"density"}


class IndicatorImportError(Exception):
    pass


def read_csv(path, required_columns):
    """The file's rows as dicts, or IndicatorImportError saying what is wrong with it."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, strict=True)
            rows = list(reader)
            header = reader.fieldnames or []
    except FileNotFoundError as error:
        raise IndicatorImportError(f"no such file: {path}") from error
    except OSError as error:
        raise IndicatorImportError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise IndicatorImportError(
            f"{path} is not UTF-8 text (byte {error.start}): is it a CSV file?"
        ) from error
    except csv.Error as error:
        raise IndicatorImportError(f"{path} is not a well-formed CSV file: {error}") from error
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise IndicatorImportError(f"{path} lacks required columns: {', '.join(missing)}")
    if not rows:
        raise IndicatorImportError(f"{path} has no rows")
    return rows


def record(source, path, apply, dry_run=False):
    """Run `apply(run)` in one transaction as a recorded run (see geodata.import_runs)."""

    def work(run):
        try:
            run.checksum = file_checksum(path)
        except OSError as error:
            raise IndicatorImportError(f"cannot read {path}: {error.strerror}") from error
        with applied(run):
            apply(run)
        run.message = (
            f"{run.rows_read} rows: {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged"
        )

    return recorded_run(
        source, work, location=path, refusals=(IndicatorImportError,), dry_run=dry_run
    )


def upsert_values(run, indicator, values):
    """values: {local_authority_id: value}; writes only what changed."""
    stored = {
        row.local_authority_id: row for row in IndicatorValue.objects.filter(indicator=indicator)
    }
    new, changed = [], []
    for authority_id, value in values.items():
        current = stored.get(authority_id)
        if current is None:
            new.append(
                IndicatorValue(
                    indicator=indicator,
                    local_authority_id=authority_id,
                    value=value,
                    year=indicator.year,
                    updated_at=timezone.now(),
                )
            )
        elif current.value != value or current.year != indicator.year:
            current.value, current.year, current.updated_at = value, indicator.year, timezone.now()
            changed.append(current)
        else:
            run.unchanged += 1
    IndicatorValue.objects.bulk_create(new)
    IndicatorValue.objects.bulk_update(changed, ["value", "year", "updated_at"])
    run.created += len(new)
    run.updated += len(changed)
    gone = set(stored) - set(values)
    IndicatorValue.objects.filter(indicator=indicator, local_authority_id__in=gone).delete()


def check_definition(path, line, fields):
    """Refuse a definition the Indicator table cannot hold, naming the line and field."""
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", fields["code"]):
        raise IndicatorImportError(
            f"{path} line {line}: code {fields['code'][:40]!r} is not a slug"
        )
    for name, value in fields.items():
        length = Indicator._meta.get_field(name).max_length
        if length and len(value) > length:
            raise IndicatorImportError(
                f"{path} line {line}: {name} is longer than {length} characters"
            )


DEFINITION_COLUMNS = [
    "code",
    "column",
    "name",
    "description",
    "unit",
    "year",
    "source",
    "licence",
    "group",
]


def load_indicators(definitions=DEFINITIONS, values=VALUES, dry_run=False):
    def apply(run):
        definitions_rows = read_csv(definitions, DEFINITION_COLUMNS)
        rows = read_csv(values, ["ons_code"])
        current = LocalAuthority.objects.current()
        authorities = {la.ons_code: la.pk for la in current}
        area_km2 = {la.pk: la.area_km2 for la in current}
        codes = [row["ons_code"] or "" for row in rows]
        unknown = sorted(set(codes) - set(authorities))
        if unknown:
            shown = ", ".join(repr(code[:20]) for code in unknown[:10])
            raise IndicatorImportError(f"{values}: unknown LA codes: {shown}")
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise IndicatorImportError(f"{values}: LA codes repeated: {', '.join(repeated)}")
        for number, definition in enumerate(definitions_rows, start=2):
            column = definition["column"] or ""
            if column not in rows[0]:
                raise IndicatorImportError(f"{values} has no column {column[:60]!r}")
            fields = {
                key: definition[key] or ""
                for key in ("name", "description", "unit", "year", "source", "licence", "group")
            }
            check_definition(definitions, number, {"code": definition["code"] or "", **fields})
            indicator, _ = Indicator.objects.update_or_create(
                code=definition["code"], defaults=fields
            )
            parsed = {}
            for line, row in enumerate(rows, start=2):
                raw = (row[column] or "").strip()
                if not raw:
                    continue  # suppressed or not applicable in the source: missing
                try:
                    number = float(raw)
                except ValueError as error:
                    raise IndicatorImportError(
                        f"{values} line {line}: {column} {raw!r} is not a number"
                    ) from error
                if not math.isfinite(number):
                    raise IndicatorImportError(f"{values} line {line}: {column} is not finite")
                authority = authorities[row["ons_code"]]
                if definition["code"] in PER_KM2_OF_BOUNDARY:
                    if not area_km2[authority]:
                        continue
                    number = round(number / area_km2[authority], 1)
                parsed[authority] = number
            run.rows_read += len(rows)
            upsert_values(run, indicator, parsed)

    return record(ImportRun.Source.INDICATORS, values, apply, dry_run)


NEIGHBOUR_COLUMNS = ["ons_code", "sn_rank", "sn_ons_code", "closeness", "current_la"]


def load_statistical_neighbours(path=NEIGHBOURS, dry_run=False):
    def apply(run):
        rows = [row for row in read_csv(path, NEIGHBOUR_COLUMNS) if row.get("current_la") == "True"]
        authorities = {la.ons_code: la.pk for la in LocalAuthority.objects.current()}
        wanted = {}
        for row in rows:
            run.rows_read += 1
            for key in ("ons_code", "sn_ons_code"):
                if row[key] not in authorities:
                    raise IndicatorImportError(
                        f"unknown LA code {(row[key] or '')[:20]!r} in {path}"
                    )
            row["sn_rank"] = row["sn_rank"] or ""
            if len(row["closeness"] or "") > 30:
                raise IndicatorImportError(
                    f"closeness {row['closeness'][:40]!r} in {path} is too long"
                )
            if not row["sn_rank"].isdigit() or not 1 <= int(row["sn_rank"]) <= 10:
                raise IndicatorImportError(f"rank {row['sn_rank'][:20]!r} in {path} is not 1–10")
            wanted[(authorities[row["ons_code"]], int(row["sn_rank"]))] = (
                authorities[row["sn_ons_code"]],
                row["closeness"],
            )
        stored = {
            (n.local_authority_id, n.rank): (n.neighbour_id, n.closeness)
            for n in StatisticalNeighbour.objects.all()
        }
        if stored == wanted:
            run.unchanged = len(wanted)
            return
        StatisticalNeighbour.objects.all().delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(
                local_authority_id=authority, rank=rank, neighbour_id=neighbour, closeness=band
            )
            for (authority, rank), (neighbour, band) in wanted.items()
        )
        run.created = len(wanted)

    return record(ImportRun.Source.STATISTICAL_NEIGHBOURS, path, apply, dry_run)


def derive_register_indicators(extract_date):
    """School counts, academy pupil share and MAT school share from the loaded register."""
    schools = School.objects.open().state_funded()
    rows = (
        LocalAuthority.objects.current()
        .annotate(
            n=Count("schools", filter=Q(schools__in=schools.values("urn"))),
            pupils=Sum("schools__number_of_pupils", filter=Q(schools__in=schools.values("urn"))),
            academy_pupils=Sum(
                "schools__number_of_pupils",
                filter=Q(
                    schools__in=schools.filter(
                        type_group_code__in=SchoolQuerySet.ACADEMY_GROUPS
                    ).values("urn")
                ),
            ),
            mat=Count(
                "schools",
                filter=Q(
                    schools__in=schools.filter(trust__trust_type="multi_academy").values("urn")
                ),
            ),
        )
        .filter(n__gt=0)
    )
    run = ImportRun(source=ImportRun.Source.INDICATORS, location="derived from the register")
    with transaction.atomic():
        computed = {"schools": {}, "academy_pupils": {}, "mat_schools": {}}
        for la in rows:
            computed["schools"][la.pk] = float(la.n)
            computed["mat_schools"][la.pk] = 100 * la.mat / la.n
            if la.pupils:
                computed["academy_pupils"][la.pk] = 100 * (la.academy_pupils or 0) / la.pupils
        for code, (name, description, unit) in REGISTER_INDICATORS.items():
            indicator, _ = Indicator.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "unit": unit,
                    "year": str(extract_date),
                    "source": "DfE Get Information About Schools, derived by this project",
                    "licence": "Open Government Licence v3.0",
                    "group": "register",
                    "derived_from_register": True,
                },
            )
            upsert_values(run, indicator, computed[code])
    return run
