from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.api.serializers import (
    LocalAuthorityDetailSerializer,
    LocalAuthoritySummary,
    RegionSummarySerializer,
)
from geodata.landscape_history import UNDATED
from partnerships.coverage import coverage_of
from partnerships.models import (
    CONFIRMATION_FIELDS,
    PUBLIC_FIELDS,
    RESEARCH_PUBLIC_FIELDS,
    LAResearch,
    Membership,
    OwnerRole,
    Partnership,
    Source,
)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "published", "accessed", "checked", "says", "supports", "infers"]


class MembershipSerializer(serializers.ModelSerializer):
    urn = serializers.IntegerField(source="school_id", allow_null=True)
    trust_uid = serializers.IntegerField(source="trust_id", allow_null=True)
    la_code = serializers.CharField(
        source="local_authority.ons_code", allow_null=True, default=None
    )

    class Meta:
        model = Membership
        fields = [
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


class PartnershipSerializer(serializers.ModelSerializer):
    local_authorities = LocalAuthoritySummary(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    members = MembershipSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:partnership-detail", lookup_field="slug"
    )
    page = serializers.SerializerMethodField(help_text="The partnership's page on the map.")
    regions = serializers.SerializerMethodField(
        help_text="The regions of its areas ({code, name}), by name: one for most partnerships."
    )
    confirmed_by = serializers.ChoiceField(
        choices=OwnerRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="Who confirmed it, by role (blank: not confirmed).",
    )

    class Meta:
        model = Partnership
        fields = [
            *PUBLIC_FIELDS,
            *CONFIRMATION_FIELDS,
            "regions",
            "members",
            "sources",
            "url",
            "page",
        ]

    def get_regions(self, partnership) -> RegionSummarySerializer(many=True):
        regions = {
            la.region.code: la.region for la in partnership.local_authorities.all() if la.region
        }
        ordered = sorted(regions.values(), key=lambda region: region.name)
        return RegionSummarySerializer(ordered, many=True).data

    def get_page(self, partnership) -> str:
        request = self.context.get("request")
        path = partnership.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class PartnershipFeatureSerializer(GeoFeatureModelSerializer, PartnershipSerializer):
    """A partnership with its footprint (drawn, or the union of its areas, simplified)."""

    class Meta(PartnershipSerializer.Meta):
        geo_field = "display_footprint"
        id_field = False
        fields = [*PartnershipSerializer.Meta.fields, "display_footprint"]


class AreaPartnershipSerializer(serializers.ModelSerializer):
    """A partnership with the codes of its areas and its page: what pages that place
    partnerships on a map embed."""

    las = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Partnership
        fields = ["name", "url", "las"]

    def get_las(self, partnership) -> list[str]:
        return [la.ons_code for la in partnership.local_authorities.all()]


class MapPartnershipSerializer(AreaPartnershipSerializer):
    """What the map filters and shades, embedded in its page, under the short names the
    map's script uses."""

    aka = serializers.ListField(source="also_known_as")
    focus = serializers.ListField(source="focus_areas")
    footprint = GeometryField(source="drawn_footprint", allow_null=True)
    regional = serializers.BooleanField(
        source="is_regional",
        read_only=True,
        help_text="A regional body: it includes its areas without being their local partnership.",
    )

    class Meta(AreaPartnershipSerializer.Meta):
        fields = [
            "slug",
            "name",
            "aka",
            "summary",
            "status",
            "la_role",
            "scope",
            "reach",
            "regional",
            "kind",
            "legal_form",
            "focus",
            "phases",
            "las",
            "footprint",
            "url",
        ]


class CoverageSerializer(serializers.Serializer):
    open_state_funded_schools = serializers.IntegerField()
    reach_known = serializers.BooleanField(
        help_text="False when a local partnership here does not say which schools it reaches "
        "(reach not known, or named members only while naming none): then `reached` and "
        "`reached_share` are null (not known), never 0."
    )
    reached = serializers.IntegerField(
        allow_null=True, help_text="Schools reached by a local partnership; null: not known."
    )
    named = serializers.IntegerField(help_text="Schools named as members, or via their trust.")
    reached_share = serializers.FloatField(
        allow_null=True, help_text="Null when not known or when there are no schools."
    )
    named_member_share = serializers.FloatField(allow_null=True)


class PostcodeAuthoritySerializer(LocalAuthoritySummary):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:local-authority-detail", lookup_field="ons_code", lookup_url_kwarg="code"
    )
    page = serializers.SerializerMethodField(help_text="The area's page on the map.")

    class Meta(LocalAuthoritySummary.Meta):
        fields = ["ons_code", "dfe_code", "name", "url", "page"]

    def get_page(self, authority) -> str:
        path = reverse("area", kwargs={"code": authority.ons_code})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PostcodeSerializer(serializers.Serializer):
    """Serialises a geodata.postcodes.PlacedPostcode."""

    postcode = serializers.CharField(help_text="The postcode, spaced: 'S1 2HE'.")
    match = serializers.ChoiceField(
        choices=["postcode", "sector"],
        help_text="`postcode`: the postcode is in our data. `sector`: it is not, and its "
        "sector's known postcodes place it (see `sector_local_authorities` and `note`).",
    )
    sector = serializers.CharField(help_text="Its postcode sector: 'S1 2'.")
    terminated = serializers.DateField(allow_null=True, help_text="Month it was terminated.")
    local_authority = PostcodeAuthoritySerializer(
        allow_null=True,
        help_text="Its LA; for a sector match, the one LA the whole sector lies in, or null "
        "when the sector spans several.",
    )
    sector_local_authorities = PostcodeAuthoritySerializer(
        source="sector_authorities",
        many=True,
        help_text="Sector matches: every LA holding known postcodes of the sector, most "
        "postcodes first. Empty for a postcode match.",
    )
    note = serializers.CharField(help_text="Sector matches: what the answer rests on.")


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["area", "postcode", "school", "trust"])
    label = serializers.CharField()
    url = serializers.CharField(help_text="The page to open.")
    la = serializers.CharField(allow_null=True, help_text="ONS code of the area to show.")
    code = serializers.CharField(required=False, help_text="Area results only: same as `la`.")
    postcode = serializers.CharField(
        required=False, help_text="Postcode results only: the postcode, spaced."
    )
    note = serializers.CharField(
        required=False,
        help_text="Postcode results only: empty, or why a postcode our data lacks leads to "
        "this area (its sector lies wholly or partly there).",
    )


class SearchResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    results = SearchResultSerializer(many=True)
    message = serializers.CharField(allow_null=True, help_text="Said when nothing is found.")


class ResearchSourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()
    accessed = serializers.DateField(allow_null=True, default=None)
    checked = serializers.BooleanField(default=False)
    says = serializers.CharField(default="")
    published = serializers.CharField(
        default="", help_text="The date the page shows: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    supports = serializers.ListField(
        child=serializers.CharField(), default=list, help_text="The record's fields it states."
    )
    infers = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text="The fields it supports by a written inference rule.",
    )


class LAResearchSerializer(serializers.ModelSerializer):
    """What we know about school collaboration in an LA; `status` is derived from the
    published local partnerships (documented), else the research (none_found with the
    date, researched when summarised, or not_researched)."""

    status = serializers.ChoiceField(choices=LAResearch.Status.choices, read_only=True)
    sources = ResearchSourceSerializer(many=True, read_only=True)
    confirmed_by = serializers.ChoiceField(
        choices=OwnerRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="Who confirmed it, by role (blank: not confirmed).",
    )

    class Meta:
        model = LAResearch
        fields = ["status", *RESEARCH_PUBLIC_FIELDS, *CONFIRMATION_FIELDS]


class LocalAuthorityWithPartnershipsSerializer(LocalAuthorityDetailSerializer):
    """An LA's detail with what partnerships know of it: coverage and research."""

    coverage = serializers.SerializerMethodField(
        help_text="Open state-funded schools; the share reached by at least one local "
        "(not regional) published partnership, by its reach; the share named as members."
    )
    research = serializers.SerializerMethodField()

    class Meta(LocalAuthorityDetailSerializer.Meta):
        fields = [*LocalAuthorityDetailSerializer.Meta.fields, "coverage", "research"]

    def get_coverage(self, authority) -> CoverageSerializer:
        return CoverageSerializer(coverage_of(authority)).data

    @extend_schema_field(LAResearchSerializer(allow_null=True))
    def get_research(self, authority):
        research = LAResearch.objects.with_status().filter(local_authority=authority).first()
        return LAResearchSerializer(research).data if research else None


class YearField(serializers.Field):
    """A year, or null where the source gives none."""

    def to_representation(self, value):
        return None if value == UNDATED else value


@extend_schema_field({"type": "integer", "nullable": True, "description": "null: no date given"})
class NullableYearField(YearField):
    pass


class EventKindSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField(help_text="What this kind counts.")


class SuccessorEventYearSerializer(serializers.Serializer):
    year = NullableYearField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Events of each kind (codes of `event_kinds`)."
    )
    total = serializers.IntegerField()


class AcademyShareSerializer(serializers.Serializer):
    open_state_funded = serializers.IntegerField(help_text="Open state-funded schools now.")
    academies = serializers.IntegerField(help_text="Of which academies or free schools.")
    share = serializers.FloatField(allow_null=True)


class PartnershipYearSerializer(serializers.Serializer):
    year = NullableYearField()
    founded = serializers.IntegerField(help_text="Local partnerships founded that year.")
    ceased = serializers.IntegerField(help_text="Local partnerships that ceased that year.")


class LandscapeSourcesSerializer(serializers.Serializer):
    successor_events = serializers.CharField()
    academy_share = serializers.CharField()
    partnerships = serializers.CharField()


class LandscapeOverTimeSerializer(serializers.Serializer):
    """The landscape over time of an area or of England (`partnerships.timeline`)."""

    code = serializers.CharField(help_text="ONS code of the area, or E92000001 for England.")
    successor_events = SuccessorEventYearSerializer(many=True)
    event_kinds = EventKindSerializer(many=True)
    academy_share = AcademyShareSerializer()
    partnerships = PartnershipYearSerializer(many=True)
    sources = LandscapeSourcesSerializer(help_text="What each series counts, and from where.")
