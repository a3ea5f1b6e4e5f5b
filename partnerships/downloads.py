"""Bulk open-data downloads, each carrying its licence and attribution."""

import csv
import io
import json

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, JsonResponse

from geodata.models import LocalAuthority
from partnerships.models import Membership, Partnership
from partnerships_map.api import throttled_like_the_api

LICENCE = {
    "partnerships": {
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "attribution": (
            "England's education partnerships map contributors, compiled from the public "
            "sources cited for each partnership. Area codes: contains public sector "
            "information licensed under the Open Government Licence v3.0."
        ),
    },
    "boundaries": {
        "licence": "Open Government Licence v3.0 "
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)",
        "attribution": (
            "Source: Office for National Statistics licensed under the Open Government Licence "
            "v.3.0. Contains OS data © Crown copyright and database right 2024. Partnership "
            "counts: England's education partnerships map contributors, CC BY 4.0."
        ),
    },
}
LICENCE_LINKS = {
    "partnerships": "https://creativecommons.org/licenses/by/4.0/",
    "boundaries": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def published():
    return (
        Partnership.objects.published()
        .order_by("name")
        .prefetch_related(
            Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("name")),
            "sources",
        )
    )


def joined(values):
    return ";".join(str(value) for value in values)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value that spreadsheet programs show as text, never run as a formula
    (OWASP's CSV-injection advice: prefix a quote to text starting with = + - @ tab CR).
    Numbers are left alone, so a negative number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename, header, rows, licence):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*header, "licence", "attribution"])
    for row in rows:
        cells = [*row, LICENCE[licence]["licence"], LICENCE[licence]["attribution"]]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_LINKS[licence]}>; rel="license"'
    return response


@throttled_like_the_api
def partnerships_csv(request):
    header = [
        "slug",
        "name",
        "also_known_as",
        "status",
        "la_role",
        "scope",
        "la_codes",
        "la_names",
        "founded_year",
        "legal_form",
        "legal_form_detail",
        "funding_models",
        "governance",
        "focus_areas",
        "phases",
        "declared_member_count",
        "website",
        "evidence",
        "last_verified",
        "updated_at",
        "page",
        "sources",
    ]
    rows = (
        [
            p.slug,
            p.name,
            joined(p.also_known_as),
            p.status,
            p.la_role,
            p.scope,
            joined(la.ons_code for la in p.local_authorities.all()),
            joined(la.name for la in p.local_authorities.all()),
            p.founded_year or "",
            p.legal_form,
            p.legal_form_detail,
            joined(p.funding_models),
            joined(p.governance),
            joined(p.focus_areas),
            joined(p.phases),
            p.declared_member_count if p.declared_member_count is not None else "",
            p.website,
            p.evidence,
            p.last_verified or "",
            p.updated_at.isoformat(),
            request.build_absolute_uri(p.get_absolute_url()),
            joined(source.url for source in p.sources.all()),
        ]
        for p in published()
    )
    return csv_response("partnerships.csv", header, rows, "partnerships")


@throttled_like_the_api
def memberships_csv(request):
    header = [
        "partnership_slug",
        "partnership_name",
        "kind",
        "name",
        "organisation_type",
        "role",
        "urn",
        "trust_uid",
        "la_code",
        "start_date",
        "end_date",
    ]
    members = (
        Membership.objects.filter(partnership__published=True)
        .select_related("partnership", "local_authority")
        .order_by("partnership__name", "kind", "name")
    )
    rows = (
        [
            m.partnership.slug,
            m.partnership.name,
            m.kind,
            m.name,
            m.organisation_type,
            m.role,
            m.school_id or "",
            m.trust_id or "",
            m.local_authority.ons_code if m.local_authority else "",
            m.start_date or "",
            m.end_date or "",
        ]
        for m in members
    )
    return csv_response("memberships.csv", header, rows, "partnerships")


def geojson_response(filename, features, licence):
    response = JsonResponse(
        {"type": "FeatureCollection", **LICENCE[licence], "features": features},
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_LINKS[licence]}>; rel="license"'
    return response


@throttled_like_the_api
def partnerships_geojson(request):
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(p.display_footprint.geojson) if p.display_footprint else None,
            "properties": {
                "slug": p.slug,
                "name": p.name,
                "status": p.status,
                "la_role": p.la_role,
                "scope": p.scope,
                "la_codes": [la.ons_code for la in p.local_authorities.all()],
                "focus_areas": p.focus_areas,
                "page": request.build_absolute_uri(p.get_absolute_url()),
            },
        }
        for p in published()
    ]
    return geojson_response("partnerships.geojson", features, "partnerships")


@throttled_like_the_api
def local_authorities_geojson(request):
    authorities = (
        LocalAuthority.objects.current()
        .select_related("region")
        .annotate(partnership_count=Count("partnerships", filter=Q(partnerships__published=True)))
        .order_by("name")
    )
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(la.display_geometry.geojson),
            "properties": {
                "ons_code": la.ons_code,
                "dfe_code": la.dfe_code,
                "name": la.name,
                "la_type": la.la_type,
                "region": la.region.name,
                "partnership_count": la.partnership_count,
            },
        }
        for la in authorities
    ]
    return geojson_response("local-authorities.geojson", features, "boundaries")
