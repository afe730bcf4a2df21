"""Bytes to clean lines: decoding, the canonical form for hashing, and HTML debris removal.

The scrapes were made from HTML, and the scraper lost the start of many tags, leaving
remains such as ``"mailto:x@iom.int">x@iom.int`` or a link split over three lines
(``"http://..."`` / ``target="_blank" title=`` / ``"">http://...``). The patterns below
recognise those remains by their shape, so the link text survives once and the markup
does not.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from .model import ParseError, note

# --- decoding -------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0 controls other than tab, line feed, form feed and carriage return, plus DEL and C1.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Letters that UTF-8 accents turn into when read as Windows-1252 ("JosÃ©", "Ã±", "â€™").
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _all_printable(text: str) -> bool:
    """No control, format or odd space characters at all (the usual case; checked in C)."""
    return text.replace("\n", " ").isprintable()


def looks_binary(text: str) -> bool:
    """NUL characters, or control characters in more than a tenth of the text."""
    if "\x00" in text:
        return True
    if _all_printable(text) or not _CONTROL_CHARS.search(text):
        return False
    controls = len(_CONTROL_CHARS.findall(text))
    return controls > 3 and controls * 10 > len(text)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text of a legacy file, and warnings about how it had to be read.

    UTF-8 first (a BOM is fine), then Windows-1252 with a warning. A UTF-8 file cut in the
    middle of its last character is read up to the cut. Empty, binary and undecodable
    files raise ParseError. Line endings come back as LF.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(note("the file could not be read as bytes"))
    data = bytes(data)
    warnings: list[str] = []
    if not data.strip():
        raise ParseError(note("the file is empty"))
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError(note("the file looks binary, not text")) from None
        warnings.append(note("the file is UTF-16 text; it was read as such"))
    elif b"\x00" in data:
        raise ParseError(note("the file looks binary, not text"))
    else:
        text = _decode_8bit(data, warnings)
    if text.startswith("\ufeff"):
        text = text[1:]
    if looks_binary(text):
        raise ParseError(note("the file looks binary, not text"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(note("the file is empty"))
    return text, warnings


def _decode_8bit(data: bytes, warnings: list[str]) -> str:
    # The BOM is cut off first: "utf-8-sig" counts error offsets after it.
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        # A file truncated inside a multi-byte character: keep everything before the cut
        # rather than misreading the whole file as Windows-1252.
        if error.reason == "unexpected end of data" and error.start >= len(body) - 3:
            text = body[: error.start].decode("utf-8")
            warnings.append(
                note("the file ends in the middle of a character (it may be truncated)")
            )
        else:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ParseError(note("the file is neither UTF-8 nor Windows-1252 text")) from None
            warnings.append(note("the file is not UTF-8; it was read as Windows-1252"))
            return text
    return _repair_mojibake(text, warnings)


def _repair_mojibake(text: str, warnings: list[str]) -> str:
    """Undo UTF-8 that was read as Windows-1252 and saved again ("JosÃ©" -> "José")."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    warnings.append(note("accents were encoded twice (mojibake); they were repaired"))
    return repaired


# --- canonical form -------------------------------------------------------------------


def normalize(text: str) -> str:
    """Canonical form used for hashing.

    LF line endings, no BOM, no trailing whitespace on any line, no leading or trailing
    blank lines, Unicode NFC.
    """
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return "\n".join(lines[start:end])


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the canonical form: CRLF, trailing blanks and a BOM do not count."""
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


# --- HTML debris ----------------------------------------------------------------------

_SCRIPT_BLOCK = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)
_UNCLOSED_SCRIPT = re.compile(r"<(?:script|style)\b[^\n]*", re.I)
# An unclosed comment only loses the rest of its line, never the rest of the file.
_HTML_COMMENT = re.compile(r"<!--(?:.*?-->|[^\n]*)", re.S)

# The remains of <a href="TARGET" attr="..">TEXT</a> once the scraper lost "<a href=".
# Whatever survived of the tag's start ("<a href=", "href=") is removed first, so the main
# pattern can begin with a literal quote, which keeps the scan over the page fast.
# (Case is spelled out instead of re.I: a literal first character lets the scan skip ahead.)
_ANCHOR_TAG_START = re.compile(r"""<[aA]\s[^<>]*?[hH][rR][eE][fF]=\s*(?=["'])""")
_HREF = re.compile(r"""(?:href|HREF|Href)=\s*(?=["'])""")
_ANCHOR_HINT = re.compile(r'"(?:mailto:|https?://|ftp://|www\.)', re.I)
_ANCHOR_DEBRIS = re.compile(
    r"""
    "(?P<href>(?:mailto:|https?://|ftp://|www\.)[^"\s<>]*)"
    (?:\s*[A-Za-z][\w:-]*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'<>]*))*
    \s*"*>
    (?P<text>[^<\n]*)
    (?:</a\s*>)?
    """,
    re.I | re.X,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article)\b[^<>]*>", re.I
)
_INLINE_TAG = re.compile(
    r"</?(?:a|span|strong|b|i|em|u|font|img|sup|sub|small|big|center|tbody|thead|td|th|"
    r"hr|iframe|figure|figcaption|header|footer|nav|meta|link|input|form|button|label|"
    r"abbr|cite|code|o:p|st1:[a-z]+)\b[^<>]*>",
    re.I,
)
_BRACKETED_LINK = re.compile(r"<(?:mailto:)?((?:https?://|www\.)[^<>\s]+|[^<>\s@]+@[^<>\s]+)>")
_ATTRIBUTE_NAMES = (
    "target", "title", "rel=", "class", "style", "alt=", "href", "src=", "width", "height",
    "border", "align", "onclick", "data-", "TARGET", "TITLE", "CLASS", "STYLE", "HREF",
)  # fmt: skip
_ATTRIBUTE_DEBRIS = re.compile(
    r"(?<![\w&?/=.:%-])(?:target|title|rel|class|style|alt|href|src|width|height|border|"
    r"align|onclick|data-[\w-]+)\s*=\s*(?:\"[^\"\n]*\"|'[^'\n]*'|(?=\s|$))",
    re.I,
)
_STRAY_TAG_END = re.compile(r'^[ "\']*>(?=\S)')
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_JS_LINE = re.compile(
    r"^(?:var\s+\w+\s*=|function\s*\w*\s*\(|\}\s*\)?\s*;?\s*$|\}\);|//\s|\$\(|jQuery\b)|"
    r"\b(?:document|window)\.(?:write|getElement|createElement|location|addEventListener|"
    r"querySelector|cookie|onload)|\bjavascript:",
)
_DEBRIS_ONLY = re.compile(r"^[\"'<>/\\=\s]+$")
# Whitespace that is not a plain space (no-break, thin, ideographic ...) and invisible
# characters the web pages used for layout.
_ODD_SPACES = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_INVISIBLES = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACE_TABLE = str.maketrans(
    {**dict.fromkeys(_ODD_SPACES, " "), **dict.fromkeys(_INVISIBLES), "\f": "\n", "\v": "\n"}
)
_NEEDS_TRANSLATION = re.compile(f"[{_ODD_SPACES}{_INVISIBLES}\f\v]")
# Cheap substring tests that tell whether a page may hold script lines at all.
_SCRIPT_MARKERS = ("function", "var ", "}", "document.", "window.", "javascript:", "$(", "// ")
_SPACES = re.compile(" {2,}")


