import re

import django_filters
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Concat
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from api_core.parameters import ChoiceFilter, IsoDateTimeFilter, NonEmptyCharField
from geodata.api.filters import BBoxFilter, SchoolFilter, TrustFilter, authorities_for
from geodata.models import Region
from partnerships.models import (
    FILTERABLE_FIELDS,
    Membership,
    Partnership,
    field_choices,
    is_list_field,
)

FUZZY_THRESHOLD = 0.3


class CommaChoiceFilter(django_filters.CharFilter):
    """One value, or several separated by commas (any of them matches); spaces around a value
    are ignored; given empty, or with an empty or unknown value, refused. The schema says the
    same with a pattern."""

    field_class = NonEmptyCharField

    def __init__(self, *args, param, choices=None, contains=False, **kwargs):
        self.param = param
        self.allowed = [value for value, _ in choices]
        self.contains = contains
        kwargs.setdefault(
            "help_text", "One of, or several separated by commas: " + ", ".join(self.allowed)
        )
        super().__init__(*args, **kwargs)
        one = "(" + "|".join(re.escape(value) for value in self.allowed) + ")"
        pattern = f"^ *{one} *(, *{one} *)*$"
        extend_schema_field({"type": "string", "pattern": pattern})(self)

    def filter(self, queryset, value):
        if not value:
            return queryset
        values = [part.strip(" ") for part in value.split(",")]
        unknown = [v or "''" for v in values if v not in self.allowed]
        if unknown:
            raise ValidationError(
                {
                    self.param: [
                        f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(self.allowed)}"
                    ]
                }
            )
        lookup = f"{self.field_name}__contains" if self.contains else self.field_name
        condition = Q()
        for v in values:
            condition |= Q(**{lookup: [v] if self.contains else v})
        return queryset.filter(condition)


class PartnershipFilter(django_filters.FilterSet):
    la = django_filters.CharFilter(method="filter_la", help_text="ONS, DfE or former LA code.")
    region = django_filters.CharFilter(method="filter_region", help_text="Region E12 code.")
    q = django_filters.CharFilter(method="filter_q", help_text="Fuzzy search of names.")
    bbox = BBoxFilter(field_name="display_footprint", help_text="min_lon,min_lat,max_lon,max_lat")
    updated_since = IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Partnership
        fields = []

    def filter_la(self, queryset, name, value):
        return queryset.filter(local_authorities__in=authorities_for(value)).distinct()

    def filter_region(self, queryset, name, value):
        if not Region.objects.filter(code=value).exists():
            raise ValidationError({"region": [f"no region has the code {value!r} (use E12...)"]})
        return queryset.filter(local_authorities__region__code=value).distinct()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        names = Concat(
            "name",
            Value(" "),
            Func("also_known_as", Value(" "), function="array_to_string", output_field=CharField()),
            output_field=CharField(),
        )
        return (
            queryset.annotate(names=names, similarity=TrigramWordSimilarity(value, names))
            .filter(Q(similarity__gte=FUZZY_THRESHOLD) | Q(names__icontains=value))
            .order_by("-similarity", "name")
        )


def choice_filters():
    """One filter per filterable field, its choices read from the model."""
    return {
        parameter: CommaChoiceFilter(
            param=parameter,
            field_name=field,
            choices=field_choices(field),
            contains=is_list_field(field),
        )
        for parameter, field in FILTERABLE_FIELDS.items()
    }


# The place filters first, then the choice fields, then the rest.
_declared = dict(PartnershipFilter.base_filters)
PartnershipFilter.base_filters = {
    "la": _declared.pop("la"),
    "region": _declared.pop("region"),
    **choice_filters(),
    **_declared,
}


class SchoolWithPartnershipFilter(SchoolFilter):
    partnership = django_filters.CharFilter(
        method="filter_partnership",
        help_text="Slug: schools that are members, directly or through their trust.",
    )

    def filter_partnership(self, queryset, name, value):
        partnership = Partnership.objects.published().filter(slug=value).first()
        if partnership is None:
            raise ValidationError({"partnership": [f"no published partnership {value!r}"]})
        members = partnership.members
        return queryset.filter(
            Q(urn__in=members.filter(school__isnull=False).values("school_id"))
            | Q(trust_id__in=members.filter(trust__isnull=False).values("trust_id"))
        )


class TrustWithPartnershipFilter(TrustFilter):
    partnership_role = ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_partnership_role",
        help_text="true: trusts that published local partnerships name as members (their "
        "local engagement); false: the others.",
    )

    def filter_partnership_role(self, queryset, name, value):
        named = Membership.objects.filter(
            partnership__in=Partnership.objects.published().local(), trust__isnull=False
        ).values("trust_id")
        if value == "true":
            return queryset.filter(uid__in=named)
        return queryset.exclude(uid__in=named)
