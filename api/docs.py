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
