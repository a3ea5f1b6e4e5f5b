"""What the open data page says about each file: its size and date, measured from the file as
served now, and what each of its columns means. Columns are read from the file itself, so
a column added to a download without a description here shows (and fails a test)."""

import csv
import inspect
import io
import json
import re

from django.db.models import Max
from django.urls import reverse

from geodata import downloads as register_downloads
from geodata.models import BoundarySet, ImportRun, LocalAuthority
from partnerships import downloads
from partnerships.models import (
    CONFIRMATION_FIELDS,
    DOWNLOADABLE_FIELDS,
    PUBLIC_FIELDS,
    LAResearch,
    Membership,
    Partnership,
    field_choices,
    is_list_field,
    partnership_field,
)

LICENCE_COLUMNS = {
    "licence": "The licence of the data in this row.",
    "attribution": "The attribution to give when you reuse it.",
}
COLUMNS = {
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
    "local-authorities.geojson": {
        "ons_code": "ONS (GSS) code of the local authority.",
        "dfe_code": "DfE's three-digit LA code.",
        "name": "Its name.",
        "la_type": "Its type code (county, metropolitan district, London borough, unitary...).",
        "la_type_name": "Its type, in words.",
        "region": "Its region (code and name).",
        "area_km2": "Area of the boundary shown, in km².",
        "partnership_count": "Published local partnerships covering it.",
        "regional_body_count": "Published regional bodies that include it.",
    },
    "la-research.csv": {
        "la_code": "ONS code of the local authority.",
        "la_name": "Its name.",
        "status": "documented (a local partnership is published), none_found (searched, none "
        "found), researched (what research found is summarised; no local partnership is "
        "published yet) or not_researched.",
        "summary": "How schools work together there, as the sources say.",
        "council_role": "Who delivers school improvement for the council: in_house_team, "
        "council_company, commissioned_partnership, statutory_minimum or unknown.",
        "council_role_detail": "The council's role in short, as the sources say.",
        "la_functions": "School-improvement functions the council keeps, where sources say.",
        "none_found_on": "The date it was searched and no local partnership found.",
        "searches": "The searches made where something was not found, separated by ;",
        "last_verified": "The date the record was last checked against its sources.",
        "confirmed_on": "When the council last confirmed the record accurate, if it has.",
        "confirmed_by": "Who confirmed it, by role (council), never a person.",
        "source_urls": "Addresses of the sources, separated by ;",
        "sources_accessed": "The dates each source was read, in the same order.",
    },
    "sources.csv": {
        "record_type": "partnership or la_research.",
        "record_id": "The partnership's slug, or the local authority's ONS code.",
        "record_name": "Its name.",
        "number": "The source's number on the record's page (its references).",
        "url": "The source's address.",
        "title": "A short description of it.",
        "published": "The date the page itself shows (YYYY, YYYY-MM or YYYY-MM-DD), if any.",
        "accessed": "When we read it.",
        "checked": "True if we read the page itself; an unread source supports nothing.",
        "says": "What it states that the record relies on, in short.",
        "supports": "The record's fields it states, separated by ;",
        "infers": "The fields it supports by a written inference rule, separated by ;",
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


def field_description(name):
    """A partnership field's column description, from the model: its help text (or name),
    and the values it may take."""
    field = partnership_field(name)
    text = str(field.help_text or field.verbose_name.capitalize()).rstrip(".")
    values = [value for value, _ in field_choices(name)]
    if values:
        text += (": any of " if is_list_field(name) else ": one of ") + ", ".join(values)
    return text + (
        ", separated by ;" if is_list_field(name) and name != "local_authorities" else "."
    )


AREA_COLUMNS = {
    "la_codes": "ONS codes of the local authorities it covers, separated by ;",
    "la_names": "Their names, in the same order.",
    "region_codes": "ONS codes (E12) of the regions of those authorities, separated by ;",
    "region_names": "The regions' names, in the same order.",
}
COLUMNS["partnerships.csv"] = {
    **{name: field_description(name) for name in DOWNLOADABLE_FIELDS},
    **AREA_COLUMNS,
    "page": "Its page on this site.",
    "sources": "Addresses of the public sources, separated by ;",
}
COLUMNS["partnerships.geojson"] = {
    **{name: field_description(name) for name in [*PUBLIC_FIELDS, *CONFIRMATION_FIELDS]},
    "local_authorities": "The local authorities it covers (codes, names, types).",
    "regions": "The regions of those local authorities (code and name).",
    "members": "Its named members (see memberships.csv).",
    "sources": "Its public sources: address, title, date shown, when read, what each says, "
    "and the fields each states (supports) or infers.",
    "url": "Its record in the API.",
    "page": "Its page on this site.",
}
COLUMNS["landscape-over-time.csv"] = {
    "area_code": "ONS code of the local authority, or E92000001 for England.",
    "area_name": "Its name.",
    "series": "successor_events (GIAS links of a Successor type, by year they took effect), "
    "academy_share_now (open state-funded schools, and those that are academies or free "
    "schools), partnerships_founded or partnerships_ceased (published local partnerships).",
    "year": "The year; undated where the source gives none; now for academy_share_now.",
    "category": "For successor events, the kind (academy conversion, merged...); otherwise "
    "what is counted.",
    "count": "How many.",
    "source": "What the series counts and where it comes from.",
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
    ("la-research.csv", "download-research-csv", downloads.research_csv,
     "What we know about each local authority: documented, none found (with the date) or "
     "not researched; a sourced summary and the date last verified.", "partnerships"),
    ("sources.csv", "download-sources-csv", downloads.sources_csv,
     "Every source of every published partnership and LA research record, with the facts "
     "each one states or infers: which source says what.", "partnerships"),
    ("landscape-over-time.csv", "download-landscape-csv", downloads.landscape_csv,
     "The landscape over time, for England and each local authority: academy conversions "
     "and other successor events by year (GIAS links), the share of open state-funded "
     "schools in academies now, and local partnerships by year founded and ceased.",
     "landscape"),
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
    """When each file's content last changed, by file name (or its licence's group)."""
    register = ImportRun.objects.register_state()["loaded"]
    boundary_set = BoundarySet.objects.filter(is_active=True).first()
    partnerships = Partnership.objects.published().aggregate(at=Max("updated_at"))["at"]
    members = Membership.objects.filter(partnership__published=True).aggregate(
        at=Max("partnership__updated_at")
    )["at"]
    research = LAResearch.objects.filter(
        local_authority__in=LocalAuthority.objects.current()
    ).aggregate(at=Max("updated_at"))["at"]
    return {
        "partnerships": partnerships,
        "memberships.csv": members or partnerships,
        "la-research.csv": research,
        "sources.csv": latest(partnerships, research),
        "boundaries": boundary_set.activated_at or boundary_set.loaded_at if boundary_set else None,
        "register": register.finished_at if register else None,
        "landscape": latest(register and register.finished_at, partnerships),
    }


def latest(*dates):
    return max((at for at in dates if at), default=None)


# "Name (https://...) for what", parts separated by ";": how the licences are written.
LICENCE_PART = re.compile(r"\s*(?P<name>[^;(]+?) \((?P<url>https?://[^)\s]+)\)(?P<scope>[^;]*)")


def licence_links(text):
    """A licence text as short linked names: [{name, url, scope}], so that the data table
    shows "CC BY 4.0" linked rather than its whole address."""
    return [match.groupdict() for match in LICENCE_PART.finditer(text)]


LICENCES = {**downloads.LICENCE, "register": register_downloads.REGISTER_LICENCE}


def describe_downloads(request):
    """Each file as served now: name, link, what it holds, size, date, licence, columns."""
    dates = last_updated()
    described = []
    for name, url_name, view, summary, licence in FILES:
        # The view itself, not its throttled and cached doors: describing a file is not
        # downloading it (and its answer is kept under the download's own address).
        content = inspect.unwrap(view)(request).content
        columns = columns_of(name, content)
        descriptions = {**COLUMNS[name], **LICENCE_COLUMNS}
        described.append(
            {
                "name": name,
                "url": reverse(url_name),
                "summary": summary,
                "size": len(content),
                "updated": dates.get(name, dates[licence]),
                "licence": licence,
                "licence_links": licence_links(LICENCES[licence]["licence"]),
                "columns": [(column, descriptions.get(column, "")) for column in columns],
            }
        )
    return described
