"""The list pages' FilterSets in the API, through django-filter's DRF backend.

No filter is defined here: each view names its list's FilterSet (``news.filters.NewsItemFilter``
...), bound with :func:`iomcms.filters.bind` as the pages and feeds bind it, so the parameters,
their validation and their messages are the pages'. Two differences, both about what an API
client needs:

- **Strict.** A value the form refuses is a ``400`` naming the parameter and the reason
  (:mod:`api.errors`), where a page ignores it and says so; so is a parameter the list does not
  know (``?contry=CO`` would otherwise list everything without a word).
- **``lang`` defaults to ``all``.** A page defaults to its interface language, read from the
  address's ``/fr/`` or ``/es/`` prefix; the API has one address and no interface language,
  and a client that did not know about ``lang`` would otherwise see the English items only and
  miss the rest without being told. ``lang=en`` (``fr``, ``es``) narrows it as on the pages.
"""

from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.settings import api_settings

from iomcms.filters import ALL_LANGUAGES, bind

from .errors import BadParameters, form_errors

API_DEFAULTS = {"lang": ALL_LANGUAGES}


class ListFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        filters = filterset_class.base_filters
        defaults = {name: value for name, value in API_DEFAULTS.items() if name in filters}
        return bind(filterset_class, request, queryset, defaults=defaults)

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        known = [*filterset.filters, *getattr(view.paginator, "query_params", ())]
        if api_settings.URL_FORMAT_OVERRIDE:
            known.append(api_settings.URL_FORMAT_OVERRIDE)  # ?format=json, DRF's
        errors = [
            {
                "parameter": name,
                "message": gettext("This list has no such parameter. Known: %(known)s.")
                % {"known": ", ".join(known)},
                "code": "unknown",
            }
            for name in request.query_params
            if name not in known
        ]
        if filterset.is_bound and not filterset.is_valid():
            errors = form_errors(filterset.form) + errors
        if errors:
            raise BadParameters(errors=errors)
        view.filterset = filterset
        return filterset.qs
