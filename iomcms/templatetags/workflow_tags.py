"""The admin home's "Coming up" box: what goes live or expires next, for the embargo desk."""

import heapq

from django import template
from django.contrib.auth import get_permission_codename
from django.urls import reverse
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from projects.models import Project

register = template.Library()

UPCOMING_LIMIT = 8


def _can_view(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}")


def _events(model, now, limit):
    """(when, what, obj) for the next go-lives and expiries of published items: 2 queries."""
    published = model.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    going_live = published.filter(go_live_at__gt=now).order_by("go_live_at")
    expiring = published.filter(expire_at__gt=now).order_by("expire_at")
    fields = ("pk", "title", "go_live_at", "expire_at")
    events = [(obj.go_live_at, "live", obj) for obj in going_live.only(*fields)[:limit]]
    events += [(obj.expire_at, "expires", obj) for obj in expiring.only(*fields)[:limit]]
    return events


@register.simple_tag
def coming_up(user, limit=UPCOMING_LIMIT):
    """The next ``limit`` go-live and expiry moments of the news items and projects ``user``
    may see, soonest first, as dicts for the template."""
    now = timezone.now()
    events = []
    for model in (NewsItem, Project):
        if _can_view(user, model):
            events += _events(model, now, limit)
    soonest = heapq.nsmallest(limit, events, key=lambda event: event[0])
    return [
        {
            "when": when,
            "what": what,
            "title": obj.title,
            "kind": obj._meta.verbose_name,
            "url": reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            ),
        }
        for when, what, obj in soonest
    ]
