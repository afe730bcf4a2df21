"""Reading a feed in tests: fetched, parsed strictly, its entries' links."""

import feedparser

HOST = "http://testserver"


def fetch(client, url, params=None):
    """``(response, parsed feed)``: a 200 that parses without an error."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def links(feed):
    return [entry.link for entry in feed.entries]


def absolute(item):
    """The absolute address a feed gives ``item``."""
    return HOST + item.get_absolute_url()
