"""vCards of public press contacts (contacts/vcard.py), read back with a strict parser."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contacts.vcard import escape_text, fold
from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_news_item

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
# A property line: name, parameters, ":" and the value (RFC 2426, section 4).
CONTENT_LINE = re.compile(
    r"^(?P<name>[A-Z][A-Z0-9-]*)(?P<params>(;[A-Z-]+=[A-Z0-9,-]+)*):(?P<value>.*)$"
)


def unescape(value):
    """A TEXT value read back: ``\\n``, ``\\,``, ``\\;`` and ``\\\\``; any other escape is an
    error."""

    def one(match):
        char = match.group(1)
        assert char in "nN,;\\", f"bad escape \\{char}"
        return "\n" if char in "nN" else char

    assert not re.search(r"(?<!\\)(\\\\)*\\$", value), "dangling backslash"
    return re.sub(r"\\(.)", one, value)


def split_unescaped(value, separator=";"):
    """``value`` cut at each ``separator`` that is not escaped."""
    parts, current, chars = [], "", iter(value)
    for char in chars:
        if char == "\\":
            current += char + next(chars)
        elif char == separator:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def parse(data):
    """[(name, params, raw value)] of one vCard, checking its form as strictly as the RFC:
    UTF-8, every line ending in CRLF, no physical line longer than 75 octets, folded lines
    continued by one space, BEGIN/VERSION first and END last."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode()) <= 75, line
    logical = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    properties = []
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, line
        properties.append((match["name"], match["params"], match["value"]))
    assert properties[0] == ("BEGIN", "", "VCARD")
    assert properties[1] == ("VERSION", "", "3.0")
    assert properties[-1] == ("END", "", "VCARD")
    return properties


