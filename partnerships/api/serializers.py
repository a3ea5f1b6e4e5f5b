from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.api.serializers import LocalAuthorityDetailSerializer, LocalAuthoritySummary
from geodata.postcodes import display_postcode
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
    confirmed_by = serializers.ChoiceField(
        choices=OwnerRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="Who confirmed it, by role (blank: not confirmed).",
    )

    class Meta:
        model = Partnership
        fields = [*PUBLIC_FIELDS, *CONFIRMATION_FIELDS, "members", "sources", "url", "page"]

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
    reached = serializers.IntegerField(help_text="Schools reached by a local partnership.")
    named = serializers.IntegerField(help_text="Schools named as members, or via their trust.")
    reached_share = serializers.FloatField(allow_null=True)
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
    postcode = serializers.SerializerMethodField()
    terminated = serializers.DateField(
        source="postcode.terminated", allow_null=True, help_text="Month it was terminated."
    )
    local_authority = PostcodeAuthoritySerializer()

    def get_postcode(self, found) -> str:
        return display_postcode(found["postcode"].postcode)


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["area", "postcode", "school", "trust"])
    label = serializers.CharField()
    url = serializers.CharField(help_text="The page to open.")
    la = serializers.CharField(allow_null=True, help_text="ONS code of the area to show.")
    code = serializers.CharField(required=False, help_text="Area results only: same as `la`.")


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
