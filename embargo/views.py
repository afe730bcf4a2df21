"""The page behind an embargo link: the item as its public page will show it, for the link's
recipients only (docs/architecture.md, "Embargo links").

What an address answers, in this order:

- a token not signed here (tampered, truncated, another salt): the site's 404, the answer to
  any unknown address, so that guessing learns nothing;
- a link withdrawn, or whose item was deleted (in the trash or for ever), unpublished after
  going live, or expired:
  410 "withdrawn";
- an item already live: a 302 to its public page (the embargo is over; the address keeps
  working wherever it was pasted);
- a link past its ``expires_at``: 410 "expired";
- otherwise the item's detail page, with an "Embargoed until …" banner.

Every answer is ``Cache-Control: private, no-store`` (no browser, proxy or CDN keeps it; the
page cache skips the path, ``IOMCMS_PAGE_CACHE_SKIPPED_PATHS``), ``X-Robots-Tag: noindex`` and
``Referrer-Policy: no-referrer`` (a link followed from the page must not carry the token to
another site). Each GET of a link neither withdrawn nor deleted is recorded, whatever it
answers (:class:`~embargo.models.EmbargoOpening`).
Reads go to the primary database: a link withdrawn a second ago is withdrawn.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from iomcms.methods import read_only
from iomcms.publishing import WorkflowState
from iomcms.routers import read_from_primary
from news.views import NewsItemDetailView
from projects.views import ProjectDetailView

from . import tokens
from .models import USER_AGENT_LENGTH, EmbargoLink, EmbargoOpening, LinkState

# The public detail view of each model a link may point at: the embargo page is its page.
DETAIL_VIEWS = {"newsitem": NewsItemDetailView, "project": ProjectDetailView}


def _private(response):
    add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
    response.headers["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request, state):
    return _private(render(request, "embargo/gone.html", {"link_state": state}, status=410))


def _record_opening(request, link):
    if request.method == "GET":  # a HEAD shows nothing
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
        EmbargoOpening.objects.create(link=link, user_agent=user_agent)


@read_only
def embargo_page(request, token):
    pk = tokens.link_id(token)
    if pk is None:
        return _private(render(request, "404.html", status=404))
    read_from_primary()
    link = EmbargoLink.objects.filter(pk=pk).first()
    if link is None or link.revoked_at is not None:
        # A deleted link is one whose item was deleted (the address was signed here).
        return _gone(request, LinkState.REVOKED)
    view = DETAIL_VIEWS["newsitem" if link.news_item_id else "project"]()
    view.setup(request)
    item = view.detail_queryset(view.model.objects.filter(pk=link.news_item_id or link.project_id))
    item = item.first()
    now = timezone.now()
    state = item.state(now) if item is not None else WorkflowState.EXPIRED
    if state == WorkflowState.EXPIRED or item.is_trashed:
        # Taken off the public site, or deleted (in the trash): nothing to read early.
        return _gone(request, LinkState.REVOKED)
    _record_opening(request, link)
    if state == WorkflowState.LIVE:
        return _private(HttpResponseRedirect(item.get_absolute_url()))
    if link.state(now) == LinkState.EXPIRED:
        return _gone(request, LinkState.EXPIRED)

    view.object = item
    view.kwargs = {"slug": item.slug}
    context = view.get_context_data(object=item)
    go_live_at = item.go_live_at if state == WorkflowState.SCHEDULED else None
    context["embargo"] = {
        "link": link,
        "go_live_at": go_live_at,
        # The banner gives the time in the site's zone, and in UTC too when that differs.
        "utc_differs": bool(go_live_at and timezone.localtime(go_live_at).utcoffset()),
    }
    response = view.render_to_response(context)
    return _private(response)
