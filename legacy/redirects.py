"""Send visitors who follow an old site's link to the page imported from it (a 301).

:class:`OldAddressMiddleware` looks only at a response that is already a 404 to a GET or HEAD,
so a redirect never shadows a page of ours and costs nothing on the pages that exist: one
indexed query, on a "not found" only. It sits just above the page cache
(:mod:`iomcms.pagecache`), which never stores a 404, and below ``CommonMiddleware``, so an
old path without its trailing slash is redirected in one step.

Which redirect answers (addresses compared as :mod:`legacy.addresses` says): among those with
the request's path, one whose query string is the request's before one that has none (one
with another query string does not answer); then one on the request's host, before one
given as a path, before one of another host; then the oldest. Its record must be public now
(``is_public()``, the rule of :mod:`iomcms.publishing`): a draft's old address stays a 404.

Caching: the 301 takes the ``Cache-Control`` the page cache gave the 404 it replaces, which
is public and bounded by the next scheduled moment for anonymous readers (so a browser or a
CDN drops it by the time the record may expire) and private for signed-in staff. Without one,
it is never cached: a permanent redirect with no ``Cache-Control`` is kept by browsers for
good.
"""

from django.http import HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers

from .addresses import request_address
from .models import Redirect

FOLLOWED_METHODS = ("GET", "HEAD")


def find_target(request):
    """The public record the request's old address leads to, or ``None``."""
    wanted = request_address(request)
    candidates = Redirect.objects.filter(path=wanted.path).select_related("news_item", "project")
    ranked = []
    for redirect in candidates:
        if redirect.query and redirect.query != wanted.query:
            continue
        host_rank = 0 if redirect.host == wanted.host else 1 if not redirect.host else 2
        ranked.append((redirect.query != wanted.query, host_rank, redirect.pk, redirect))
    for *_, redirect in sorted(ranked, key=lambda r: r[:3]):
        target = redirect.target
        if target is not None and target.is_public():
            return target
    return None


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in FOLLOWED_METHODS:
            return response
        target = find_target(request)
        if target is None:
            return response
        redirect = HttpResponsePermanentRedirect(target.get_absolute_url())
        for header in ("Cache-Control", "Vary", "Expires"):
            if header in response:
                redirect.headers[header] = response.headers[header]
        if "Cache-Control" not in redirect:
            add_never_cache_headers(redirect)
        return redirect
