"""Value rules shared by models, the list filters and the importer."""

from django.core.validators import MaxValueValidator, MinValueValidator

# A plausible year for a record (a funding year, a publication year asked for in a filter).
MIN_YEAR, MAX_YEAR = 1950, 2100


def year_validators():
    return [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def year_bounds(field):
    """The lowest and highest year a model field accepts: from its validators, else the
    plausible years."""
    low, high = MIN_YEAR, MAX_YEAR
    for validator in getattr(field, "validators", ()):
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
    return low, high
