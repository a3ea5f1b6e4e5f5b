import django_filters
from django.contrib.gis.geos import Polygon
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from geodata.models import LocalAuthority, School, Trust


def parse_bbox(value):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84, as a polygon."""
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise ValidationError({"bbox": ["give four numbers: min_lon,min_lat,max_lon,max_lat"]})
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


class BBoxFilter(django_filters.CharFilter):
    """Rows whose geometry field intersects the box."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__intersects": parse_bbox(value)})


class SchoolFilter(django_filters.FilterSet):
    la = django_filters.CharFilter(method="filter_la", help_text="ONS, DfE or former LA code.")
    trust = django_filters.NumberFilter(field_name="trust_id", help_text="GIAS group UID.")
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
    trust_type = django_filters.ChoiceFilter(choices=Trust.Type.choices)

    class Meta:
        model = Trust
        fields = []

    def filter_la(self, queryset, name, value):
        open_there = School.objects.open().filter(local_authority__in=authorities_for(value))
        return queryset.filter(schools__in=open_there).distinct()
