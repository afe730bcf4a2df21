"""How the OpenAPI schema describes the filters: read from the FilterSets' own form fields.

drf-spectacular's django-filter support guesses each parameter's type from the model field
behind it (``year`` on a date field reads as a date); the truth is the form field that
validates it, so this extension writes each parameter from that: choices as an ``enum``, a
year as an integer with its bounds, a budget as a number, a text's maximum length. The
parameter names and their order are the FilterSet's.
"""

from django import forms
from drf_spectacular.extensions import OpenApiFilterExtension

from iomcms.filters import ALL_LANGUAGES, CountryCodeField

from .filters import API_DEFAULTS


def _schema_of(field):
    if isinstance(field, CountryCodeField):
        return {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "An ISO 3166 alpha-2 code."
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "string"}, "A slug."
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value not in ("", None)]
        return {"type": "string", "enum": values}, ""
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema, ""
    if isinstance(field, forms.DecimalField):
        schema = {"type": "number"}
        if field.min_value is not None:
            schema["minimum"] = float(field.min_value)
        return schema, ""
    schema = {"type": "string"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema, ""


class ListFilterExtension(OpenApiFilterExtension):
    target_class = "api.filters.ListFilterBackend"

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None:
            return []
        form = filterset_class(queryset=filterset_class._meta.model._default_manager.none()).form
        parameters = []
        for name, field in form.fields.items():
            schema, note = _schema_of(field)
            description = " ".join(part for part in (str(field.label or name) + ".", note) if part)
            if name in API_DEFAULTS:
                description += f" Default here: `{API_DEFAULTS[name]}`"
                if API_DEFAULTS[name] == ALL_LANGUAGES:
                    description += " (every language)"
                description += "."
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": description,
                    "schema": schema,
                }
            )
        return parameters


def _error(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the JSON errors every operation may answer
    (400 with each parameter and why on a list, 404 on an item, 429 when throttled)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["ParameterErrors"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "parameter": {"type": "string"},
                        "message": {"type": "string"},
                        "code": {"type": "string"},
                    },
                    "required": ["parameter", "message", "code"],
                },
            },
        },
        "required": ["detail", "errors"],
    }
    for path, item in result.get("paths", {}).items():
        operation = item.get("get")
        if operation is None or path.endswith("/schema/"):
            continue
        responses = operation.setdefault("responses", {})
        if "{" in path:
            responses["404"] = _error("Not public, or no such item.", "Error")
        else:
            responses["400"] = _error("A parameter could not be used.", "ParameterErrors")
        responses["429"] = _error("Too many requests; see Retry-After.", "Error")
    return result
