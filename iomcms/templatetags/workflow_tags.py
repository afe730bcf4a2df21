"""The admin home's "Coming up" box: what goes live or expires next, for the embargo desk."""

import heapq

from django import template
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from iomcms import publishing
from iomcms.permissions import has_model_perm
from iomcms.publishing import WorkflowState

register = template.Library()

UPCOMING_LIMIT = 8


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
