"""The OpenAPI description of what drf-spectacular cannot infer by itself."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

GEOJSON_MEDIA_TYPE = "application/geo+json"
GEOJSON_SCHEMAS = {
    "GeoJSONGeometry": {
        "type": "object",
        "description": "A GeoJSON geometry (RFC 7946), WGS84 longitude/latitude.",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {
                "type": "string",
                "enum": [
                    "Point",
                    "MultiPoint",
                    "LineString",
                    "MultiLineString",
                    "Polygon",
                    "MultiPolygon",
                ],
            },
            "coordinates": {"type": "array", "items": {}},
        },
    },
    "GeoJSONFeature": {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "geometry": {
                "allOf": [{"$ref": "#/components/schemas/GeoJSONGeometry"}],
                "nullable": True,
            },
            "properties": {
                "type": "object",
                "description": "The fields of the JSON representation, except the geometry.",
                "additionalProperties": True,
            },
        },
    },
    "GeoJSONFeatureCollection": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "count": {"type": "integer", "description": "Paged lists: all matching features."},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/GeoJSONFeature"}},
        },
    },
}


def describe_geojson_responses(result, generator, request, public):
    """drf-spectacular hook: `?format=geojson` answers are GeoJSON (a Feature for a detail,
    a FeatureCollection for a list), not the JSON shape it would otherwise repeat."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(GEOJSON_SCHEMAS)
    for path, operations in result["paths"].items():
        name = "GeoJSONFeature" if path.rstrip("/").endswith("}") else "GeoJSONFeatureCollection"
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if GEOJSON_MEDIA_TYPE in content:
                    content[GEOJSON_MEDIA_TYPE]["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return result


def whole_number_in_path(name, description):
    """For a viewset whose `lookup_value_regex` is `[0-9]+`: the identifier is described as
    the integer it is (drf-spectacular would otherwise say a string with that pattern)."""
    return extend_schema_view(
        retrieve=extend_schema(
            parameters=[
                OpenApiParameter(
                    name,
                    {"type": "integer", "minimum": 0, "maximum": 2147483647},
                    OpenApiParameter.PATH,
                    description=description,
                )
            ]
        )
    )
