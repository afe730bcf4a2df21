"""What search engines and link previews read: canonical URLs, descriptions and JSON-LD.

The page templates only say *what* a page is (its title, description and ``og:type``); the
shared tags are written once by ``templates/includes/meta.html``. Structured data (schema.org
JSON-LD) is built here as plain dictionaries from objects the view has already loaded, so
adding it costs no query, and written out by :func:`jsonld_script`.

Every text value is plain text: HTML fields are stripped of their tags and entities.
"""

import html
import json
import re
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, to_locale

DESCRIPTION_LENGTH = 160  # what search results show of a description
HEADLINE_LENGTH = 110  # the longest headline Google uses for an article

# og:locale wants language_TERRITORY; the site's languages with the territory they default to.
OG_LOCALES = {"en": "en_US", "fr": "fr_FR", "es": "es_ES"}

# Inside <script>, "</script>" or "<!--" in a string would end or confuse the element: JSON
# allows "\u003C" for "<", so these characters never appear literally (as Django's
# json_script filter does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# --- Text --------------------------------------------------------------------------------------


def one_line(value):
    """A plain-text field (a title, a place) with its runs of white space made single spaces."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


def plain_text(value):
    """Text of an HTML fragment (a body, a lead): tags removed, entities decoded, one line."""
    return one_line(html.unescape(strip_tags(str(value or ""))))


def shorten(text, limit):
    """``text`` cut at a word boundary to at most ``limit`` characters, "…" marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def description(*candidates, limit=DESCRIPTION_LENGTH):
    """The first candidate with any text, as plain text of at most ``limit`` characters."""
    for candidate in candidates:
        text = plain_text(candidate)
        if text:
            return shorten(text, limit)
    return ""


# --- URLs --------------------------------------------------------------------------------------


def absolute_url(request, path):
    """``path`` on the requesting host, percent-encoded; never another host (``//evil/``)."""
    return request.build_absolute_uri("/")[:-1] + escape_uri_path(path)


def media_url(request, url):
    """A stored file's ``url`` (from the storage) as an absolute URL: a path is put on the
    requesting host; a URL already on another host (a bucket, a media host) is kept."""
    return request.build_absolute_uri(url)


def share_image(picture, request):
    """What link previews show of a picture: {url (absolute), width, height, alt}, or None.

    ``picture``: anything with ``share_rendition()`` and ``alt_text`` (pictures.Picture).
    """
    rendition = picture.share_rendition() if picture is not None else None
    if rendition is None:
        return None
    return {**rendition, "url": media_url(request, rendition["url"]), "alt": picture.alt_text}


def canonical_url(request, filterset=None, page=None, path=None):
    """The one URL search engines should index for the page being shown.

    A detail page or the home page: its path, no query string (tracking parameters and the
    like are dropped); a translatable item's page gives ``path``, its own language's address
    (a French item read under /news/ is canonical at /fr/news/...). A list page
    (``filterset`` and ``page`` given): its path plus the filters that were valid and applied
    and choose rows (``filterset.selection()``, in the FilterSet's order), then ``page=N`` for
    the page actually shown when it is not the first.
    Empty values, unknown parameters, ignored (invalid) values and ``sort`` (the same rows in
    another order) are left out, so ``?sort=title&q=&kind=story&utm_source=x`` and
    ``?kind=story`` share one canonical URL.
    """
    url = absolute_url(request, path or request.path)
    if page is None:
        return url
    params = list(filterset.selection()) if filterset is not None else []
    if page.number > 1:
        params.append(("page", page.number))
    return f"{url}?{urlencode(params)}" if params else url


# --- Share links -------------------------------------------------------------------------------

