"""Bulk open-data downloads, each carrying its licence and attribution."""

from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from rest_framework import serializers

from api_core import downloads
from api_core.views import kept_download
from geodata.api.serializers import LocalAuthorityFeatureSerializer
from geodata.models import LocalAuthority
from partnerships import timeline
from partnerships.api.serializers import (
    MembershipSerializer,
    PartnershipFeatureSerializer,
    PartnershipSerializer,
)
from partnerships.models import DOWNLOADABLE_FIELDS, LAResearch, Membership, Partnership

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
LICENCE["landscape"] = {
    "licence": "Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/) for the "
    "register's series; CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) for the "
    "partnership counts",
    "attribution": (
        "Contains public sector information licensed under the Open Government Licence v3.0 "
        "(Department for Education, Get Information About Schools). Partnership counts: "
        "England's education partnerships map contributors."
    ),
}
LICENCE_LINKS = {
    "landscape": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "partnerships": "https://creativecommons.org/licenses/by/4.0/",
    "boundaries": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def published(request):
    """The published partnerships as the API serializes them."""
    queryset = Partnership.objects.published().with_public_relations().order_by("name")
    return PartnershipSerializer(queryset, many=True, context={"request": request}).data


def joined(values):
    return ";".join(str(value) for value in values)


def csv_cell(value):
    """A serialized value as one CSV cell: lists joined, nothing as empty."""
    if isinstance(value, list):
        return joined(value)
    return "" if value is None else value


def csv_response(filename, header, rows, licence):
    """A CSV file under one of the licences above."""
    return downloads.csv_response(filename, header, rows, LICENCE[licence], LICENCE_LINKS[licence])


@kept_download
def partnerships_csv(request):
    """One row per partnership: the downloadable fields (areas, and their regions, as codes
    and names), its page and its sources."""
    header = []
    for name in DOWNLOADABLE_FIELDS:
        areas = ["la_codes", "la_names", "region_codes", "region_names"]
        header += areas if name == "local_authorities" else [name]
    header += ["page", "sources"]
    rows = []
    for record in published(request):
        row = []
        for name in DOWNLOADABLE_FIELDS:
            if name == "local_authorities":
                areas = record[name]
                row += [joined(la["ons_code"] for la in areas), joined(la["name"] for la in areas)]
                row += [joined(r["code"] for r in record["regions"])]
                row += [joined(r["name"] for r in record["regions"])]
            else:
                row.append(csv_cell(record[name]))
        rows.append([*row, record["page"], joined(s["url"] for s in record["sources"])])
    return csv_response("partnerships.csv", header, rows, "partnerships")


@kept_download
def memberships_csv(request):
    """One row per member of a published partnership, as the API describes members."""
    members = (
        Membership.objects.filter(partnership__published=True)
        .select_related("partnership", "local_authority")
        .order_by("partnership__name", "kind", "name")
    )
    fields = MembershipSerializer.Meta.fields
    header = ["partnership_slug", "partnership_name", *fields]
    rows = (
        [
            member.partnership.slug,
            member.partnership.name,
            *(csv_cell(data[name]) for name in fields),
        ]
        for member, data in zip(members, MembershipSerializer(members, many=True).data, strict=True)
    )
    return csv_response("memberships.csv", header, rows, "partnerships")


def geojson_response(filename, features, licence):
    response = JsonResponse(
        {"type": "FeatureCollection", **LICENCE[licence], "features": features},
        content_type="application/geo+json",
    )
    return downloads.attachment(response, filename, LICENCE_LINKS[licence])


@kept_download
def partnerships_geojson(request):
    queryset = Partnership.objects.published().with_public_relations().order_by("name")
    collection = PartnershipFeatureSerializer(
        queryset, many=True, context={"request": request}
    ).data
    return geojson_response("partnerships.geojson", collection["features"], "partnerships")


@kept_download
def research_csv(request):
    """One row per current LA: what we know of school collaboration there (its research
    record), the status derived as on the area page."""
    records = (
        LAResearch.objects.with_status()
        .filter(local_authority__in=LocalAuthority.objects.current())
        .select_related("local_authority")
        .order_by("local_authority__name")
    )
    header = [
        "la_code",
        "la_name",
        "status",
        "summary",
        "council_role",
        "council_role_detail",
        "la_functions",
        "none_found_on",
        "searches",
        "last_verified",
        "confirmed_on",
        "confirmed_by",
        "source_urls",
        "sources_accessed",
    ]
    rows = (
        [
            record.local_authority.ons_code,
            record.local_authority.name,
            record.status,
            record.summary,
            record.council_role,
            record.council_role_detail,
            record.la_functions,
            csv_cell(record.none_found_on),
            joined(record.searches),
            csv_cell(record.last_verified),
            csv_cell(record.confirmed_on),
            record.confirmed_by,
            joined(source["url"] for source in record.sources),
            joined(source.get("accessed") or "" for source in record.sources),
        ]
        for record in records
    )
    return csv_response("la-research.csv", header, rows, "partnerships")


SOURCE_COLUMNS = ["url", "title", "published", "accessed", "checked", "says", "supports", "infers"]


@kept_download
def sources_csv(request):
    """One row per source of a published partnership or an LA's research record, numbered
    as on its page, with the fields it states (`supports`) or infers: which source says
    which fact."""
    header = ["record_type", "record_id", "record_name", "number", *SOURCE_COLUMNS]
    rows = []
    for record in published(request):
        for number, source in enumerate(record["sources"], start=1):
            row = [csv_cell(source.get(name)) for name in SOURCE_COLUMNS]
            rows.append(["partnership", record["slug"], record["name"], number, *row])
    research = (
        LAResearch.objects.filter(local_authority__in=LocalAuthority.objects.current())
        .select_related("local_authority")
        .order_by("local_authority__name")
    )
    for record in research:
        authority = record.local_authority
        for number, source in enumerate(record.sources, start=1):
            row = [csv_cell(source.get(name)) for name in SOURCE_COLUMNS]
            rows.append(["la_research", authority.ons_code, authority.name, number, *row])
    return csv_response("sources.csv", header, rows, "partnerships")


class LocalAuthorityDownloadSerializer(LocalAuthorityFeatureSerializer):
    partnership_count = serializers.IntegerField(
        help_text="Published local partnerships covering it (regional bodies not counted)."
    )
    regional_body_count = serializers.IntegerField(
        help_text="Published regional bodies that include it."
    )

    class Meta(LocalAuthorityFeatureSerializer.Meta):
        fields = [
            *LocalAuthorityFeatureSerializer.Meta.fields,
            "partnership_count",
            "regional_body_count",
        ]


@kept_download
def local_authorities_geojson(request):
    authorities = (
        LocalAuthority.objects.current()
        .select_related("region")
        .defer("boundary")
        .annotate(
            partnership_count=Count(
                "partnerships",
                filter=Q(partnerships__published=True)
                & ~Q(partnerships__scope=Partnership.Scope.REGIONAL),
            ),
            regional_body_count=Count(
                "partnerships",
                filter=Q(
                    partnerships__published=True, partnerships__scope=Partnership.Scope.REGIONAL
                ),
            ),
        )
        .order_by("name")
    )
    collection = LocalAuthorityDownloadSerializer(
        authorities, many=True, context={"request": request}
    ).data
    return geojson_response("local-authorities.geojson", collection["features"], "boundaries")


@kept_download
def landscape_csv(request):
    """The landscape over time for England and every current LA (`partnerships.timeline`)."""
    rows = list(timeline.timeline_csv_rows(timeline.ENGLAND, timeline.ENGLAND_NAME))
    for area in LocalAuthority.objects.current().order_by("name").only("ons_code", "name"):
        rows += timeline.timeline_csv_rows(area.ons_code, area.name)
    return csv_response("landscape-over-time.csv", timeline.CSV_HEADER, rows, "landscape")


@kept_download
def area_landscape_csv(request, code):
    """One area's landscape over time; 404 for a code that is not a current LA's ONS code
    (the area page redirects other codes there)."""
    area = get_object_or_404(
        LocalAuthority.objects.current().only("ons_code", "name"), ons_code=code
    )
    rows = timeline.timeline_csv_rows(area.ons_code, area.name)
    return csv_response(
        f"landscape-over-time-{area.ons_code}.csv", timeline.CSV_HEADER, rows, "landscape"
    )