def card(client, contact):
    response = client.get(f"/contacts/{contact.slug}.vcf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{contact.slug}.vcf"'
    return parse(response.content)


def values(properties, name):
    return [(params, value) for prop, params, value in properties if prop == name]


def test_vcard_of_a_public_contact(client):
    contact = make_contact(
        name="Ana María Pérez",
        office="IOM Colombia",
        organization="International Organization for Migration",
        job_title="Media officer",
        phone="+57 1 594 6410 ext. 142",
        mobile="+57 310 000 0000",
        email="ana@iom.int",
        country="CO",
    )
    properties = card(client, contact)
    assert values(properties, "FN") == [("", "Ana María Pérez")]
    assert values(properties, "N") == [("", ";Ana María Pérez;;;")]
    [(_, org)] = values(properties, "ORG")
    assert split_unescaped(org) == ["International Organization for Migration", "IOM Colombia"]
    assert values(properties, "TITLE") == [("", "Media officer")]
    assert values(properties, "TEL") == [
        (";TYPE=WORK,VOICE", "+57 1 594 6410 ext. 142"),
        (";TYPE=CELL,VOICE", "+57 310 000 0000"),
    ]
    assert values(properties, "EMAIL") == [(";TYPE=INTERNET,WORK", "ana@iom.int")]
    assert values(properties, "ADR") == [(";TYPE=WORK", ";;;;;;Colombia")]
    assert values(properties, "URL") == [("", HOST + contact.get_absolute_url())]


def test_missing_facts_are_left_out(client):
    contact = make_contact(
        name="Solo", office="", organization="", job_title="", phone="", email="", country=""
    )
    names = [name for name, _, _ in card(client, contact)]
    assert names == ["BEGIN", "VERSION", "N", "FN", "URL", "END"]


def test_special_characters_are_escaped_and_long_lines_folded(client):
    contact = make_contact(
        name="Pérez, Ana; \\ the \u201cvoice\u201d of IOM",
        office="Bureau régional pour l'Afrique de l'Ouest et du Centre, Dakar; Sénégal " * 2,
        job_title="Line one\nLine two",
    )
    properties = card(client, contact)
    [(_, fn)] = values(properties, "FN")
    assert unescape(fn) == "Pérez, Ana; \\ the \u201cvoice\u201d of IOM"
    [(_, org)] = values(properties, "ORG")
    assert [unescape(part) for part in split_unescaped(org)] == [contact.office.strip()]
    [(_, title)] = values(properties, "TITLE")
    assert unescape(title) == "Line one\nLine two"


def test_the_french_page_gives_the_french_country_and_address(client):
    contact = make_contact(country="DE")
    response = client.get(f"/fr/contacts/{contact.slug}.vcf")
    properties = parse(response.content)
    assert values(properties, "ADR") == [(";TYPE=WORK", ";;;;;;Allemagne")]
    assert values(properties, "URL") == [("", f"{HOST}/fr/contacts/{contact.slug}/")]


@given(st.text(max_size=300))
def test_escape_and_fold_read_back(text):
    line = "NOTE:" + escape_text(text)
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    unfolded = pieces[0] + "".join(piece[1:] for piece in pieces[1:])
    assert unfolded == line
    expected = re.sub(r"\r\n|\r", "\n", text)
    assert unescape(unfolded.removeprefix("NOTE:")) == expected


def test_only_public_contacts_have_a_vcard(client):
    hidden = make_contact(is_public=False)
    on_draft_only = make_contact(is_spokesperson=False)
    make_news_item(contacts=[on_draft_only], publication_status=PublicationStatus.DRAFT)
    on_live = make_contact(is_spokesperson=False)
    make_news_item(contacts=[on_live])
    assert client.get(f"/contacts/{hidden.slug}.vcf").status_code == 404
    assert client.get(f"/contacts/{on_draft_only.slug}.vcf").status_code == 404
    assert client.get(f"/contacts/{on_live.slug}.vcf").status_code == 200
    assert client.post(f"/contacts/{on_live.slug}.vcf").status_code == 405


def test_vcard_query_count(client, django_assert_num_queries):
    contact = make_contact()
    with django_assert_num_queries(1):
        client.get(f"/contacts/{contact.slug}.vcf")


@pytest.mark.parametrize(
    ("prefix", "label"),
    [
        ("", "Add to address book"),
        ("/fr", "Ajouter au carnet d’adresses"),
        ("/es", "Añadir a la libreta de direcciones"),
    ],
)
def test_contact_page_release_and_list_link_to_the_vcard(client, prefix, label):
    contact = make_contact()
    item = make_news_item(contacts=[contact], language=prefix.strip("/") or "en")
    link = f'href="{prefix}/contacts/{contact.slug}.vcf" type="text/vcard" download>{label}</a>'
    for url in (
        f"{prefix}/contacts/{contact.slug}/",
        item.get_absolute_url(),
        f"{prefix}/contacts/",
    ):
        content = client.get(url).content.decode()
        assert link in content, url


def test_press_release_json_ld_carries_its_contacts_as_contact_points(client):
    first = make_contact(
        name="Zoe First", email="zoe@iom.int", phone="+1 2", mobile="", country="CO"
    )
    second = make_contact(name="Adam Second", email="", phone="+3", mobile="+4", country="")
    hidden = make_contact(name="Hidden", is_public=False)
    item = make_news_item(contacts=[first, hidden, second])
    content = client.get(item.get_absolute_url()).content.decode()
    [script] = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content)
    data = json.loads(script)
    assert data["publisher"]["contactPoint"] == [
        {
            "@type": "ContactPoint",
            "contactType": "media relations",
            "name": "Zoe First",
            "email": "zoe@iom.int",
            "telephone": "+1 2",
            "areaServed": {"@type": "Country", "name": "Colombia", "identifier": "CO"},
            "url": HOST + first.get_absolute_url(),
        },
        {
            "@type": "ContactPoint",
            "contactType": "media relations",
            "name": "Adam Second",
            "telephone": ["+3", "+4"],
            "url": HOST + second.get_absolute_url(),
        },
    ]
    assert "contactPoint" not in data["author"]
    without = make_news_item()
    content = client.get(without.get_absolute_url()).content.decode()
    assert "contactPoint" not in content