# Each network's own share address (no script of theirs on our pages): (key, name, template).
# {url} and {text} are filled in percent-encoded; {text} is the title.
SHARE_NETWORKS = [
    ("x", "X", "https://x.com/intent/post?text={text}&url={url}"),
    ("linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("whatsapp", "WhatsApp", "https://wa.me/?text={text}%20{url}"),
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
]


def share_links(url, title):
    """Plain links that share ``url`` (the page's canonical URL) titled ``title``: e-mail
    first, then each network of ``SHARE_NETWORKS``. Each is ``{"key", "name", "label",
    "href", "external"}``; ``label`` is the link's accessible name in the interface language.

    Every value is percent-encoded whole (``quote(safe="")``: spaces as ``%20``, as a
    ``mailto:`` needs, and ``&``, ``#``, ``?`` in a title cannot end a parameter)."""
    title = one_line(title)

    def encoded(value):
        return quote(value, safe="")

    body = f"{title}\n\n{url}"
    links = [
        {
            "key": "email",
            "name": gettext("E-mail"),
            "label": gettext("Share by e-mail"),
            "href": f"mailto:?subject={encoded(title)}&body={encoded(body)}",
            "external": False,
        }
    ]
    for key, name, template in SHARE_NETWORKS:
        links.append(
            {
                "key": key,
                "name": name,
                "label": gettext("Share on %(network)s (opens in a new tab)") % {"network": name},
                "href": template.format(url=encoded(url), text=encoded(title)),
                "external": True,
            }
        )
    return links


def og_locale():
    language = get_language() or "en"
    return OG_LOCALES.get(language.split("-")[0], to_locale(language))


# --- JSON-LD -----------------------------------------------------------------------------------


def jsonld_script(data, nonce=None):
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML.

    ``nonce``: the request's Content-Security-Policy nonce, written as the script's ``nonce``
    attribute so the policy lets the inline script through.
    """
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    # "is not None": Django's lazy nonce is falsy until first read, and reading it here is
    # what puts it in the header.
    nonce_attr = format_html(' nonce="{}"', nonce) if nonce is not None else ""
    # Safe: after the translation the JSON holds no "<", ">" or "&" at all.
    return mark_safe(
        f'<script type="application/ld+json"{nonce_attr}>'
        + text.translate(_SCRIPT_ESCAPES)
        + "</script>"
    )


def organization(request, site_name):
    """The publisher of the site, as a schema.org Organization."""
    data = {
        "@type": "Organization",
        "name": site_name or settings.ORGANIZATION_NAME,
        "url": absolute_url(request, reverse("home")),
    }
    if data["name"] != settings.ORGANIZATION_NAME:
        data["parentOrganization"] = {"@type": "Organization", "name": settings.ORGANIZATION_NAME}
    return data


def country(country):
    """A django-countries Country as a schema.org Country (a kind of Place)."""
    return {"@type": "Country", "name": str(country.name), "identifier": country.code}


def _compact(data):
    """``data`` without the keys whose value is empty (unknown facts are left out, not null)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def translation_links(item, versions, request):
    """``inLanguage`` from the item's language, and how it relates to its public versions
    (``versions``: the item and its public translations): the original (:func:`original_of`)
    lists the others as ``workTranslation``; each other one names it as
    ``translationOfWork``."""
    from .languages import original_of

    data = {"inLanguage": item.language}
    original = original_of(versions or [item])

    def work(version):
        return {
            "@type": "CreativeWork",
            "@id": absolute_url(request, version.get_absolute_url()),
            "inLanguage": version.language,
        }

    if original is None or original.pk == item.pk:
        data["workTranslation"] = [work(v) for v in versions or () if v.pk != item.pk]
    else:
        data["translationOfWork"] = work(original)
    return data


def contact_point(contact, request):
    """A release's media contact as a schema.org ContactPoint (``contactType`` "media
    relations"), with the contact's page as its ``url``."""
    phones = [number for number in (contact.phone, contact.mobile) if number]
    return _compact(
        {
            "@type": "ContactPoint",
            "contactType": "media relations",
            "name": one_line(contact.name),
            "email": contact.email,
            "telephone": phones[0] if len(phones) == 1 else phones,
            "areaServed": country(contact.country) if contact.country else None,
            "url": absolute_url(request, contact.get_absolute_url()),
        }
    )


def image_object(picture, request):
    """A picture (see :func:`share_image`) as a schema.org ImageObject, or None."""
    image = share_image(picture, request)
    if image is None:
        return None
    return _compact(
        {
            "@type": "ImageObject",
            "url": image["url"],
            "contentUrl": image["url"],
            "width": image["width"],
            "height": image["height"],
            "caption": one_line(picture.caption) or one_line(picture.alt_text),
            "creditText": one_line(picture.credit),
        }
    )


def news_article_jsonld(
    item, request, site_name, versions=None, contacts=(), projects=(), picture=None
):
    """A news item as a schema.org NewsArticle; ``versions``: see :func:`translation_links`.

    ``contacts``: the media contacts the page shows (a press release's), as the publisher's
    ``contactPoint``s, in their order. ``projects``: the public projects the page lists
    ("Related projects"), as what the article is ``about``. ``picture``: its lead picture, as
    its ``image``."""
    url = absolute_url(request, item.get_absolute_url())
    publisher = organization(request, site_name)
    author = dict(publisher)
    if contacts:
        publisher["contactPoint"] = [contact_point(contact, request) for contact in contacts]
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": shorten(one_line(item.title), HEADLINE_LENGTH),
            "description": description(item.lead, item.body),
            "datePublished": item.published_on.isoformat() if item.published_on else None,
            "dateModified": item.updated.isoformat(timespec="seconds") if item.updated else None,
            "dateline": one_line(item.dateline),
            "articleSection": str(item.get_kind_display()),
            **translation_links(item, versions, request),
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "author": author,
            "publisher": publisher,
            "contentLocation": [country(c) for c in item.countries],
            "about": [
                _compact(
                    {
                        "@type": "Project",
                        "name": one_line(project.title),
                        "identifier": project.project_code or None,
                        "url": absolute_url(request, project.get_absolute_url()),
                    }
                )
                for project in projects
            ],
            "image": image_object(picture, request),
        }
    )


