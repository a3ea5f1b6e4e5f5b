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


ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "An error: `detail` says what happened.",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    },
    "ParameterErrors": {
        "type": "object",
        "description": "A bad request: each bad parameter, by name, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"page_size": ["'many' is not a whole number (digits 0-9)"]},
    },
}
ERRORS = {
    "400": ("ParameterErrors", "A parameter is malformed or names nothing: 400 naming it."),
    "404": ("Error", "Nothing at this address (an unknown identifier, or a page past the last)."),
    "429": ("Error", "The fair-use limit for this client; `Retry-After` says when to retry."),
    "503": ("Error", "The database is unavailable for a moment; `Retry-After` says when to retry."),
}


def can_answer(code, operation):
    """Which errors an operation can give: every one can be limited or find the database
    down; a parameter can be bad; an identifier or a page can name nothing."""
    names = {parameter["name"] for parameter in operation.get("parameters", [])}
    locations = {parameter["in"] for parameter in operation.get("parameters", [])}
    if code == "400":
        return "query" in locations or "path" in locations
    if code == "404":
        return "path" in locations or "page" in names
    return True


def describe_error_responses(result, generator, request, public):
    """drf-spectacular hook: the errors each operation can answer, one shared schema each
    (`Error`, `ParameterErrors`), in the media types its answers come in (DRF renders an error
    as it would the answer; the 503 comes from outside DRF and is JSON)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            media_types = list(responses.get("200", {}).get("content", {})) or ["application/json"]
            for code, (name, description) in ERRORS.items():
                if code in responses or not can_answer(code, operation):
                    continue
                types = ["application/json"] if code == "503" else media_types
                schema = {"$ref": f"#/components/schemas/{name}"}
                responses[code] = {
                    "description": description,
                    "content": {media_type: {"schema": schema} for media_type in types},
                }
    return result


NO_NUL = r"^[^\x00]*$"


def describe_nul_refusal(result, generator, request, public):
    """drf-spectacular hook: no parameter may hold a NUL character (PostgreSQL text cannot;
    `RejectNulBytes` answers 400): said as a pattern on each free-text parameter."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"pattern", "enum"} & set(schema):
                    schema["pattern"] = NO_NUL
    return result
