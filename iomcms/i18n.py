"""The interface language: which language a request is answered in, and where the language
switcher leads.

One home for the rule (docs/decisions.md, "Interface languages and URLs"):

- Every public page, feed and search sits in ``i18n_patterns(prefix_default_language=False)``
  (iomcms/urls.py): English at ``/news/``, French at ``/fr/news/``, Spanish at ``/es/news/``.
  The interface language of a public address is read from its prefix alone, English without
  one. A reader's ``Accept-Language`` and cookies never change it and never redirect: one
  address is one page, so links are predictable and a shared cache or CDN may keep each page
  under its address without ``Vary: Accept-Language``.
- The admin is the staff member's own: its language comes from Django's usual negotiation
  (the ``django_language`` cookie, then ``Accept-Language``); it is never cached for anyone else.
- Everything else outside the prefixes (robots.txt, the sitemaps) is written in
  the default language, whatever the request says, so each of them has one answer too.

The switcher (templates/includes/header.html, :func:`language_links`) goes to the item's
translation when the view lists the public ones in ``language_alternates`` (a list of
``(code, name, url)``), otherwise to the same address in the other language, query string
(filters, search, page) included.
"""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.encoding import escape_uri_path, iri_to_uri

from .languages import language_name


@cache
def _admin_prefix(urlconf):
    return reverse("admin:index", urlconf=urlconf)


def is_admin(request):
    return request.path.startswith(_admin_prefix(get_urlconf()))


def request_language(request):
    """The language ``request`` is answered in (the rule above)."""
    if is_admin(request):
        return translation.get_language_from_request(request, check_path=False)
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


class InterfaceLanguageMiddleware(MiddlewareMixin):
    """Django's ``LocaleMiddleware`` without its negotiation on public addresses.

    Django's own would already ignore ``Accept-Language`` on unprefixed addresses with
    ``prefix_default_language=False``, but it also forces the admin into English and adds
    ``Vary: Accept-Language`` to every unprefixed public page, which splits (or disables) a
    CDN's cache for a header that changes nothing here. This one varies only the admin.
    """

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_admin(request):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _same_page_in(request, code):
    """The request's address with the interface in language ``code``: its path with the
    language prefix swapped (path words are the same in every language), its query string
    (filters, search, page) kept. A page that resolves to nothing (a 404) gets the same
    treatment, so the switcher works there too."""
    path = request.path_info
    prefix = path.split("/", 2)[1]
    if prefix in dict(settings.LANGUAGES):
        path = path[len(prefix) + 1 :] or "/"
    if code != settings.LANGUAGE_CODE:
        path = f"/{code}{path}"
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))  # as get_full_path() writes it
    url = f"{get_script_prefix().rstrip('/')}{escape_uri_path(path)}"
    return f"{url}?{query}" if query else url


def language_links(request, alternates=None):
    """The switcher's links: a list of dicts (``code``, ``name``, ``url``, ``current``,
    ``is_translation``) in the order of ``settings.LANGUAGES``.

    ``alternates`` is the view's ``language_alternates``: the item and its public
    translations. A language that has one links to it; the others link to the same address in
    that language (for an item, the same item with the interface in that language)."""
    current = translation.get_language()
    items = {code: url for code, _name, url in alternates or ()}
    links = []
    for code, _name in settings.LANGUAGES:
        url = items.get(code)
        is_translation = url is not None
        if url is None:
            url = _same_page_in(request, code)
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "url": url,
                "current": code == current,
                "is_translation": is_translation,
            }
        )
    return links


# Languages that write a currency code before the amount ("USD 1,250,000"); the others put it
# after ("1 250 000 USD"). A fact of each locale, not a phrase to translate, so it lives here
# rather than in the .po files.
CURRENCY_FIRST = {"en"}


def money(number, currency):
    """``number`` (already formatted for the active locale) with its ``currency`` code, joined
    by a non-breaking space so that the two are never split across lines."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language in CURRENCY_FIRST:
        return f"{currency}\xa0{number}"
    return f"{number}\xa0{currency}"
