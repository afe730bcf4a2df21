"""``{% picture %}``: a picture's renditions as <picture>, srcset and sizes (no query)."""

from django import template

register = template.Library()

# What the layouts give a picture (static/css/site.css): the item page's text column, and a
# card, whose picture is at most 16rem wide.
SIZES = {
    "page": "(min-width: 48rem) 46rem, 100vw",
    "card": "16rem",
}


@register.inclusion_tag("pictures/includes/picture.html")
def picture(picture, layout="page", max_width=None, loading="lazy"):
    """``{% picture item.lead_picture "card" max_width=800 %}``; the first picture a page
    shows big is ``loading="eager"``. Renditions wider than ``max_width`` are left out."""
    sources = picture.sources(max_width=max_width) if picture else []
    return {
        "picture": picture,
        "sources": sources,
        "fallback": sources[-1] if sources else None,
        "sizes": SIZES[layout],
        "loading": loading,
    }
