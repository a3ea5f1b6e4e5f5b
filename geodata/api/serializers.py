from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.models import LocalAuthority, Region, School, Trust


class RegionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class LocalAuthoritySummary(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["ons_code", "dfe_code", "name", "la_type"]


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


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    year = serializers.CharField()
    value = serializers.FloatField()
    source = serializers.CharField(source="indicator.source")
    licence = serializers.CharField(source="indicator.licence")


class LocalAuthorityDetailSerializer(LocalAuthoritySerializer):
    indicators = IndicatorValueSerializer(source="indicator_values", many=True, read_only=True)

    class Meta(LocalAuthoritySerializer.Meta):
        fields = [*LocalAuthoritySerializer.Meta.fields, "indicators"]


class TrustSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["uid", "gias_uid", "name", "trust_type"]

    gias_uid = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null for a census trust known by name only."
    )


class SchoolFields(serializers.ModelSerializer):
    local_authority = LocalAuthoritySummary(read_only=True)
    trust = TrustSummarySerializer(read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:school-detail", lookup_field="urn")
    record = serializers.CharField(
        source="record_label",
        read_only=True,
        help_text='Where the record comes from, as of when: "GIAS extract of 24 November 2025" '
        'or "DfE school census, January 2023".',
    )
    as_of = serializers.DateField(
        source="last_seen", read_only=True, help_text="Date of the extract or census."
    )

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "local_authority",
            "establishment_type",
            "type_group",
            "phase",
            "status",
            "statutory_low_age",
            "statutory_high_age",
            "number_of_pupils",
            "trust",
            "postcode",
            "website",
            "open_date",
            "close_date",
            "last_seen",
            "missing_since",
            "record_source",
            "record",
            "as_of",
            "url",
        ]


class SchoolSerializer(SchoolFields):
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta(SchoolFields.Meta):
        fields = [*SchoolFields.Meta.fields, "latitude", "longitude"]

    def get_latitude(self, school) -> float | None:
        return school.location.y if school.location else None

    def get_longitude(self, school) -> float | None:
        return school.location.x if school.location else None


class SchoolFeatureSerializer(GeoFeatureModelSerializer, SchoolFields):
    class Meta(SchoolFields.Meta):
        geo_field = "location"
        id_field = False
        fields = [*SchoolFields.Meta.fields, "location"]


class TrustSerializer(serializers.ModelSerializer):
    trust_type_name = serializers.CharField(source="get_trust_type_display", read_only=True)
    open_schools = serializers.SerializerMethodField()
    footprint = serializers.SerializerMethodField(
        help_text="Local authorities where it has open schools, with how many."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:trust-detail", lookup_field="uid")
    gias_uid = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null for a census trust known by name only."
    )

    class Meta:
        model = Trust
        fields = [
            "uid",
            "gias_uid",
            "record_source",
            "name",
            "trust_type",
            "trust_type_name",
            "companies_house_number",
            "open_schools",
            "footprint",
            "url",
        ]

    def get_open_schools(self, trust) -> int:
        return len(trust.prefetched_open_schools)

    def get_footprint(self, trust) -> list[dict]:
        counts = {}
        for school in trust.prefetched_open_schools:
            la = school.local_authority
            entry = counts.setdefault(
                la.ons_code, {"ons_code": la.ons_code, "name": la.name, "schools": 0}
            )
            entry["schools"] += 1
        return sorted(counts.values(), key=lambda e: (-e["schools"], e["name"]))


class SimilarIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    year = serializers.CharField()
    weight = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text="This area's value.")


class ComparedValueSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    reference_value = serializers.FloatField(allow_null=True)
    standardised_difference = serializers.FloatField(required=False, allow_null=True)


class SimilarAreaSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    local_authority = LocalAuthoritySummary()
    distance = serializers.FloatField(required=False, help_text="Indicators method only.")
    closeness = serializers.CharField(required=False, help_text="DfE method only.")
    comparison = ComparedValueSerializer(many=True)


class OverlapSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    of = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())


class SimilarAreasReportSerializer(serializers.Serializer):
    """The shape of `geodata.similarity.similar_areas_report`'s answer, for the schema (and
    schemathesis, which checks real answers against it). The report is plain data from the
    per-version matrix, rendered as it is: serialising it field by field here cost more
    than building it."""

    local_authority = LocalAuthoritySummary()
    method = serializers.CharField()
    indicators = SimilarIndicatorSerializer(many=True)
    results = SimilarAreaSerializer(many=True)
    overlap = OverlapSerializer()
