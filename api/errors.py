"""The API's answer to parameters it cannot use: ``400`` with each parameter and the reason.

The list pages show the same reasons in their "Some filters could not be used and were
ignored" box (the FilterSet's form errors); the API refuses instead of guessing, and says
which parameter and why, as data:

    {"detail": "Some parameters could not be used.",
     "errors": [{"parameter": "year", "message": "Enter a whole number.", "code": "invalid"}]}
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class BadParameters(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameters"

    def __init__(self, parameter=None, message=None, code="invalid", *, errors=None):
        errors = list(errors or [])
        if parameter is not None:
            errors.append({"parameter": parameter, "message": str(message), "code": code})
        super().__init__({"detail": str(_("Some parameters could not be used.")), "errors": errors})


def form_errors(form):
    """``[{parameter, message, code}]`` of a bound FilterSet form, in the form's field order."""
    errors = []
    for name, field_errors in form.errors.as_data().items():
        for error in field_errors:
            for message in error.messages:
                errors.append({"parameter": name, "message": message, "code": error.code})
    return errors
