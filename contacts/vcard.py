"""A press contact as a vCard 3.0 (RFC 2426): ``/contacts/<slug>.vcf``.

Version 3.0 rather than 4.0 (RFC 6350): it is the version every phone's and mail program's
address book imports (iOS, Android's Contacts, Outlook, Thunderbird), while 4.0 is still read
partly or not at all by several of them (docs/decisions.md, "vCards").

The card: ``FN`` and ``N`` (the whole name as the given name: a family name cannot be told
reliably from a name like "María José García López", and a wrong split would file the person
under the wrong letter), ``ORG`` (the organization, then the office as its unit), ``TITLE``,
``TEL`` (the phone as ``TYPE=WORK,VOICE``, the mobile as ``TYPE=CELL,VOICE``), ``EMAIL``,
``ADR`` with the country only (all the address the site knows) and ``URL``, the contact's page.

Text is escaped as the RFC says (``\\`` ``,`` ``;`` and line breaks), lines end in CRLF and are
folded at 75 octets (a CRLF and a space), never inside a UTF-8 character.
"""

import re

LINE_OCTETS = 75
CRLF = "\r\n"


def escape_text(value):
    """A TEXT value: backslash, comma and semicolon escaped, line breaks as ``\\n``."""
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", r"\\n", text)


def one_line(value):
    """A value that is not TEXT (a phone number, an address, a URL): on one line."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


def fold(line):
    """``line`` cut into pieces of at most 75 octets of UTF-8, each after the first starting
    with a space (which the reader removes), joined by CRLF."""
    pieces, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the space takes one octet
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def vcard(contact, url):
    """The vCard of ``contact`` (a public one: the view asks), ``url`` its page's address."""
    name = escape_text(contact.name.strip())
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:;{name};;;", f"FN:{name}"]
    units = [part for part in (contact.organization, contact.office) if part.strip()]
    if units:
        lines.append("ORG:" + ";".join(escape_text(unit.strip()) for unit in units))
    if contact.job_title.strip():
        lines.append(f"TITLE:{escape_text(contact.job_title.strip())}")
    if contact.phone.strip():
        lines.append(f"TEL;TYPE=WORK,VOICE:{one_line(contact.phone)}")
    if contact.mobile.strip():
        lines.append(f"TEL;TYPE=CELL,VOICE:{one_line(contact.mobile)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{one_line(contact.email)}")
    if contact.country:
        # ADR: post office box; extended; street; locality; region; postal code; country.
        lines.append(f"ADR;TYPE=WORK:;;;;;;{escape_text(contact.country.name)}")
    lines.append(f"URL:{one_line(url)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + CRLF for line in lines)