def _anchor_text(match: re.Match[str]) -> str:
    href = match.group("href")
    text = match.group("text").strip()
    if href.lower().startswith("mailto:"):
        address = href[len("mailto:") :]
        if not text or address.lower() in text.lower() or "@" in text:
            return text or address
        return f"{text} ({address})"
    bare = re.sub(r"^https?://", "", href, flags=re.I).rstrip("/")
    if not text or text.lower().startswith(("http://", "https://", "www.")):
        return text or href
    if bare.lower() in text.lower():
        return text
    return f"{text} ({href})"


def clean_markup(text: str) -> str:
    """Remove scripts, tags, link debris and entities; link texts and URLs stay as text."""
    if "&" in text:
        # Twice, for pages whose entities were escaped twice ("&amp;nbsp;").
        for _ in range(2):
            if not _ENTITY.search(text):
                break
            text = html.unescape(text)
    if "<" in text:
        text = _SCRIPT_BLOCK.sub("\n", text)
        text = _HTML_COMMENT.sub("", text)
        text = _UNCLOSED_SCRIPT.sub("", text)
    if "<a" in text or "<A" in text:
        text = _ANCHOR_TAG_START.sub("", text)
    if "href=" in text or "HREF=" in text or "Href=" in text:
        text = _HREF.sub("", text)
    if '"' in text and ">" in text and _ANCHOR_HINT.search(text):
        text = _ANCHOR_DEBRIS.sub(_anchor_text, text)
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
        text = _INLINE_TAG.sub("", text)
        text = _BRACKETED_LINK.sub(r"\1", text)
    for spelling in ("mailto:", "MAILTO:", "Mailto:", "MailTo:"):
        if spelling in text:
            text = text.replace(spelling, "")
    return text


def _remove_attribute_debris(line: str) -> str:
    """'target="_blank" title=' and the like, left over from a lost tag."""
    if "=" in line and any(name in line for name in _ATTRIBUTE_NAMES):
        return _ATTRIBUTE_DEBRIS.sub("", line).strip()
    return line


def clean_lines(text: str) -> list[str]:
    """The text as stripped lines, with markup debris, script lines and odd spaces gone.

    Blank lines are kept (as ""), because they are real paragraph breaks.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    printable = _all_printable(text)
    if not printable and looks_binary(text):
        raise ParseError(note("the file looks binary, not text"))
    had_entities = "&" in text
    text = clean_markup(text)
    if had_entities and printable:
        printable = _all_printable(text)  # "&nbsp;" has become a no-break space
    if not printable:
        if _NEEDS_TRANSLATION.search(text):
            text = text.translate(_SPACE_TABLE)
        if _CONTROL_CHARS.search(text):
            text = _CONTROL_CHARS.sub(" ", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    may_have_script = any(marker in text for marker in _SCRIPT_MARKERS)
    lines = []
    for raw in text.split("\n"):
        line = _remove_attribute_debris(raw.strip())
        if "  " in line:
            line = _SPACES.sub(" ", line)
        if line and not line[0].isalnum():
            if _DEBRIS_ONLY.match(line):
                line = ""
            elif ">" in line[:4]:
                line = _STRAY_TAG_END.sub("", line)  # the end of a lost tag: '">text'
        if line and may_have_script and _JS_LINE.search(line):
            line = ""
        lines.append(line)
    return lines
