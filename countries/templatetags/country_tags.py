"""Country pages in templates: ``{{ country|country_url }}`` (countries.links, the one home of
a country page's address) and the page's JSON-LD."""

from django import template
from django.utils.csp import CONTEXT_KEY as CSP_NONCE
from django.utils.html import format_html
from django_countries.fields import Country

from iomcms import seo

from .. import links

register = template.Library()


@register.filter
def country_url(country):
    """``{{ country|country_url }}``: the page of a django-countries ``Country`` or a code."""
    return links.country_url(country)


@register.filter
def country_link(country):
    """``{{ country|country_link }}``: the country's name, a link to its page."""
    return format_html('<a href="{}">{}</a>', links.country_url(country), country.name)


@register.simple_tag(takes_context=True)
def country_jsonld(context, page):
    """The country page's JSON-LD (:func:`iomcms.seo.country_page_jsonld`) from the items the
    view loaded: no query."""
    data = seo.country_page_jsonld(
        page.country, context["request"], page.news, page.projects, page.contacts
    )
    return seo.jsonld_script(data, context.get(CSP_NONCE))


@register.inclusion_tag("countries/includes/list_note.html", takes_context=True)
def country_page_note(context):
    """On a list filtered by a country (``?country=ML``) that found rows: a link to the
    country's page (public rows name it, so it has one). No query: the list counted its rows
    already."""
    filterset, paginator = context.get("filter"), context.get("paginator")
    applied = getattr(filterset, "applied", {}) if filterset is not None else {}
    code = applied.get("country")
    if not code or paginator is None or not paginator.count:
        return {"country": None}
    return {"country": Country(code)}
