"""The admin home's "Coming up" box (what goes live or expires next, for the embargo desk) and
its "Waiting for review" box (changes Editors submitted to live items, iomcms/review.py)."""

import heapq

from django import template
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from iomcms import publishing
from iomcms.models import PendingRevision, ReviewState
from iomcms.permissions import has_model_perm
from iomcms.publishing import WorkflowState

register = template.Library()

UPCOMING_LIMIT = 8
WAITING_LIMIT = 10


def publishable_models(site=admin.site):
    """The models with a publication workflow that ``site`` manages, in app order."""
    return [model for model in publishing.publishable_models() if site.is_registered(model)]


def _events(model, now, limit):
    """(when, what, obj) for the next go-lives and expiries of published items: 2 queries,
    each read in order from a partial index (``publishing.scheduling_indexes``)."""
    going_live = model.objects.in_state(WorkflowState.SCHEDULED, at=now).order_by("go_live_at")
    expiring = model.objects.expiring(at=now).order_by("expire_at")
    fields = ("pk", "title", "go_live_at", "expire_at")
    events = [(obj.go_live_at, "live", obj) for obj in going_live.only(*fields)[:limit]]
    events += [(obj.expire_at, "expires", obj) for obj in expiring.only(*fields)[:limit]]
    return events


@register.simple_tag
def coming_up(user, limit=UPCOMING_LIMIT):
    """The next ``limit`` go-live and expiry moments of the publishable items ``user`` may
    see, soonest first, as dicts for the template."""
    now = timezone.now()
    events = []
    for model in publishable_models():
        if has_model_perm(user, "view", model):
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


@register.simple_tag
def waiting_for_review(user, limit=WAITING_LIMIT):
    """The oldest ``limit`` revisions waiting for a Publisher, of the models ``user`` may see,
    as dicts for the template, and how many wait in all: ``(rows, count)``. Three queries
    plus one per model with waiting revisions (their items' titles)."""
    models = [model for model in publishable_models() if has_model_perm(user, "view", model)]
    if not models:
        return [], 0
    types = ContentType.objects.get_for_models(*models).values()
    waiting = PendingRevision.objects.filter(content_type__in=types, state=ReviewState.SUBMITTED)
    count = waiting.count()
    if not count:
        return [], 0
    revisions = (
        waiting.defer("data")
        .select_related("author", "content_type")
        .prefetch_related("item")
        .order_by("submitted_at", "id")[:limit]
    )
    rows = []
    for revision in revisions:
        item = revision.item
        if item is None:
            continue
        opts = item._meta
        rows.append(
            {
                "title": str(item),
                "kind": opts.verbose_name,
                "author": revision.author.get_username() if revision.author else "",
                "when": revision.submitted_at,
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]),
            }
        )
    return rows, count
