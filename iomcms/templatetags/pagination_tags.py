"""The pagination include's links (templates/includes/pagination.html); the rules are in
:mod:`iomcms.pagination`."""

from django import template

from .. import pagination

register = template.Library()


@register.filter
def page_url(querystring, number):
    """``{{ querystring|page_url:2 }}``: "?country=KE&page=2", the list's other parameters
    kept (:func:`iomcms.pagination.page_url`)."""
    return pagination.page_url(querystring or "", number)