def _property(name, value):
    return {"@type": "PropertyValue", "name": name, "value": value}


def _number(value):
    """A Decimal as a JSON number: 100000 rather than "100000.00"."""
    return int(value) if value == value.to_integral_value() else float(value)


def project_jsonld(project, request):
    """A project as a schema.org Project (see docs/decisions.md for the property choices).

    Uses only what the detail view loads: the row with its type and region joined.
    """
    identifiers = [project.project_code] if project.project_code else []
    if project.prima_id:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "Prima ID", "value": project.prima_id}
        )
    facts = []
    if project.status:
        facts.append(_property("Status", str(project.get_status_display())))
    if project.project_type_id:
        facts.append(_property("Project type", project.project_type.localized_name))
    if project.coverage:
        facts.append(_property("Coverage", str(project.get_coverage_display())))
    if project.region_id:
        facts.append(_property("Region", project.region.localized_name))
    if project.year is not None:
        facts.append(_property("Funding year", project.year))
    if project.budget_usd is not None:
        amount = Decimal(project.budget_usd)
        facts.append(
            _property(
                "Budget", {"@type": "MonetaryAmount", "currency": "USD", "value": _number(amount)}
            )
        )
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "Project",
            "name": one_line(project.title),
            "identifier": identifiers,
            "description": description(project.summary, project.description),
            "url": absolute_url(request, project.get_absolute_url()),
            "foundingDate": project.start,  # ISO 8601, to the precision known ("2017")
            "dissolutionDate": project.end,
            "areaServed": [country(c) for c in project.benefiting_states],
            "parentOrganization": {"@type": "Organization", "name": settings.ORGANIZATION_NAME},
            "additionalProperty": facts,
        }
    )


def person_jsonld(contact, request):
    """A public press contact as a schema.org Person (the view 404s for the others)."""
    employer = contact.office or contact.organization
    works_for = None
    if employer:
        works_for = {"@type": "Organization", "name": employer}
        if contact.office and contact.organization and contact.organization != contact.office:
            works_for["parentOrganization"] = {
                "@type": "Organization",
                "name": contact.organization,
            }
    phones = [number for number in (contact.phone, contact.mobile) if number]
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": one_line(contact.name),
            "jobTitle": contact.job_title,
            "worksFor": works_for,
            "email": contact.email,
            "telephone": phones[0] if len(phones) == 1 else phones,
            "url": absolute_url(request, contact.get_absolute_url()),
        }
    )


def country_page_jsonld(country_, request, news=(), projects=(), contacts=()):
    """A country's page (countries/views.py) as a schema.org ``@graph``: the ``Country``
    (with the page as its ``url`` and the news items shown as its ``subjectOf``), each
    project shown as a ``Project`` whose ``areaServed`` is that country, and each press
    contact shown as a ``Person`` working there. Only what the view loaded: no query."""
    url = absolute_url(request, request.path)
    place = {"@id": f"{url}#country"}
    graph = [
        {
            **place,
            **country(country_),
            "url": url,
            "subjectOf": [
                _compact(
                    {
                        "@type": "NewsArticle",
                        "headline": shorten(one_line(item.title), HEADLINE_LENGTH),
                        "datePublished": item.published_on.isoformat()
                        if item.published_on
                        else None,
                        "inLanguage": item.language,
                        "url": absolute_url(request, item.get_absolute_url()),
                    }
                )
                for item in news
            ],
        }
    ]
    graph += [
        _compact(
            {
                "@type": "Project",
                "name": one_line(project.title),
                "identifier": project.project_code or None,
                "url": absolute_url(request, project.get_absolute_url()),
                "areaServed": place,
            }
        )
        for project in projects
    ]
    graph += [
        _compact(
            {
                "@type": "Person",
                "name": one_line(contact.name),
                "jobTitle": contact.job_title,
                "worksFor": {"@type": "Organization", "name": contact.office}
                if contact.office
                else None,
                "workLocation": place,
                "url": absolute_url(request, contact.get_absolute_url()),
            }
        )
        for contact in contacts
    ]
    return {"@context": "https://schema.org", "@graph": [_compact(node) for node in graph]}
