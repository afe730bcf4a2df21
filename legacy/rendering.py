"""Legacy plain text -> the HTML the models store (cleaned by the models themselves)."""

import re

from django.utils.html import escape

# Django's urlize() is thorough but costs ~3 ms per page; legacy text only ever holds plain
# http(s)/www URLs and e-mail addresses, which this one pass over escaped text links.
LINK_RE = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"']+)|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
)
# Closing guillemets and curly quotes too: French quotes a link as «www.iom.int/fr», with no
# space inside, and the closing mark is no part of the address.
TRAILING_PUNCTUATION = ".,;:!?)]}'\"»›”’"


def _link(match):
    if match["email"]:
        email = match["email"]
        return f'<a href="mailto:{email}">{email}</a>'
    url = match["url"]
    trail = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        # Keep a closing parenthesis that belongs to the URL, e.g. a Wikipedia link.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, trail = url[:-1], url[-1] + trail
    href = url if url.startswith("http") else f"https://{url}"
    return f'<a href="{href}">{url}</a>{trail}'


def linkify(text):
    """Escape plain text and turn URLs and e-mail addresses into links."""
    return LINK_RE.sub(_link, escape(text))


def paragraphs_to_html(paragraphs):
    return "\n".join(f"<p>{linkify(p)}</p>" for p in paragraphs if p)


def split_lead(paragraphs):
    """A legacy page's first paragraph is its standfirst: it becomes the lead (shown in lists
    and above the body), and the body holds the rest, so the page never prints it twice."""
    paragraphs = [p for p in paragraphs if p]
    return (paragraphs[0], paragraphs[1:]) if paragraphs else ("", [])
