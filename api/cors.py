"""CORS for the API: any web page may read it with GET or HEAD (``/api/`` only).

The API is public, read-only and takes no credentials (no cookie, no ``Authorization``), so
``Access-Control-Allow-Origin: *`` is the whole policy: a browser then sends no credentials
and a page can read nothing it could not fetch itself. A preflight (``OPTIONS`` with
``Access-Control-Request-Method``, which a browser sends for ``If-None-Match`` and other
non-simple headers) is answered here, before anything else runs, allowing GET, HEAD and
OPTIONS and the headers asked for, for a day. ``ETag`` and ``Retry-After`` are exposed to
scripts (``Cache-Control``, ``Last-Modified`` and ``Content-Type`` are readable already).

Why not django-cors-headers: its settings describe per-origin policies with credentials; this
is one fixed rule for one path prefix, and here it is in full.
"""

from django.http import HttpResponse

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
EXPOSED_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = str(24 * 60 * 60)


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        if (
            request.method == "OPTIONS"
            and "HTTP_ORIGIN" in request.META
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        ):
            response = HttpResponse(status=204)
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            requested = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            if requested:
                response.headers["Access-Control-Allow-Headers"] = requested
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = self.get_response(request)
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
