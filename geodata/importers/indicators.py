"""Load LA indicators and DfE's statistical neighbours from the bundled real data.

Idempotent (a value is written only when it changed), checked before writing, applied in
one transaction, and recorded as an import run.
"""

import csv
import math
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

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


def read_csv(path):
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise IndicatorImportError(f"cannot read {path}: {error}") from error


def record(source, path, apply):
    """Run `apply` in a transaction and record it as an import run, whatever happens."""
    run = ImportRun.objects.create(source=source, location=str(path), checksum=file_checksum(path))
    try:
        with transaction.atomic():
            apply(run)
        run.status = ImportRun.Status.SUCCEEDED
        run.message = (
            f"{run.rows_read} rows: {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged"
        )
    except IndicatorImportError as error:
        run.status = ImportRun.Status.REFUSED
        run.message = f"Refused, nothing changed: {error}"
        run.created = run.updated = 0
    run.finished_at = timezone.now()
    run.save()
    return run


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


def load_indicators(definitions=DEFINITIONS, values=VALUES):
    definitions_rows = read_csv(definitions)
    rows = read_csv(values)

    def apply(run):
        current = LocalAuthority.objects.current()
        authorities = {la.ons_code: la.pk for la in current}
        area_km2 = {la.pk: la.area_km2 for la in current}
        unknown = sorted({row["ons_code"] for row in rows} - set(authorities))
        if unknown:
            raise IndicatorImportError(f"unknown LA codes: {', '.join(unknown)}")
        for definition in definitions_rows:
            column = definition["column"]
            if rows and column not in rows[0]:
                raise IndicatorImportError(f"{values} has no column {column!r}")
            fields = {
                key: definition[key]
                for key in ("name", "description", "unit", "year", "source", "licence", "group")
            }
            indicator, _ = Indicator.objects.update_or_create(
                code=definition["code"], defaults=fields
            )
            parsed = {}
            for line, row in enumerate(rows, start=2):
                raw = row[column].strip()
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

    return record(ImportRun.Source.INDICATORS, values, apply)


def load_statistical_neighbours(path=NEIGHBOURS):
    rows = [row for row in read_csv(path) if row.get("current_la") == "True"]

    def apply(run):
        authorities = {la.ons_code: la.pk for la in LocalAuthority.objects.current()}
        wanted = {}
        for row in rows:
            run.rows_read += 1
            for key in ("ons_code", "sn_ons_code"):
                if row[key] not in authorities:
                    raise IndicatorImportError(f"unknown LA code {row[key]} in {path}")
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

    return record(ImportRun.Source.STATISTICAL_NEIGHBOURS, path, apply)


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
