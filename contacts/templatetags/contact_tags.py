import re

from django import template

register = template.Library()

EXTENSION_RE = re.compile(r"\b(?:ext|extension|x)\.?\s*(\d+)", re.IGNORECASE)


@register.filter
def tel_href(number):
    """A ``tel:`` URI (RFC 3966) for a phone number as people write it.

    "+57.1.594.6410 ext. 142" -> "tel:+5715946410;ext=142". Only the first number is used when
    a field holds several ("... or ...").
    """
    number = re.split(r"\s+or\s+|[,;/]", number or "", maxsplit=1)[0]
    extension = EXTENSION_RE.search(number)
    main = EXTENSION_RE.sub("", number)
    digits = re.sub(r"\D", "", main)
    if not digits:
        return ""
    plus = "+" if main.strip().startswith("+") else ""
    uri = f"tel:{plus}{digits}"
    if extension:
        uri += f";ext={extension.group(1)}"
    return uri
