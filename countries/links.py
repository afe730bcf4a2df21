"""How a country's page is addressed: the one home of that rule.

A country is named by its ISO 3166-1 alpha-2 code, lower case in the path
(``/countries/ml/``), the way the list filters take it (``?country=ML``) in upper case.
Every template and view that links a country goes through :func:`country_url`.
"""

from django.urls import reverse


def country_url(code):
    """The country page of ``code`` (a django-countries ``Country`` or an alpha-2 string)."""
    code = getattr(code, "code", code)
    return reverse("countries:detail", kwargs={"iso": str(code).lower()})
