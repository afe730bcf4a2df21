from django.contrib.sitemaps import Sitemap

from .content import public_country_codes
from .links import country_url


class CountrySitemap(Sitemap):
    """The page of every country with public content (countries/content.py), in each
    interface language, each entry listing the others as ``xhtml:link`` alternates, English
    as ``x-default``, like the static pages. One query (the union of the countries the public
    rows name), none while the page cache's store holds the answer."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return public_country_codes()

    def location(self, item):
        return country_url(item)
