"""Checks an imported record passes before it is written, and how their failures read."""

from django.core.exceptions import ValidationError

from iomcms.validators import year_bounds
from projects.models import Project

from .parsing.model import Note, note


def validate_fields(obj, exclude=()):
    """Run each field's validators (lengths, e-mail, decimal digits, partial dates).

    Cheaper than ``full_clean()``, which also walks every field's choices (250 countries per
    CountryField); choices here come from the parser's own mappings, and uniqueness and check
    constraints are enforced by the database inside the file's transaction.
    """
    errors = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        value = model_field.value_from_object(obj)
        if value in model_field.empty_values:
            continue
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            errors[model_field.name] = exc.messages
    if errors:
        raise ValidationError(errors)


def check_project_page(page):
    """What makes a parsed project page unusable, beyond its fields' own validators."""
    # An unknown status or coverage is already a parser warning; the raw value stays in
    # raw_metadata and the field is left empty for staff to set.
    low, high = year_bounds(Project._meta.get_field("year"))
    if page.year is not None and not low <= page.year <= high:
        raise ValidationError(
            note("the year %(year)s is not plausible for a project", year=page.year)
        )


def validation_message(error):
    """A ValidationError as one line for the report (a :class:`~legacy.parsing.model.Note`
    raised by the importer stays one, for the admin page to translate)."""
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    if len(error.error_list) == 1 and isinstance(error.error_list[0].message, Note):
        return error.error_list[0].message
    return " ".join(error.messages)
