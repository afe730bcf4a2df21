"""RSS 2.0 and Atom feeds of published projects, filtered with the projects list's FilterSet.

``/projects/feed/rss/`` and ``/projects/feed/atom/`` take the query string of ``/projects/``
(``?country=CO&status=active&year=2020``) through :class:`ProjectFilter` bound with
:func:`iomcms.filters.bind`, as the list page does: invalid values are left out and the valid
ones apply, so a feed URL never answers an error. Like the news feeds they answer GET and HEAD
only and are cached as every public page is (iomcms/pagecache.py).

A feed holds ``FEED_SIZE`` projects, the newest on this site first: dated when they went public
here (their go-live time, else when the record was made), so a subscriber sees each new project
once, and an edit does not bring an old one back to the top (its Atom ``updated`` says it
changed). A reader who chose a ``sort`` gets the first projects of the list in that order.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Model
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from iomcms.filters import bind
from news.feeds import xml_text

from .filters import ProjectFilter
from .models import Project

FEED_SIZE = 50


def shown_value(field, value):
    """A cleaned filter value as the form shows it: a choice's label, a region's name."""
    if isinstance(value, Model):
        return str(value)  # a region, a type: no query for the other choices
    choices = {str(key): label for key, label in getattr(field, "choices", ())}
    return str(choices.get(str(field.prepare_value(value)), value))


class ProjectFeedQuery:
    """What a feed request asked for: the valid filters, in the list's vocabulary."""

    def __init__(self, filterset):
        self.filterset = filterset
        self.filters = dict(filterset.selection())
        queryset = filterset.qs
        if not filterset.is_sorted:
            queryset = queryset.order_by(Coalesce("go_live_at", "created").desc(), F("pk").desc())
        self.queryset = queryset

    @classmethod
    def from_request(cls, request):
        return cls(bind(ProjectFilter, request, Project.objects.published().for_list()))

    def querystring(self):
        return f"?{urlencode(self.filters)}" if self.filters else ""

    def describe(self):
        """``all projects``, or ``projects – Status: Active; Year: 2020``."""
        if not self.filters:
            return _("all projects")
        fields = self.filterset.form.fields
        chosen = "; ".join(
            _("%(label)s: %(value)s")
            % {
                "label": fields[name].label,
                "value": shown_value(fields[name], self.filterset.applied[name]),
            }
            for name in self.filters
        )
        return _("projects – %(filters)s") % {"filters": chosen}


class ProjectRssFeed(Feed):
    feed_type = Rss201rev2Feed
    url_name = "projects:feed-rss"

    def get_object(self, request):
        return ProjectFeedQuery.from_request(request)

    def title(self, obj):
        return xml_text(f"{_(settings.SITE_NAME)} – {obj.describe()}")

    def description(self, obj):
        return xml_text(
            _("%(site)s: the %(count)s projects most recently published – %(what)s.")
            % {"count": FEED_SIZE, "what": obj.describe(), "site": _(settings.SITE_NAME)}
        )

    def link(self, obj):
        return reverse("projects:list") + obj.querystring()

    def feed_url(self, obj):
        return reverse(self.url_name) + obj.querystring()

    def author_name(self):
        return _(settings.SITE_NAME)

    def items(self, obj):
        return list(obj.queryset[:FEED_SIZE])

    def item_title(self, project):
        return xml_text(str(project))  # "CE.0373 – Title", as the admin and JSON-LD name it

    def item_description(self, project):
        return escape(xml_text(project.summary))

    def item_pubdate(self, project):
        return project.go_live_at or project.created

    def item_updateddate(self, project):
        return project.last_public_change()

    def item_author_name(self, project):
        return _(settings.SITE_NAME)

    def item_categories(self, project):
        categories = []
        if project.status:
            categories.append(str(project.get_status_display()))
        if project.region_id:
            categories.append(project.region.name)
        return [*categories, *(str(country.name) for country in project.benefiting_states)]


class ProjectAtomFeed(ProjectRssFeed):
    feed_type = Atom1Feed
    url_name = "projects:feed-atom"

    def subtitle(self, obj):
        return self.description(obj)
