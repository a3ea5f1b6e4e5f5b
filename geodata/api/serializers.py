from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.models import LocalAuthority, Region


class RegionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class LocalAuthorityFields(serializers.ModelSerializer):
    la_type_name = serializers.CharField(source="get_la_type_display", read_only=True)
    region = RegionSummarySerializer(read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:local-authority-detail", lookup_field="ons_code", lookup_url_kwarg="code"
    )

    class Meta:
        model = LocalAuthority
        fields = ["ons_code", "dfe_code", "name", "la_type", "la_type_name", "region", "area_km2"]


class LocalAuthoritySerializer(LocalAuthorityFields):
    alias_codes = serializers.SerializerMethodField(
        help_text="Other codes that resolve to this authority: predecessors' codes and recodes."
    )

    class Meta(LocalAuthorityFields.Meta):
        fields = [*LocalAuthorityFields.Meta.fields, "alias_codes", "url"]

    def get_alias_codes(self, authority) -> list[str]:
        return sorted(alias.code for alias in authority.code_aliases.all())


class LocalAuthorityFeatureSerializer(GeoFeatureModelSerializer, LocalAuthorityFields):
    """GeoJSON with the display geometry simplified at load time: small enough for a
    national map of all 153 authorities in one request."""

    class Meta(LocalAuthorityFields.Meta):
        geo_field = "display_geometry"
        id_field = False
        fields = [*LocalAuthorityFields.Meta.fields, "display_geometry"]


class LocalAuthoritySummary(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["ons_code", "dfe_code", "name", "la_type"]
