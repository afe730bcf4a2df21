"""Old addresses of imported pages: how one is written down and compared.

One rule for the crawl manifest (:mod:`legacy.manifest`), the redirect records
(:class:`legacy.models.Redirect`) and the requests they answer (:mod:`legacy.redirects`):

- An old address is an absolute ``http(s)://`` URL or a path (``/news/foo``).
- Compared on its path, percent-decoded, without a trailing slash (``/`` stays ``/``), case
  kept (the old sites' paths were case-sensitive, and ``/News/A`` and ``/news/a`` may be two
  pages).
- The host (lower case, no port, no trailing dot) is kept to choose between two old sites'
  pages at the same path; a path alone has none.
- The query string counts when the old URL had one (some old sites named their pages by it,
  ``?entryId=123``): parameters in a fixed order. An old URL without one matches any query.
- The fragment (``#…``) never reaches a server and is dropped.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .parsing.model import note

# Longer old URLs are refused: the three parts are indexed together.
MAX_URL_LENGTH = 1000


class BadAddress(ValueError):
    """An old address that is neither an absolute http(s) URL nor a path."""


@dataclass(frozen=True)
class Address:
    host: str
    path: str
    query: str

    @property
    def key(self):
        return (self.host, self.path, self.query)

    def __str__(self):
        """The address as the report shows it: ``www.iom.int/news/foo?id=1`` or a path."""
        query = f"?{self.query}" if self.query else ""
        return f"{self.host}{self.path}{query}"


def parse_address(url):
    """The :class:`Address` of an old URL or path; raises :class:`BadAddress`."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise BadAddress(note("longer than %(max)s characters", max=MAX_URL_LENGTH))
    if any(c.isspace() for c in url):
        raise BadAddress(note("contains spaces"))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as exc:
        raise BadAddress(note("not a URL (%(error)s)", error=str(exc))) from None
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise BadAddress(note("not an http(s) URL or a path starting with /"))
        host = parts.hostname.lower().rstrip(".")
    elif url.startswith("/"):
        host = ""
    else:
        raise BadAddress(note("not an http(s) URL or a path starting with /"))
    return Address(host, normalize_path(unquote(parts.path or "/")), normalize_query(parts.query))


def normalize_path(path):
    """A decoded path as compared: a leading slash, no trailing one (but for ``/``)."""
    path = "/" + path.lstrip("/")
    return path.rstrip("/") or "/"


def normalize_query(query):
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def request_address(request):
    """The :class:`Address` a request asks for (``request.path`` is decoded already)."""
    host = request.get_host().rsplit(":", 1)[0] if request.get_host() else ""
    return Address(
        host.lower().rstrip("."),
        normalize_path(request.path),
        normalize_query(request.META.get("QUERY_STRING", "")),
    )
