"""RSS 2.0 and Atom feeds of published news, filtered with the news list's own FilterSet.

``/news/feed/rss/`` and ``/news/feed/atom/`` take the query string of ``/news/``
(``?country=CO&kind=press-release&year=2020&q=floods``) through :class:`NewsItemFilter`, exactly
as the list page does: a value that does not validate is left out and the valid ones still
apply, so a feed URL never answers an error. A feed holds the newest ``FEED_SIZE`` published
items with a publication date, in the list's order (newest first).

Dates: a feed item needs one. An item's date is its ``published_on`` at 00:00 UTC, or its
go-live moment when it was scheduled for that day (an embargo lifted at 09:00 is dated 09:00).
Undated archive items are left out: any date we gave them (the import's) would make an old
release look like today's news in a reader (docs/decisions.md). ``updated`` is the item's last
change as the public saw it: its last edit, or its go-live moment if later.
"""

import datetime
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries import countries

from iomcms.filters import ALL_LANGUAGES, bind
from iomcms.languages import language_name

from .filters import NewsItemFilter
from .models import NewsItem, NewsKind

FEED_SIZE = 50

# The columns a feed item uses; the body is never read.
FEED_FIELDS = (
    "title",
    "slug",
    "language",  # get_absolute_url: the item's own language prefix
    "kind",
    "published_on",
    "lead",
    "countries",
    "updated",
    "go_live_at",
)

# Characters XML 1.0 cannot hold. Django refuses to write them (a 500), and a query string or
# an imported text may contain them, so they are dropped from everything a feed writes.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    return _XML_UNSAFE.sub("", str(value or ""))


def kind_plural(kind):
    plurals = {
        NewsKind.PRESS_RELEASE: _("press releases"),
        NewsKind.NEWS: _("news"),
        NewsKind.STATEMENT: _("statements"),
        NewsKind.STORY: _("stories"),
        NewsKind.BRIEFING: _("briefing notes"),
        NewsKind.UPDATE: _("updates"),
    }
    return plurals.get(kind, str(kind))


class FeedQuery:
    """The filters a feed request asked for, valid values only, in the list's vocabulary."""

    def __init__(self, filterset):
        self.filters = dict(filterset.selection())
        self.queryset = filterset.qs

    @classmethod
    def from_request(cls, request):
        return cls(bind(NewsItemFilter, request, NewsItem.objects.published()))

    def querystring(self):
        """``?country=CO&kind=...`` for the valid filters, or "" when there are none."""
        return f"?{urlencode(self.filters)}" if self.filters else ""

    def describe(self):
        """``all news``, or ``press releases about Colombia from 2020 matching "floods"``."""
        if not self.filters:
            return _("all news")
        words = [kind_plural(self.filters["kind"]) if "kind" in self.filters else _("news")]
        if "country" in self.filters:
            words.append(_("about %s") % countries.name(self.filters["country"]))
        if "year" in self.filters:
            words.append(_("from %s") % self.filters["year"])
        if "q" in self.filters:
            words.append(_("matching “%s”") % self.filters["q"])
        if self.filters.get("lang", ALL_LANGUAGES) != ALL_LANGUAGES:
            # Only when asked for: without lang the feed is its site's own language.
            words.append(_("in %s") % language_name(self.filters["lang"]))
        return " ".join(words)


class NewsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    url_name = "news:feed-rss"

    def get_object(self, request):
        return FeedQuery.from_request(request)

    def title(self, obj):
        return xml_text(f"{_(settings.SITE_NAME)} – {obj.describe()}")

    def description(self, obj):
        return xml_text(
            _("%(site)s: the %(count)s newest published items – %(what)s.")
            % {"count": FEED_SIZE, "what": obj.describe(), "site": _(settings.SITE_NAME)}
        )

    def link(self, obj):
        return reverse("news:list") + obj.querystring()

    def feed_url(self, obj):
        return reverse(self.url_name) + obj.querystring()

    def author_name(self):
        return _(settings.SITE_NAME)

    def items(self, obj):
        dated = obj.queryset.filter(published_on__isnull=False)
        return list(dated.only(*FEED_FIELDS)[:FEED_SIZE])

    def item_title(self, item):
        # Plain text: Atom writes <title> as type="text"; RSS readers show it as text.
        return xml_text(item.title)

    def item_description(self, item):
        # Written as HTML (RSS <description>, Atom <summary type="html">); the lead is plain text.
        return escape(xml_text(item.lead))

    def item_pubdate(self, item):
        if item.go_live_at and item.published_on == timezone.localdate(item.go_live_at):
            return item.go_live_at  # an embargoed release: the moment it went out
        return datetime.datetime.combine(item.published_on, datetime.time.min, datetime.UTC)

    def item_updateddate(self, item):
        return item.last_public_change()

    def item_author_name(self, item):
        return _(settings.SITE_NAME)

    def item_categories(self, item):
        return [item.get_kind_display(), *(country.name for country in item.countries)]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    url_name = "news:feed-atom"

    # Atom puts the description in <subtitle>.
    def subtitle(self, obj):
        return self.description(obj)
