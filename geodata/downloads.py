"""The school register as open data files: open schools, CSV and GeoJSON, each carrying the
register's licence (DfE Get Information About Schools, Open Government Licence v3.0).
Built once per data version and throttled like the API, as every download is."""

import json

from django.http import HttpResponse

from api_core.downloads import attachment, csv_response
from api_core.views import kept_download
from geodata.models import School

REGISTER_LICENCE = {
    "licence": "Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)",
    "attribution": "Contains public sector information licensed under the Open Government "
    "Licence v3.0. Source: Department for Education, Get Information About Schools.",
}
REGISTER_LICENCE_LINK = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

SCHOOL_COLUMNS = [
    "urn",
    "name",
    "la_code",
    "la_name",
    "establishment_type",
    "type_group",
    "phase",
    "status",
    "statutory_low_age",
    "statutory_high_age",
    "number_of_pupils",
    "trust_uid",
    "trust_name",
    "postcode",
    "town",
    "latitude",
    "longitude",
]


def open_schools():
    return School.objects.open().select_related("local_authority", "trust").order_by("urn")


def school_values(school):
    location = school.location
    return [
        school.urn,
        school.name,
        school.local_authority.ons_code,
        school.local_authority.name,
        school.establishment_type,
        school.type_group,
        school.phase,
        school.status,
        school.statutory_low_age if school.statutory_low_age is not None else "",
        school.statutory_high_age if school.statutory_high_age is not None else "",
        school.number_of_pupils if school.number_of_pupils is not None else "",
        school.trust_id or "",
        school.trust.name if school.trust else "",
        school.postcode,
        school.town,
        round(location.y, 6) if location else "",
        round(location.x, 6) if location else "",
    ]


def attach(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{REGISTER_LICENCE_LINK}>; rel="license"'
    return response


@kept_download
def schools_csv(request):
    rows = (school_values(school) for school in open_schools())
    return csv_response(
        "schools.csv", SCHOOL_COLUMNS, rows, REGISTER_LICENCE, REGISTER_LICENCE_LINK
    )


@kept_download
def schools_geojson(request):
    features = []
    for school in open_schools():
        values = dict(zip(SCHOOL_COLUMNS, school_values(school), strict=True))
        del values["latitude"], values["longitude"]
        location = school.location
        geometry = (
            {"type": "Point", "coordinates": [round(location.x, 6), round(location.y, 6)]}
            if location
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": values})
    body = {"type": "FeatureCollection", **REGISTER_LICENCE, "features": features}
    response = HttpResponse(json.dumps(body), content_type="application/geo+json")
    return attachment(response, "schools.geojson", REGISTER_LICENCE_LINK)
