"""What the open data page says about each file: its size and date, measured from the file as
served now, and what each of its columns means. Columns are read from the file itself, so
a column added to a download without a description here shows (and fails a test)."""

import csv
import io
import json

from django.db.models import Max
from django.urls import reverse

from geodata import downloads as register_downloads
from geodata.models import BoundarySet, ImportRun
from partnerships import downloads
from partnerships.models import Membership, Partnership

LICENCE_COLUMNS = {
    "licence": "The licence of the data in this row.",
    "attribution": "The attribution to give when you reuse it.",
}
COLUMNS = {
    "partnerships.csv": {
        "slug": "The partnership's identifier, stable, as in its page address.",
        "name": "Its name.",
        "also_known_as": "Other names and abbreviations, separated by ;",
        "status": "active, dormant, closed or unknown.",
        "la_role": "The local authority's role: schools_led, schools_and_la, la_coordinating.",
        "scope": "The area it covers: one LA, several LAs, part of an LA...",
        "la_codes": "ONS codes of the local authorities it covers, separated by ;",
        "la_names": "Their names, in the same order.",
        "founded_year": "The year it was founded, where known.",
        "legal_form": "How it is constituted (company, charity, unincorporated...).",
        "legal_form_detail": "Company or charity number, or other detail of the legal form.",
        "funding_models": "How it is funded, separated by ;",
        "governance": "How it is governed, separated by ;",
        "focus_areas": "What it works on, separated by ;",
        "phases": "The phases of education it covers, separated by ;",
        "declared_member_count": "The number of members it declares, where published.",
        "website": "Its website.",
        "evidence": "What the record is based on.",
        "last_verified": "The date the record was last checked against its sources.",
        "updated_at": "When the record last changed (ISO 8601).",
        "page": "Its page on this site.",
        "sources": "Addresses of the public sources, separated by ;",
    },
    "memberships.csv": {
        "partnership_slug": "The partnership (see partnerships.csv).",
        "partnership_name": "Its name.",
        "kind": "school, trust, local_authority or other.",
        "name": "The member's name.",
        "organisation_type": "For other members: what kind of organisation.",
        "role": "Its role in the partnership, where published.",
        "urn": "For a school: its URN in Get Information About Schools.",
        "trust_uid": "For a trust: its group UID in Get Information About Schools.",
        "la_code": "For a local authority: its ONS code.",
        "start_date": "When it joined, where known.",
        "end_date": "When it left, where known.",
    },
    "partnerships.geojson": {
        "slug": "The partnership's identifier.",
        "name": "Its name.",
        "status": "active, dormant, closed or unknown.",
        "la_role": "The local authority's role.",
        "scope": "The area it covers.",
        "la_codes": "ONS codes of the local authorities it covers.",
        "focus_areas": "What it works on.",
        "page": "Its page on this site.",
    },
    "local-authorities.geojson": {
        "ons_code": "ONS (GSS) code of the local authority.",
        "dfe_code": "DfE's three-digit LA code.",
        "name": "Its name.",
        "la_type": "Its type (county, metropolitan district, London borough, unitary...).",
        "region": "Its region.",
        "partnership_count": "How many published partnerships cover it.",
    },
    "schools.csv": {
        "urn": "Unique reference number (Get Information About Schools).",
        "name": "The school's name.",
        "la_code": "ONS code of its local authority.",
        "la_name": "Its local authority.",
        "establishment_type": "Type of establishment, as in the register.",
        "type_group": "Group of establishment types (academies, LA maintained...).",
        "phase": "Phase of education.",
        "status": "Open, or open but proposed to close.",
        "statutory_low_age": "Youngest statutory age.",
        "statutory_high_age": "Oldest statutory age.",
        "number_of_pupils": "Pupils on roll, as in the register.",
        "trust_uid": "Group UID of its trust, if any.",
        "trust_name": "Its trust.",
        "postcode": "Postcode.",
        "town": "Town.",
        "latitude": "Latitude (WGS 84), converted from the register's grid reference.",
        "longitude": "Longitude (WGS 84).",
    },
}
COLUMNS["schools.geojson"] = {
    k: v for k, v in COLUMNS["schools.csv"].items() if k not in {"latitude", "longitude"}
}

FILES = [
    ("partnerships.csv", "download-partnerships-csv", downloads.partnerships_csv,
     "Every published partnership: areas, LA role, scope, legal form, funding, governance, "
     "focus, phases, sources.", "partnerships"),
    ("memberships.csv", "download-memberships-csv", downloads.memberships_csv,
     "Named members of each partnership (schools by URN, trusts by UID, LAs by ONS code, "
     "other organisations).", "partnerships"),
    ("partnerships.geojson", "download-partnerships-geojson", downloads.partnerships_geojson,
     "Partnership footprints with their main fields.", "partnerships"),
    ("local-authorities.geojson", "download-local-authorities-geojson",
     downloads.local_authorities_geojson,
     "The 153 local authorities (simplified boundaries) with their codes and number of "
     "partnerships.", "boundaries"),
    ("schools.csv", "download-schools-csv", register_downloads.schools_csv,
     "Every open school in the register, with its local authority, trust and location.",
     "register"),
    ("schools.geojson", "download-schools-geojson", register_downloads.schools_geojson,
     "The same schools as points.", "register"),
]  # fmt: skip


def columns_of(name, content):
    """The file's own columns (CSV header, or the first feature's properties)."""
    if name.endswith(".csv"):
        return next(csv.reader(io.StringIO(content.decode("utf-8"))))
    features = json.loads(content)["features"]
    return list(features[0]["properties"]) if features else list(COLUMNS[name])


def last_updated():
    register = ImportRun.objects.register_state()["loaded"]
    boundary_set = BoundarySet.objects.filter(is_active=True).first()
    partnerships = Partnership.objects.published().aggregate(at=Max("updated_at"))["at"]
    members = Membership.objects.filter(partnership__published=True).aggregate(
        at=Max("partnership__updated_at")
    )["at"]
    return {
        "partnerships": partnerships,
        "memberships": members or partnerships,
        "boundaries": boundary_set.activated_at or boundary_set.loaded_at if boundary_set else None,
        "register": register.finished_at if register else None,
    }


def describe_downloads(request):
    """Each file as served now: name, link, what it holds, size, date, licence, columns."""
    dates = last_updated()
    described = []
    for name, url_name, view, summary, licence in FILES:
        content = view(request).content
        columns = columns_of(name, content)
        descriptions = {**COLUMNS[name], **LICENCE_COLUMNS}
        described.append(
            {
                "name": name,
                "url": reverse(url_name),
                "summary": summary,
                "size": len(content),
                "updated": dates["memberships" if name == "memberships.csv" else licence],
                "licence": licence,
                "columns": [(column, descriptions.get(column, "")) for column in columns],
            }
        )
    return described
