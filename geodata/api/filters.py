import django_filters
from django.contrib.gis.geos import Polygon
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from api_core.parameters import (
    DECIMAL_NUMBER_PATTERN,
    ChoiceFilter,
    NonEmptyCharField,
    WholeNumberFilter,
    decimal_number,
)
from geodata.models import LocalAuthority, School, Trust


def parse_bbox(value):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84, as a polygon."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValidationError({"bbox": ["give four numbers: min_lon,min_lat,max_lon,max_lat"]})
    numbers = [decimal_number(part.strip(" "), "bbox") for part in parts]
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ValidationError(
            {"bbox": ["must be min_lon,min_lat,max_lon,max_lat with min < max, in degrees"]}
        )
    return Polygon.from_bbox(numbers)


def authorities_for(code, field="la"):
    matches = list(LocalAuthority.objects.current().resolve(code))
    if not matches:
        raise ValidationError({field: [f"no local authority has the code {code!r}"]})
    return matches


BBOX_PATTERN = rf"^ *{DECIMAL_NUMBER_PATTERN} *(, *{DECIMAL_NUMBER_PATTERN} *){{3}}$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": BBOX_PATTERN,
        "description": "min_lon,min_lat,max_lon,max_lat in degrees (WGS84)",
    }
)
class BBoxFilter(django_filters.CharFilter):
    """Rows whose geometry field intersects the box; given empty, refused."""

    field_class = NonEmptyCharField

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__intersects": parse_bbox(value)})


class SchoolFilter(django_filters.FilterSet):
    la = django_filters.CharFilter(method="filter_la", help_text="ONS, DfE or former LA code.")
    trust = WholeNumberFilter(field_name="trust_id", help_text="GIAS group UID.")
    phase = django_filters.CharFilter(field_name="phase", lookup_expr="iexact")
    type_group = django_filters.CharFilter(field_name="type_group", lookup_expr="iexact")
    status = django_filters.CharFilter(
        method="filter_status",
        help_text="Register status (any case), as the latest extract gives it: a school "
        "the extract lacks is not open.",
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Name, URN or postcode.")
    bbox = BBoxFilter(field_name="location", help_text="min_lon,min_lat,max_lon,max_lat")

    class Meta:
        model = School
        fields = []

    def filter_la(self, queryset, name, value):
        return queryset.filter(local_authority__in=authorities_for(value))

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value) | Q(postcode__istartswith=value)
        if value.isascii() and value.isdigit():  # "²³" is a digit string, not a number
            condition |= Q(urn=int(value))
        return queryset.filter(condition)


class TrustFilter(django_filters.FilterSet):
    la = django_filters.CharFilter(method="filter_la", help_text="Trusts with open schools there.")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    trust_type = ChoiceFilter(choices=Trust.Type.choices)

    class Meta:
        model = Trust
        fields = []

    def filter_la(self, queryset, name, value):
        open_there = School.objects.open().filter(local_authority__in=authorities_for(value))
        return queryset.filter(schools__in=open_there).distinct()
