from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.api.serializers import LocalAuthoritySummary
from partnerships.models import Membership, Partnership, Source


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "accessed"]


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


class PartnershipFields(serializers.ModelSerializer):
    local_authorities = LocalAuthoritySummary(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    members = MembershipSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:partnership-detail", lookup_field="slug"
    )
    page = serializers.SerializerMethodField(help_text="The partnership's page on the map.")

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "name",
            "also_known_as",
            "summary",
            "website",
            "status",
            "la_role",
            "la_role_note",
            "scope",
            "local_authorities",
            "founded_year",
            "legal_form",
            "legal_form_detail",
            "funding_models",
            "governance",
            "focus_areas",
            "phases",
            "declared_member_count",
            "declared_member_count_note",
            "members",
            "evidence",
            "unverified_notes",
            "last_verified",
            "sources",
            "updated_at",
            "url",
            "page",
        ]

    def get_page(self, partnership) -> str:
        request = self.context.get("request")
        path = partnership.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class PartnershipSerializer(PartnershipFields):
    pass


class PartnershipFeatureSerializer(GeoFeatureModelSerializer, PartnershipFields):
    """A partnership with its footprint (drawn, or the union of its areas, simplified)."""

    class Meta(PartnershipFields.Meta):
        geo_field = "display_footprint"
        id_field = False
        fields = [*PartnershipFields.Meta.fields, "display_footprint"]
