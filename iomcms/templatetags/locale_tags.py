"""The interface language's pieces for templates: the language switcher and budgets written
as the reader's locale writes amounts (iomcms/i18n.py has the rules)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats

from .. import i18n

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each interface language, to the item's translation where the
    view supplies ``language_alternates`` (see :func:`iomcms.i18n.language_links`)."""
    request = context.get("request")
    if request is None:
        return {"links": []}
    return {"links": i18n.language_links(request, context.get("language_alternates"))}


@register.filter
def budget(value, decimals=0):
    """An amount in US dollars as the active locale writes it: "USD 1,250,000" in English,
    "1 250 000 USD" in French and Spanish (grouping and decimal separators from Django's
    format files, the currency's place from :func:`iomcms.i18n.money`); "" for None or
    anything that is not a number."""
    if value is None or value == "":
        return ""
    try:
        places = int(decimals)
        # Rounded as floatformat rounds (number_format alone would cut: 999.99 -> "999").
        amount = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return i18n.money(number, "USD")
