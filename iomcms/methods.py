"""The HTTP methods a public page answers: GET and HEAD, and OPTIONS to say so; and which
reads may be answered for everyone alike (:func:`is_public_read`, :func:`is_visitor`: the page
cache and the read replica ask).

Public pages, feeds, sitemaps and robots.txt only read. Any other method gets a ``405 Method
Not Allowed`` with ``Allow: GET, HEAD, OPTIONS`` and a small page, never cached; ``OPTIONS``
gets ``200`` with the same ``Allow`` and an empty body. :func:`refuse_other_methods` decides;
:func:`read_only` (function views, sitemap views, feeds) and :class:`ReadOnlyViewMixin`
(class-based views) apply it before the view does any work.

These views are CSRF-exempt: CsrfViewMiddleware runs before the view and would answer a
tokenless POST, PUT, PATCH or DELETE with 403 first. Exempting them is safe because such a
request never reaches the view's code: it is refused here, unread. The admin is not touched.
"""

from functools import cache, wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import get_urlconf, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = (*READ_METHODS, "OPTIONS")


def refuse_other_methods(request):
    """The answer to a request that is not a GET or HEAD; ``None`` for GET and HEAD."""
    if request.method in READ_METHODS:
        return None
    if request.method == "OPTIONS":
        response = HttpResponse(content_type="text/plain; charset=utf-8")
        response.headers["Allow"] = ", ".join(ALLOWED_METHODS)
    else:
        # A static template: no request context, no database, so nothing here can fail.
        response = HttpResponseNotAllowed(ALLOWED_METHODS, render_to_string("405.html"))
    add_never_cache_headers(response)
    return response


def read_only(view):
    """A function view (or any callable view) that answers GET and HEAD only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refusal = refuse_other_methods(request)
        return refusal if refusal is not None else view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


class ReadOnlyViewMixin:
    """For class-based public views: GET and HEAD only, as :func:`read_only`."""

    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        refusal = refuse_other_methods(request)
        return refusal if refusal is not None else super().dispatch(request, *args, **kwargs)


# -- Who is reading: answered for everyone alike, or for one person ---------------------------


def is_public_read(request):
    """A GET or HEAD outside the admin."""
    return request.method in READ_METHODS and not request.path.startswith(
        _admin_prefix(get_urlconf())
    )


def is_visitor(request):
    """Whether the request is anonymous: no session or messages cookie (staff, whose pages
    can show previews and messages) and no credentials. Told from the cookies alone: loading
    the session would cost a query per visitor. A visitor with a stale cookie counts as
    signed in, which only costs them the shared answers (cached page, read replica)."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


@cache
def _admin_prefix(urlconf):
    return reverse("admin:index", urlconf=urlconf)
