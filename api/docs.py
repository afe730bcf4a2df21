"""The API's documentation page, rendered on the server from the OpenAPI schema.

drf-spectacular's Swagger UI and Redoc pages load their scripts from a CDN by default and run
inline scripts, which the site's Content-Security-Policy forbids (``script-src 'self'`` and a
nonce; iomcms/settings/base.py). This page needs neither: the same schema
(``/api/v1/schema/``), written out as HTML with the site's stylesheet, no script at all.
"""

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from iomcms.methods import read_only

METHODS = ("get",)


def _type_of(schema):
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    kind = schema.get("type", "")
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    return kind


def _component(schema, ref):
    return schema.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})


def _named(field):
    """A field's type: its component's name, or its JSON type."""
    for wrapper in ("allOf", "oneOf", "anyOf"):
        if field.get(wrapper):
            field = {**field, **field[wrapper][0]}
    if "$ref" in field:
        return field["$ref"].rsplit("/", 1)[-1]
    return _type_of(field)


def _fields(schema, operation):
    """``[{name, type, description}]`` of what one item of the 200 answer holds."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    item = _component(schema, body["$ref"]) if "$ref" in body else body
    results = item.get("properties", {}).get("results", {})
    if "items" in results:  # a page of a list: describe one row
        item = _component(schema, results["items"].get("$ref", ""))
    fields = []
    for name, field in item.get("properties", {}).items():
        kind = _named(field)
        if field.get("type") == "array":
            kind = f"array of {_named(field['items'])}"
        if field.get("nullable"):
            kind += " | null"
        fields.append({"name": name, "type": kind, "description": field.get("description", "")})
    return fields


def operations(schema):
    """``[{path, method, summary, description, parameters}]`` in the schema's order."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "type": _type_of(parameter.get("schema", {})),
                    "description": parameter.get("description", ""),
                    "required": parameter.get("required", False),
                }
                for parameter in operation.get("parameters", [])
            ]
            found.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "fields": _fields(schema, operation),
                }
            )
    return found


@read_only
def api_docs(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "info": schema.get("info", {}),
        "operations": operations(schema),
    }
    return render(request, "api/docs.html", context)
