"""Template side of :mod:`iomcms.seo`: canonical URL, descriptions, JSON-LD, and ``capture``."""

from django import template
from django.utils.csp import CONTEXT_KEY as CSP_NONCE
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from iomcms import seo

register = template.Library()


class CaptureNode(template.Node):
    # Listing the nodelist lets {% extends %} find the {% block %}s inside a capture.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The output is already escaped where it needed to be: it stays safe once trimmed.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}...{% endcapture %}``: render once, use as ``{{ name }}`` later.

    base.html captures the title, description and canonical URL blocks so the same text can
    fill ``<title>``, the description meta tag, Open Graph and Twitter tags.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical URL (see :func:`iomcms.seo.canonical_url`); "" without a request.

    A list page is recognised by its ``page_obj``; its ``filter`` names the valid filters.
    """
    request = context.get("request")
    if request is None:
        return ""
    page = context.get("page_obj")
    filterset = context.get("filter") if page is not None else None
    if filterset is not None and not hasattr(filterset, "selection"):
        filterset = None
    path = context.get("canonical_path")
    return seo.canonical_url(request, filterset=filterset, page=page, path=path)


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_links(context, title):
    """``{% share_links object.title %}``: the detail page's share links, its address to copy,
    and that address for print (:func:`iomcms.seo.share_links`). Nothing on a staff preview:
    the links would send a draft's address out."""
    if context.get("preview") or context.get("request") is None:
        return {"share": None}
    url = canonical_url(context)
    return {"share": {"url": url, "links": seo.share_links(url, title)}}


@register.simple_tag
def og_locale():
    return seo.og_locale()


@register.simple_tag(takes_context=True)
def picture_meta(context, picture):
    """og:image and twitter:image tags for the page's picture (:func:`iomcms.seo.share_image`);
    nothing without a request or a rendition."""
    request = context.get("request")
    image = seo.share_image(picture, request) if request is not None else None
    if image is None:
        return ""
    return format_html(
        '<meta property="og:image" content="{url}">\n'
        '  <meta property="og:image:width" content="{width}">\n'
        '  <meta property="og:image:height" content="{height}">\n'
        '  <meta property="og:image:alt" content="{alt}">\n'
        '  <meta name="twitter:image" content="{url}">\n'
        '  <meta name="twitter:image:alt" content="{alt}">',
        **image,
    )


@register.filter
def meta_description(value, fallback=""):
    """``{{ object.lead|default:object.body|meta_description:object.title }}``.

    Plain text of at most 160 characters, cut at a word; ``fallback`` when there is no text.
    The result comes back HTML-escaped, because ``{% filter meta_description %}`` (which
    receives escaped text, decoded here) writes a filter's result without escaping it.
    """
    return escape(seo.description(value, fallback))


@register.simple_tag(takes_context=True)
def news_article_jsonld(context, item):
    # The contacts the detail view loaded for the page's contact block: no query of its own.
    contacts = [link.contact for link in getattr(item, "public_contact_links", ())]
    data = seo.news_article_jsonld(
        item,
        context["request"],
        context.get("SITE_NAME"),
        context.get("language_versions"),
        contacts=contacts,
        # The projects the view loaded for "Related projects" (news.related): no query either.
        projects=[link.project for link in getattr(item, "public_project_links", ())],
        # The detail view joins it (no query of its own).
        picture=getattr(item, "lead_picture", None),
    )
    return seo.jsonld_script(data, context.get(CSP_NONCE))


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def hreflang_links(context):
    """``<link rel="alternate" hreflang>`` for each public version of the item shown and
    ``x-default`` for its original (nothing for an item without public translations)."""
    alternates = context.get("language_alternates") or []
    request = context["request"]
    links = []
    if len(alternates) > 1:
        links = [(code, seo.absolute_url(request, path)) for code, _name, path in alternates]
        links.append(("x-default", seo.absolute_url(request, context["original_path"])))
    return {"links": links}


@register.simple_tag(takes_context=True)
def project_jsonld(context, project):
    return seo.jsonld_script(
        seo.project_jsonld(project, context["request"]), context.get(CSP_NONCE)
    )


@register.simple_tag(takes_context=True)
def person_jsonld(context, contact):
    return seo.jsonld_script(seo.person_jsonld(contact, context["request"]), context.get(CSP_NONCE))
