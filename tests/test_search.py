"""Site search (iomcms/search/): /search/, and q on the news and project lists.

Every test runs on SQLite and on PostgreSQL. Where the backends differ on purpose (ts_rank and
ts_headline, the GIN index) the test asserts PostgreSQL's behaviour there and the SQLite
fallback's documented behaviour otherwise (see docs/architecture.md, "Search").
"""

import datetime
import re

import pytest
from django.db import connection

from iomcms import search
from iomcms.publishing import PublicationStatus
from iomcms.search import results as search_results
from tests.factories import bulk_news_items, make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
POSTGRES = connection.vendor == "postgresql"

# Pinned query counts, the same on both databases and whatever the number of matches:
# the first page runs two queries per type that has matches (the candidates, whose number is
# the count, then the best ranked among them) and one per type without; one type paginated
# runs its count and its page, plus the count of each other type. (When no news or project
# matches in the reader's language, one more per type: tests/test_other_languages.py.)
SEARCH_QUERIES = 6
SEARCH_TYPE_QUERIES = 4
# The lists with q: the candidates (or COUNT) and one page, and the facet counts
# (iomcms/facets.py): the facets whose own filter chose nothing count among the list's
# candidates instead of searching again, their columns read with the candidates when they are
# the model's own, else in one query; a facet whose filter is set, and the language's (every
# language), count their own rows. News with a country: the country's and the language's
# (kind and year came with the candidates); projects with a status: the candidates' (five,
# the region and type through a join), the status's and the language's.
NEWS_LIST_QUERIES = 2 + 2
PROJECT_LIST_QUERIES = 2 + 3

ODD_QUERIES = [
    "",
    " ",
    "x" * 5000,
    "!!!",
    "' OR 1=1 --",
    "a & | ! :* ( )",
    "a:* | !b & (c",
    '"unbalanced quote',
    'border "post',
    '""',
    "-",
    "- -",
    "or",
    "floods or",
    "-floods",
    "a\x00b",
    "\x00",
    "\x01floods\x02",
    "🙂",
    "migrants 🙂",
    "\u200b",
    "'; DROP TABLE news_newsitem; --",
    "\\",
    "%_%",
]


def news(title, lead="", body="", **fields):
    fields.setdefault("dateline", "")
    return make_news_item(title=title, lead=lead, body=body, **fields)


def project(title, summary="", description="", **fields):
    return make_project(title=title, summary=summary, description=description, **fields)


def get_search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response


def section(response, key):
    return next(s for s in response.context["sections"] if s["key"] == key)


def found(response, key="news"):
    return list(section(response, key)["rows"])


def rows(response):
    return list(response.context["object_list"])


def tags(html):
    return set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html))


# --- The query ---------------------------------------------------------------------------------


def test_normalize_query_trims_collapses_strips_control_characters_and_caps_the_length():
    assert search.normalize_query(None) == ""
    assert search.normalize_query("  migrants \t\n in   Peru ") == "migrants in Peru"
    assert search.normalize_query("a\x00b\x01c\u200bd\x7f") == "a b c d"
    assert search.normalize_query("Bogota\u0301") == "Bogotá"  # NFC: one character
    assert len(search.normalize_query("word " * 1000)) <= search.MAX_QUERY_LENGTH
    assert search.normalize_query("x" * 5000) == "x" * search.MAX_QUERY_LENGTH


def test_parse_reads_websearch_syntax():
    groups = search.parse('migrants "Border  Post" -floods or Bogotá (peru)')
    texts = [[("-" if t.negated else "") + t.text for t in group] for group in groups]
    assert texts == [["migrants", "border post", "-floods"], ["bogota", "peru"]]
    assert search.parse("or") == [[search.Term("or")]]
    assert search.parse("floods or") == [[search.Term("floods"), search.Term("or")]]
    assert search.parse("!!! ()") == []


@pytest.mark.parametrize(
    ("q", "prefix"),
    [("migra", True), ("border migra", True), ("bogotá", True), ("un", False),
     ("-migra", False), ('"border migra', False), ('"border post"', False), ("floods or", False),
     ("tk.9001", True), ("migra!", False)],
)  # fmt: skip
def test_only_a_plain_last_word_is_a_prefix(q, prefix):
    assert search.wants_prefix(q) is prefix


# --- Matching ----------------------------------------------------------------------------------


def test_every_word_must_appear_in_title_lead_dateline_or_body(client):
    both = news("Floods in Piura", lead="Families displaced")
    in_body = news("Emergency response", body="<p>Rain and <strong>floods</strong> in Piura.</p>")
    news("Floods in Tumbes")
    found_items = found(get_search(client, "piura FLOODS"))
    assert set(found_items) == {both, in_body}


def test_a_title_match_ranks_above_a_lead_match_above_a_body_only_match(client):
    in_body = news("Annual report", body="<p>Support for returning migrants.</p>")
    in_title = news("Migrants return home")
    in_lead = news("Annual figures", lead="Migrants counted in the region")
    # Whatever the order they were created in (newest first would be body, lead, title).
    assert found(get_search(client, "migrants")) == [in_title, in_lead, in_body]
    ranks = [item.rank for item in found(get_search(client, "migrants"))]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
    assert rows(client.get("/news/", {"q": "migrants"})) == [in_title, in_lead, in_body]


def test_accents_are_ignored_both_ways(client):
    accented = news("Caravan reaches Bogotá", body="<p>Médecins and Ñandú</p>")
    plain = news("Office opens in Bogota")
    assert set(found(get_search(client, "Bogota"))) == {accented, plain}
    assert set(found(get_search(client, "bogotá"))) == {accented, plain}
    assert found(get_search(client, "medecins nandu")) == [accented]
    assert set(rows(client.get("/news/", {"q": "BOGOTA"}))) == {accented, plain}


def test_the_last_word_is_a_prefix(client):
    migrants = news("Migrants rescued at sea")
    migration = news("A migration report", body="<p>Data.</p>")
    news("Floods in Piura")
    assert set(found(get_search(client, "migra"))) == {migrants, migration}
    assert found(get_search(client, "rescued migra")) == [migrants]
    # Only the last word: "migra rescued" needs the word "migra".
    if POSTGRES:
        assert found(get_search(client, "migra rescued")) == []
    else:  # documented: the SQLite fallback has no stemming, so every word is a prefix
        assert found(get_search(client, "migra rescued")) == [migrants]


def test_a_quoted_phrase_matches_the_words_together_only(client):
    together = news("Reopening of the border post", body="<p>At the border post today.</p>")
    apart = news("Border news", body="<p>A post office near the border.</p>")
    assert set(found(get_search(client, "border post"))) == {together, apart}
    # PostgreSQL: the words adjacent (<->); the SQLite fallback: the exact character sequence
    # (case and accents folded, spaces and tags collapsed), which gives the same answer here.
    assert found(get_search(client, '"border post"')) == [together]
    assert found(get_search(client, '"Post border"')) == []


def test_exclusion_and_alternatives(client):
    floods = news("Floods and migrants in Peru")
    migrants = news("Migrants in Chile")
    drought = news("Drought in Kenya")
    assert found(get_search(client, "migrants -floods")) == [migrants]
    assert set(found(get_search(client, "chile or kenya"))) == {migrants, drought}
    assert set(found(get_search(client, "-floods"))) == {migrants, drought}
    assert floods in found(get_search(client, "peru or kenya"))


def test_codes_emails_and_hyphenated_words(client):
    by_code = project("Water supply", project_code="TK.9001")
    rojas = make_contact(name="Y", job_title="", email="rojasm@iom.int")
    cross = news("Cross-border trade resumes")
    assert found(get_search(client, "tk.9001"), "projects") == [by_code]
    assert found(get_search(client, "rojas"), "contacts") == [rojas]
    assert found(get_search(client, "cross-border")) == [cross]
    assert found(get_search(client, "border")) == [cross]


def test_words_match_at_word_starts_only(client):
    # Issue 15: the SQLite fallback matched inside words ("migration" in "immigration");
    # PostgreSQL matches words. Both now agree.
    immigration = news("Immigration rules change", body="<p>New immigration law.</p>")
    emigration = news("Émigration des jeunes", body="<p>L’émigration augmente.</p>")
    start = news("Migration data portal")
    quoted = news('A "migration" report', body="<p>(Migration) and more.</p>")
    hyphen = news("Labour-migration corridors")
    elided = news("Rapport sur l'immigration")
    assert set(found(get_search(client, "migration"))) == {start, quoted, hyphen}
    assert set(found(get_search(client, "migra"))) == {start, quoted, hyphen}
    assert set(rows(client.get("/news/", {"q": "migration"}))) == {start, quoted, hyphen}
    assert set(found(get_search(client, "immigration"))) == {immigration, elided}
    assert found(get_search(client, "emigration")) == [emigration]
    assert found(get_search(client, "grat")) == []
    assert found(get_search(client, "migration -immigration")) != []
    assert set(found(get_search(client, "immigration -rules"))) == {elided}


def test_snippets_mark_words_not_the_inside_of_words(client):
    news("Report", body="<p>Immigration, émigration and (migration) in cross-border areas.</p>")
    snippet = found(get_search(client, "migration"))[0].snippet
    assert "(<mark>migration</mark>)" in snippet
    assert snippet.count("<mark>") == 1
    snippet = found(get_search(client, "border"))[0].snippet
    assert "cross-<mark>border</mark>" in snippet or "<mark>cross-border</mark>" in snippet
    assert snippet.count("<mark>") == 1


def test_text_snippet_marks_at_word_starts():
    text = "Immigration and émigration; «Migration» in 2020-migration plans"
    assert search.text_snippet(text, ["migration"]) == (
        "Immigration and émigration; «<mark>Migration</mark>» in 2020-<mark>migration</mark> plans"
    )
    assert search.text_snippet("Cross-border trade", ["cross border"]) == (
        "<mark>Cross-border</mark> trade"
    )


# --- Snippets ----------------------------------------------------------------------------------


def test_snippets_mark_the_match_and_hold_no_other_html(client):
    item = news(
        "Annual report",
        lead="Numbers & <b>figures</b>",
        body=(
            "<p>Intro text.</p><p>Families crossed the <strong>border</strong> near "
            "Bogotá &amp; Cúcuta; &lt;script&gt;alert(1)&lt;/script&gt; was printed.</p>"
        ),
    )
    snippet = found(get_search(client, "cucuta"))[0].snippet
    assert found(get_search(client, "cucuta")) == [item]
    assert "<mark>Cúcuta</mark>" in snippet
    assert tags(snippet) == {"mark"}
    assert "&lt;script&gt;" in snippet and "<script" not in snippet
    assert "&amp;" in snippet  # "&" written once, escaped once
    assert "figures&lt;/b&gt;" in snippet  # the lead is plain text: shown as typed
    content = get_search(client, "cucuta").content.decode()
    assert "<mark>Cúcuta</mark>" in content
    assert "<script" not in content.split("<main", 1)[1]


def test_snippet_marks_prefix_and_accent_insensitive_matches(client):
    news("Report", body="<p>Many migrants reached Bogotá last week.</p>")
    snippet = found(get_search(client, "bogota migra"))[0].snippet
    assert "<mark>migrants</mark>" in snippet
    assert "<mark>Bogotá</mark>" in snippet


def test_snippet_is_cut_around_the_first_match(client):
    before = " ".join(f"before{n}" for n in range(200))
    after = " ".join(f"after{n}" for n in range(200))
    news("Report", body=f"<p>{before} the rescue of migrants {after}</p>")
    snippet = found(get_search(client, "rescue"))[0].snippet
    assert "<mark>rescue</mark>" in snippet
    assert len(re.sub(r"<[^>]+>", "", snippet)) < 400
    assert "before199" in snippet and "after0" in snippet
    assert "before0 " not in snippet and "after199" not in snippet


def test_snippets_on_the_lists(client):
    news("Report", lead="Help for displaced families in Cúcuta.")
    project("Water", summary="Boreholes in Turkana county")
    news_page = client.get("/news/", {"q": "cucuta"}).content.decode()
    assert "<mark>Cúcuta</mark>" in news_page
    projects_page = client.get("/projects/", {"q": "turkana"}).content.decode()
    assert "<mark>Turkana</mark>" in projects_page


def test_a_snippet_in_another_language_than_the_pages_says_so(client):
    """A snippet is the item's own text: in another language than the page's, it carries
    that language (screen readers pronounce it right), on the lists and the search page."""
    news("Rapport", lead="Aide aux familles de Cúcuta.", language="fr")
    project("Agua", summary="Pozos en Turkana", language="es")
    for url, q, lang in [
        ("/news/", "cucuta", "fr"),
        ("/search/", "cucuta", "fr"),
        ("/projects/", "turkana", "es"),
        ("/search/", "turkana", "es"),
    ]:
        page = client.get(url, {"q": q, "lang": "all"}).content.decode()
        assert re.search(rf'class="snippet" lang="{lang}">[^<]*<mark>', page), (url, q)
    make_contact(office="IOM Cúcuta")  # a contact has no language: its snippet no lang
    page = client.get("/search/", {"q": "cucuta"}).content.decode()
    assert re.search(r'class="snippet">IOM <mark>Cúcuta</mark>', page)
    assert 'lang=""' not in page


def test_text_snippet_escapes_everything_but_the_marks():
    text = 'Aid for <Bogotá> & "Cali" ' + "x " * 200
    snippet = search.text_snippet(text, ["bogota"])
    assert snippet.startswith("Aid for &lt;<mark>Bogotá</mark>&gt; &amp; &quot;Cali&quot;")
    assert snippet.endswith(" …")
    assert search.text_snippet("", ["x"]) == ""


# --- Odd queries, drafts -----------------------------------------------------------------------


@pytest.mark.parametrize("q", ODD_QUERIES)
@pytest.mark.parametrize("url", ["/search/", "/news/", "/projects/", "/contacts/"])
def test_odd_queries_give_a_normal_page(client, url, q):
    news("Floods and migrants in Peru", body="<p>Border post.</p>")
    project("Migrants support", summary="Floods")
    make_contact(name="Marta Rojas")
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert b"Server error" not in response.content


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%00", "%C3", "migra%ED%A0%80nts"])
def test_invalid_utf8_in_the_query_string_gives_a_normal_page(client, raw):
    news("Floods and migrants in Peru")
    for url in ["/search/", "/news/", "/projects/", "/contacts/"]:
        assert client.get(f"{url}?q={raw}").status_code == 200


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_on_a_type_page(client, q):
    news("Floods and migrants in Peru")
    assert client.get("/search/", {"q": q, "type": "news", "page": "2"}).status_code == 200


def test_a_query_without_letters_or_digits_searches_nothing(client, django_assert_num_queries):
    news("Floods")
    with django_assert_num_queries(0):
        response = get_search(client, "!!! ()")
    assert response.context["sections"] == []
    assert "has no letters or digits" in response.content.decode()
    assert rows(client.get("/news/", {"q": "!!!"})) == []


def test_drafts_and_hidden_contacts_never_appear(client):
    published = news("Floods in Piura")
    news("Floods secret draft", publication_status=DRAFT)
    project("Floods project draft", publication_status=DRAFT)
    hidden = make_contact(name="Floods Hidden", is_public=False)
    response = get_search(client, "floods")
    assert found(response) == [published]
    assert found(response, "projects") == []
    assert found(response, "contacts") == []
    assert section(response, "news")["total"] == 1
    content = response.content.decode()
    assert "secret draft" not in content and "project draft" not in content
    assert hidden.get_absolute_url() not in content
    assert "draft" not in get_search(client, "floods", type="news").content.decode()
    assert rows(client.get("/news/", {"q": "secret"})) == []


# --- /search/: grouping, counts, pagination ----------------------------------------------------


def test_results_are_grouped_by_type_with_counts(client):
    items = [news(f"Floods report {n}") for n in range(7)]
    water = project("Floods and water", summary="After the floods")
    officer = make_contact(name="Ana Floods", office="IOM Peru")
    make_contact(name="Other Person")
    response = get_search(client, "floods")
    assert [s["key"] for s in response.context["sections"]] == ["news", "projects", "contacts"]
    assert [s["total"] for s in response.context["sections"]] == [7, 1, 1]
    assert len(found(response)) == 5
    assert set(found(response)) < set(items)
    assert found(response, "projects") == [water]
    assert found(response, "contacts") == [officer]
    content = response.content.decode()
    assert "News: 7 results" in content
    assert "Projects: 1 result<" in content
    assert 'href="?q=floods&amp;type=news">See all 7 news results' in content
    assert "See all 1 projects" not in content
    assert 'href="?q=floods&amp;type=contacts">Press contacts (1)' in content


def test_one_type_is_paginated(client, page_link):
    items = bulk_news_items(25, title="Floods bulletin")
    project("Floods and water")
    first = get_search(client, "floods", type="news")
    assert len(found(first)) == 20
    assert first.context["active_type"] == "news"
    assert section(first, "projects")["total"] == 1
    assert section(first, "projects")["rows"] == []
    next_url = page_link(first, "next")
    assert "q=floods" in next_url and "type=news" in next_url and "page=2" in next_url
    second = client.get(next_url)
    assert len(found(second)) == 5
    assert set(found(first)) | set(found(second)) == set(items)
    # A bad page number shows the nearest page; an unknown type shows every type.
    assert len(found(get_search(client, "floods", type="news", page="99"))) == 5
    assert get_search(client, "floods", type="nope").context["active_type"] == ""


def test_counts_stop_at_the_cap_and_only_the_newest_matches_are_ranked(client, monkeypatch):
    monkeypatch.setattr(search_results, "MAX_RESULTS", 3)
    old_title_match = news("Migrants old", published_on=datetime.date(2001, 1, 1))
    newer = [
        news(f"Report {n}", body="<p>migrants</p>", published_on=datetime.date(2020, 1, n))
        for n in range(1, 6)
    ]
    response = get_search(client, "migrants")
    assert section(response, "news")["total"] == 4  # MAX_RESULTS + 1: "3+"
    assert section(response, "news")["count_label"] == "3+"
    # The ranked candidates are the 4 newest matches: the old title match is not among them.
    assert old_title_match not in found(response)
    assert set(found(get_search(client, "migrants", type="news"))) == set(newer[1:])
    listing = client.get("/news/", {"q": "migrants"})
    assert listing.context["paginator"].count == 4
    assert "3+ items" in listing.content.decode()


# --- Lists -------------------------------------------------------------------------------------


def test_news_list_combines_q_with_the_country_filter(client):
    peru_title = news("Floods in Peru", countries=["PE"])
    peru_body = news("Rain", body="<p>floods</p>", countries=["PE"], published_on=None)
    news("Floods in Chile", countries=["CL"])
    news("Drought in Peru", countries=["PE"])
    response = client.get("/news/", {"q": "floods", "country": "PE"})
    assert rows(response) == [peru_title, peru_body]
    assert response.context["search"].by_relevance is True


def test_project_list_combines_q_with_status_and_a_chosen_sort_wins(client):
    water_active = project("Water for Turkana", status="active", budget_usd=1)
    body_active = project(
        "Schools", description="<p>Water points</p>", status="active", budget_usd=900
    )
    project("Water for Garissa", status="completed")
    assert rows(client.get("/projects/", {"q": "water", "status": "active"})) == [
        water_active,
        body_active,
    ]
    by_budget = client.get("/projects/", {"q": "water", "status": "active", "sort": "-budget"})
    assert rows(by_budget) == [body_active, water_active]
    assert by_budget.context["search"].by_relevance is False
    assert "<mark>Water</mark>" in by_budget.content.decode()


def test_contacts_list_q_searches_name_job_title_office_and_email(client):
    by_name = make_contact(name="Marta Rojas", job_title="", email="m1@iom.int")
    by_office = make_contact(name="X", office="IOM Bogotá", email="m2@iom.int")
    assert rows(client.get("/contacts/", {"q": "ROJAS"})) == [by_name]
    assert rows(client.get("/contacts/", {"q": "bogota"})) == [by_office]


def test_header_search_box_leads_to_the_search_page(client):
    content = client.get("/").content.decode()
    assert re.search(r'<form class="header-search" role="search" action="/search/"', content)
    assert 'name="q"' in content


def test_search_page_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = get_search(client, "")
    assert response.context["sections"] == []
    assert 'name="robots" content="noindex' in response.content.decode()


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("matches", [1, 30])
def test_search_page_query_count_is_constant(client, django_assert_num_queries, matches):
    bulk_news_items(matches, title="Floods bulletin")
    for n in range(min(matches, 8)):
        project(f"Floods project {n}")
        make_contact(name=f"Floods Officer {n}")
    with django_assert_num_queries(SEARCH_QUERIES):
        get_search(client, "floods")
    with django_assert_num_queries(SEARCH_QUERIES - 1):  # no project matches: no ranked rows
        get_search(client, '"floods bulletin" or officer -nothing')
    with django_assert_num_queries(SEARCH_TYPE_QUERIES):
        get_search(client, "floods", type="news", page="2")
    with django_assert_num_queries(SEARCH_TYPE_QUERIES):
        get_search(client, "flood", type="contacts")


@pytest.mark.parametrize("matches", [1, 30])
def test_list_query_count_with_q_is_constant(client, django_assert_num_queries, matches):
    bulk_news_items(matches, title="Floods bulletin", countries=["CO"])
    for n in range(min(matches, 25)):
        project(f"Floods project {n}")
    with django_assert_num_queries(NEWS_LIST_QUERIES):
        client.get("/news/", {"q": "floods", "country": "CO", "page": "2"})
    with django_assert_num_queries(PROJECT_LIST_QUERIES + 1):  # + the region's slug lookup
        client.get("/projects/", {"q": "floods", "status": "active", "region": "nowhere"})
    # A list in the reader's order pages by COUNT and OFFSET, and reads the candidates for the
    # facets: the candidates' (six) and the language's.
    with django_assert_num_queries(PROJECT_LIST_QUERIES):
        client.get("/projects/", {"q": "floods", "sort": "title"})


# --- PostgreSQL: the index, the trigger, the weights -------------------------------------------


def test_postgresql_search_uses_the_gin_index_and_the_fallback_scans():
    from news.models import NewsItem

    matches = NewsItem.objects.order_by().search("migrants").matches
    if not POSTGRES:
        assert "iomcms_words" in str(matches.query)
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matches.explain()
    assert "news_search_idx" in plan
    assert "websearch_to_tsquery" not in plan  # folded to a constant before planning


def test_postgresql_document_follows_edits():
    item = news("Old title")
    item.title = "Earthquake response"
    item.save()
    from news.models import NewsItem

    assert list(NewsItem.objects.search("earthquake").matches) == [item]
    assert list(NewsItem.objects.search("old").matches) == []
    NewsItem.objects.filter(pk=item.pk).update(lead="Tsunami warning")
    assert list(NewsItem.objects.search("tsunami").matches) == [item]


def test_postgresql_headline_or_fallback_snippet(client):
    news("Report", body="<p>" + "filler " * 60 + "the border post reopened</p>")
    snippet = found(get_search(client, '"border post"'))[0].snippet
    if POSTGRES:  # ts_headline marks each word of the phrase
        assert "<mark>border</mark> <mark>post</mark>" in snippet
    else:  # the fallback marks the phrase as one match
        assert "<mark>border post</mark>" in snippet
    assert snippet.count("filler") < 40


def test_postgresql_trigger_functions_are_the_ones_rendered_from_specs():
    """The database computes the documents ``SPECS`` says: a change to ``SPECS`` without a
    migration (iomcms/search/triggers.py) fails here."""
    if not POSTGRES:
        pytest.skip("the triggers exist on PostgreSQL only")
    from django.apps import apps

    from iomcms.search import triggers

    for label, spec in search.SPECS.items():
        table = apps.get_model(label)._meta.db_table
        function = triggers.function_name(table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [function])
            expected = triggers.function_body(spec.weights, spec.language, pairs=spec.pairs)
            assert cursor.fetchall() == [(expected,)], label
            cursor.execute(
                "SELECT a.attname FROM pg_trigger t "
                "JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr) "
                "WHERE t.tgname = %s ORDER BY array_position(t.tgattr::int2[], a.attnum)",
                [function],
            )
            assert [name for (name,) in cursor.fetchall()] == spec.trigger_columns(), label


def test_postgresql_configuration_migration_is_idempotent():
    """iomcms/0002 runs on databases that already have the configuration (from news/0003)."""
    if not POSTGRES:
        pytest.skip("the configuration exists on PostgreSQL only")
    import importlib

    migration = importlib.import_module("iomcms.migrations.0002_search")
    with connection.schema_editor(atomic=False) as editor:
        editor.execute(migration.CONFIGURATION)
        editor.execute(migration.CONFIGURATION)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector(%s, 'Bogotá ÉCOLE')::text", [search.specs.CONFIG])
        assert cursor.fetchone() == ("'bogota':1 'ecole':2",)


def _document_expression(sql):
    """The ``NEW.search_document := ...;`` expression of a trigger, spacing normalized."""
    expression = re.search(r"NEW\.search_document :=(.*?);", sql, re.DOTALL).group(1)
    return re.sub(r"\s*([()])\s*", r"\1", " ".join(expression.split()))


@pytest.mark.parametrize(
    ("migration", "label"),
    [("news.migrations.0003_search", "news.newsitem"),
     ("projects.migrations.0003_search", "projects.project"),
     ("contacts.migrations.0002_search", "contacts.contact")],
)  # fmt: skip
def test_rendered_triggers_compute_what_the_hand_written_ones_did(migration, label):
    """iomcms/0002 replaced the first, hand-written trigger functions without refilling a
    row: the rendered expression is theirs, but for spacing."""
    import importlib

    from iomcms.search import triggers

    hand_written = importlib.import_module(migration).FORWARD
    rendered = triggers.function_body(search.SPECS[label].weights)
    assert _document_expression(rendered) == _document_expression(hand_written)


# --- The result object -------------------------------------------------------------------------


def test_search_result_holds_matches_count_and_ranked_rows(django_assert_num_queries):
    from news.models import NewsItem

    in_title = news("Floods in Piura")
    in_body = news("Report", body="<p>After the floods</p>")
    news("Drought")
    news("Floods draft", publication_status=DRAFT)
    result = NewsItem.objects.published().search("  FLOODS ")
    assert result.query == "FLOODS" and result.searched
    assert set(result.matches) == {in_title, in_body}
    with django_assert_num_queries(2):  # the candidates (the count), then the best ranked
        fresh = NewsItem.objects.published().search("floods")
        top = fresh.top(1)
        assert (fresh.count, fresh.count_label, fresh.capped) == (2, "2", False)
    assert top == [in_title]
    rows = list(result.rows())
    assert rows == [in_title, in_body]
    assert "<mark>floods</mark>" in rows[1].snippet
    paginator = result.paginator(1)
    with django_assert_num_queries(2):  # the candidates (the count), then one ranked page
        assert paginator.count == 2
        assert list(paginator.page(2).object_list) == [in_body]


def test_rows_among_primary_keys_as_one_parameter(django_assert_num_queries):
    """filter_pks keeps what pk__in keeps; on PostgreSQL the keys are one array parameter."""
    from django.test.utils import CaptureQueriesContext

    from news.models import NewsItem

    items = [news(f"Item {n}") for n in range(4)]
    wanted = [items[3].pk, items[1].pk, 10**9]
    with CaptureQueriesContext(connection) as queries:
        kept = search_results.filter_pks(NewsItem.objects.all(), wanted)
        assert set(kept) == {items[3], items[1]}
    sql = queries.captured_queries[0]["sql"]
    assert ("= ANY(" in sql) is POSTGRES
    assert list(search_results.filter_pks(NewsItem.objects.all(), [])) == []
    both = search_results.filter_pks(NewsItem.objects.filter(title="Item 1"), wanted)
    assert list(both) == [items[1]]


def test_the_rows_shown_are_read_alone_with_the_ranks_of_the_candidates():
    """The candidates come with their ranks; the second query reads only the rows shown (no
    ranking there), and they keep the order of relevance, ties in natural order."""
    from django.test.utils import CaptureQueriesContext

    from news.models import NewsItem

    older = news("Migrants and migrants", published_on=datetime.date(2020, 1, 1))
    newer = news("Migrants and migrants", published_on=datetime.date(2021, 1, 1))
    weaker = news("Report", body="<p>Some migrants.</p>", published_on=datetime.date(2022, 1, 1))
    result = NewsItem.objects.published().search("migrants")
    with CaptureQueriesContext(connection) as queries:
        top = result.top(2)
    assert top == [newer, older]  # equal ranks: the newer first, as the list orders them
    assert top[0].rank == top[1].rank > dict(result._ranked_candidates)[weaker.pk]
    candidates_sql, rows_sql = (q["sql"] for q in queries.captured_queries)
    assert "LIMIT 501" in candidates_sql
    assert str(weaker.pk) not in rows_sql.split("WHERE", 1)[1]
    if POSTGRES:
        assert "ts_rank" in candidates_sql and "ts_rank" not in rows_sql
    assert result.ranked(2, 10) == [weaker] and result.ranked(3, 10) == []


def test_search_result_of_an_empty_or_wordless_query():
    from news.models import NewsItem

    item = news("Floods")
    everything = NewsItem.objects.published().search("")
    assert not everything.searched and list(everything.matches) == [item]
    wordless = NewsItem.objects.published().search("!!! ()")
    assert not wordless.searched and list(wordless.matches) == []
    assert wordless.top(5) == []


def test_the_top_of_a_search_without_matches_costs_one_query(django_assert_num_queries):
    from news.models import NewsItem

    news("Floods")
    with django_assert_num_queries(1):
        result = NewsItem.objects.published().search("drought")
        assert result.top(5) == []
        assert (result.count, result.count_label) == (0, "0")


def test_a_model_without_a_spec_cannot_be_searched():
    from projects.models import Region

    with pytest.raises(LookupError, match="no search spec"):
        search.spec_for(Region)


def test_search_fold_folds_case_accents_and_spacing():
    assert search.search_fold("Bogotá  ÉCOLE Æsir") == "bogota ecole aesir"
    assert search.search_fold(None) is None


def test_search_words_puts_a_space_before_every_word():
    from iomcms.search.folding import search_words, search_words_html

    assert search_words("L'Immigration (cross-border) «Bogotá»_2020") == (
        " l immigration cross border bogota 2020"
    )
    # ASCII text takes a faster path to the same answer.
    assert search_words("L'Immigration (Cross-Border)_2020") == " l immigration cross border 2020"
    assert search_words_html("<p>Émigration</p><p>&quot;Quoted&quot;</p>") == " emigration quoted"
    assert search_words(None) is None


# --- PostgreSQL: a configuration per language --------------------------------------------------

postgres_only = pytest.mark.skipif(not POSTGRES, reason="stemming exists on PostgreSQL only")


def news_found(q, language):
    from news.models import NewsItem

    return set(NewsItem.objects.published().search(q, language=language).matches)


@postgres_only
def test_postgresql_french_items_are_stemmed_and_accents_ignored():
    item = news("Les réfugiés arrivent", body="<p>Des inondations près de la frontière.</p>",
                language="fr")  # fmt: skip
    for q in ["réfugié", "refugie", "REFUGIES", "inondation", "frontières", "réfugié frontière"]:
        assert news_found(q, "fr") == {item}, q
    assert news_found('"réfugié arrivent"', "fr") == {item}  # a phrase, stemmed


@postgres_only
def test_postgresql_spanish_items_are_stemmed():
    item = news("Familias desplazadas", lead="Trabajadores y niños en Cúcuta", language="es")
    for q in ["desplazado", "familia", "trabajador", "niño", "nino", "cucuta"]:
        assert news_found(q, "es") == {item}, q


@postgres_only
def test_postgresql_english_is_stemmed_and_stop_words_still_match_as_written(client):
    plural = news("Migrants rescued at sea")
    singular = news("A migrant family", body="<p>The boat was rescued.</p>")
    assert news_found("migrant", "en") == {plural, singular}
    assert news_found("rescue", "en") == {plural, singular}
    # No stop words are dropped: "the" finds, and a phrase keeps its short words.
    assert news_found("the", "en") == {singular}
    assert news_found('"the boat"', "en") == {singular}
    assert news_found('"a boat"', "en") == set()
    # The word as typed ranks above another form of it.
    assert found(get_search(client, "migrants")) == [plural, singular]


@postgres_only
def test_postgresql_a_query_is_stemmed_in_the_readers_language_only():
    french = news("Des inondations à Dakar", language="fr")
    spanish = news("Familias desplazadas en Quito", language="es")
    # (The last word is also a prefix, "inondation" finds "inondations": it comes first here.)
    # Another language's item matches by the words as written...
    assert news_found("inondations dakar", "es") == {french}
    assert news_found("desplazadas quito", "fr") == {spanish}
    # ...not by other forms, which the reader's stemmer does not relate.
    assert news_found("inondation dakar", "es") == set()
    assert news_found("desplazado quito", "en") == set()
    assert news_found("inondation dakar", "fr") == {french}
    assert news_found("desplazado quito", "es") == {spanish}


@postgres_only
def test_postgresql_another_languages_items_match_by_the_words_as_written_only(client):
    from django.utils import translation

    from news.models import NewsItem

    english = news("Jobs posted at the border", language="en")  # English stem of "posted": post
    french = news("Les postes frontières", language="fr")  # French stem of "postes": post
    # The French reader's "postes" is stemmed in French: it finds the French item, not the
    # English one whose different word has the same stem in English.
    assert news_found("postes", "fr") == {french}
    assert news_found("posted", "fr") == {english}  # the word as written
    assert news_found("posted", "en") == {english}
    # The same rule when the rows are held to one language (a list's language filter): only
    # the reading that applies is written into the SQL.
    public = NewsItem.objects.published()
    in_french = public.filter(language="fr").search("postes", language="fr").matches
    in_english = public.filter(language="en").search("postes", language="fr").matches
    assert (set(in_french), set(in_english)) == ({french}, set())
    # (Another language than the reader's: on that language's document, the expression of
    # its own GIN index, whose statistics know the word is rare there; specs.)
    french_sql, english_sql = str(in_french.query), str(in_english.query)
    assert "iomcms_french" in french_sql and "CASE WHEN" not in french_sql
    assert """CASE WHEN "news_newsitem"."language" = 'en' THEN""" in english_sql
    assert "iomcms_french" not in english_sql
    # Every language: the rule in SQL, the reader's language stemmed, the others as written.
    unpinned = str(public.search("postes", language="fr").matches.query)
    assert "CASE WHEN" not in unpinned and "iomcms_french" in unpinned
    assert '"news_newsitem"."language" = fr AND' in unpinned
    # Through the pages, ranked and counted over every language (the date walk's SQL for
    # several words, too).
    with translation.override("fr"):
        for q in ["postes", "postes frontières"]:
            assert found(client.get("/fr/search/", {"q": q, "lang": "all"})) == [french], q
            assert rows(client.get("/fr/news/", {"q": q, "lang": "all"})) == [french], q


@postgres_only
def test_postgresql_a_search_in_one_language_reads_that_languages_index():
    """Each content language has a GIN index on its rows' documents (iomcms/migrations/0006):
    a search of rows held to one language is written on the same expression, so PostgreSQL
    uses that index (and its statistics): the planner takes an index only for an equal
    expression."""
    from iomcms.search.specs import LANGUAGE_CONFIGS, language_document_sql, language_index_name
    from news.models import NewsItem
    from projects.models import Project

    news("Des réfugiés à Dakar", language="fr")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for model in (NewsItem, Project):
            table = model._meta.db_table
            for code in LANGUAGE_CONFIGS:
                document = language_document_sql(
                    f'"{table}"."language"', code, f'"{table}"."search_document"'
                )
                # The expression the code writes is the index's: the planner takes it.
                cursor.execute(f"EXPLAIN SELECT 1 FROM {table} WHERE {document} @@ 'x'::tsquery")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert language_index_name(table, code) in plan, plan
                # A count of that language (the language facet) is written with it, and so
                # is a list in that language searched by a reader of another language (in
                # the reader's own, beside the list's language filter, the two estimates
                # would be multiplied: the plain document).
                for reader in ("fr", "en"):
                    rows = model.objects.filter(language=code).search("réfugiés", language=reader)
                    assert (document in str(rows.matches.query)) == (code != reader)
                    result = model.objects.published().search("réfugiés", language=reader)
                    assert document in result.count_in_language_sql(code, 501)[0]
    # Every language: the table-wide index.
    plan = NewsItem.objects.order_by().search("réfugiés", language="fr").matches.explain()
    assert "news_search_idx" in plan and "news_search_fr_idx" not in plan


@postgres_only
def test_postgresql_the_active_language_is_the_readers(client):
    from django.urls import reverse
    from django.utils import translation

    item = news("Des réfugiés à Dakar", language="fr")
    # The French interface (/fr/search/ once the URLs carry the language) stems in French.
    with translation.override("fr"):
        assert found(client.get(reverse("search"), {"q": "réfugié dakar"})) == [item]
    with translation.override("en"):  # English stems "réfugié" otherwise ("refugi")
        assert found(client.get(reverse("search"), {"q": "réfugié dakar"})) == []


@postgres_only
def test_postgresql_changing_the_language_recomputes_the_document():
    from news.models import NewsItem

    item = news("Des inondations à Dakar", language="es")  # the wrong language at first
    assert news_found("inondation dakar", "fr") == set()
    item.language = "fr"
    item.save()
    assert news_found("inondation dakar", "fr") == {item}
    NewsItem.objects.filter(pk=item.pk).update(language="es")
    assert news_found("inondation dakar", "fr") == set()


@postgres_only
def test_postgresql_projects_are_stemmed_in_their_language_and_drafts_never_found():
    from projects.models import Project

    live = project("Appui aux travailleurs migrants", language="fr")
    project("Appui aux travailleurs réfugiés", language="fr", publication_status=DRAFT)
    news("Travailleurs réfugiés", language="fr", publication_status=DRAFT)
    assert set(Project.objects.published().search("travailleur", language="fr").matches) == {live}
    assert news_found("travailleur réfugié", "fr") == set()
    assert set(Project.objects.search("travailleur", language="fr").matches) == set(
        Project.objects.all()
    )


@postgres_only
def test_postgresql_stemmed_queries_use_the_gin_index():
    from news.models import NewsItem

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for language in ["en", "fr", "es"]:
        plan = NewsItem.objects.order_by().search("réfugiés migra", language=language).matches
        plan = plan.explain()
        assert "news_search_idx" in plan, language
        assert "websearch_to_tsquery" not in plan, language  # folded to a constant


@postgres_only
def test_postgresql_snippets_mark_stemmed_matches(client):
    from django.utils import translation

    news("Rapport", body="<p>Les réfugiés sont arrivés à la frontière.</p>", language="fr")
    with translation.override("fr"):
        response = client.get("/fr/search/", {"q": "réfugié frontière"})
        snippet = found(response)[0].snippet
    assert "<mark>réfugiés</mark>" in snippet and "<mark>frontière</mark>" in snippet


def test_reader_configuration_follows_the_language_code(settings):
    from iomcms.search import specs

    assert specs.reader_config("fr") == "iomcms_french"
    assert specs.reader_config("es-mx") == "iomcms_spanish"
    assert specs.reader_config("de") == specs.CONFIG  # no configuration: words as written
    settings.LANGUAGE_CODE = "en"
    assert specs.reader_config(None) == "iomcms_english"


@postgres_only
def test_postgresql_refill_recomputes_every_document_in_batches():
    from iomcms.search import triggers

    items = [news(f"Les réfugiés {n}", language="fr") for n in range(5)]
    with connection.cursor() as cursor:  # not a trigger column: the documents stay empty
        cursor.execute("UPDATE news_newsitem SET search_document = NULL")
    assert news_found("réfugié", "fr") == set()
    with connection.schema_editor() as editor:
        triggers.refill_documents(editor, "news_newsitem", "title", batch=2)
    assert news_found("réfugié", "fr") == set(items)


# --- Phrases; snippets cut with the row's reading of the query (issue 13) ---------------------


def test_phrase_queries_find_what_they_found(client):
    adjacent = news("The border post reopened")
    apart = news("Post office near the border crossing")
    both = news("Border post and drought")
    drought = news("Drought")
    for q, expected in [
        ('"border post"', {adjacent, both}),
        ('"border post" reopened', {adjacent}),
        ('"border post" or drought', {adjacent, both, drought}),
        ('border -"border post"', {apart}),
        ('"border post" -reopened', {both}),
        ("border post", {adjacent, apart, both}),
    ]:
        assert set(found(get_search(client, q))) == expected, q
        assert set(rows(client.get("/news/", {"q": q}))) == expected, q


def test_the_readers_word_for_or_joins_alternatives(client):
    from django.utils import translation

    from iomcms.search.query import with_alternatives

    floods = news("Inondations au Sahel", language="fr")
    drought = news("Sécheresse au Sahel", language="fr")
    news("Dakar", language="fr")
    with translation.override("fr"):
        for url in ["/fr/search/", "/fr/news/"]:
            response = client.get(url, {"q": "inondations ou sécheresse"})
            listed = found(response) if url == "/fr/search/" else rows(response)
            assert set(listed) == {floods, drought}, url
            # The box shows the query as typed.
            assert 'value="inondations ou sécheresse"' in response.content.decode()
    inundaciones = news("Inundaciones en Cúcuta", language="es")
    sequia = news("Sequía en Cúcuta", language="es")
    with translation.override("es"):
        response = client.get("/es/search/", {"q": "inundaciones o sequía"})
        assert set(found(response)) == {inundaciones, sequia}
    # Only between two terms, outside quotes, in the reader's language; "or" works in any.
    assert with_alternatives("ou", "fr") == "ou"
    assert with_alternatives("a ou", "fr") == "a ou"
    assert with_alternatives('"retour ou départ" OU b', "fr-ca") == '"retour ou départ" or b'
    assert with_alternatives("a -ou b", "fr") == "a -ou b"
    assert with_alternatives("floods ou drought", "en") == "floods ou drought"
    assert with_alternatives("a o b u c", "es") == "a or b or c"


@postgres_only
def test_postgresql_snippets_mark_what_matched_in_another_language(client):
    from django.utils import translation

    news("Report", body="<p>Talks about the inondations in Dakar.</p>", language="en")
    news("Rapport", body="<p>De la santé des travailleurs de la santé.</p>", language="fr")
    with translation.override("fr"):
        (row,) = found(client.get("/fr/search/", {"q": "inondations dakar", "lang": "all"}))
        assert "<mark>inondations</mark>" in row.snippet and "<mark>Dakar</mark>" in row.snippet
        (row,) = found(client.get("/fr/search/", {"q": "travailleurs de santé"}))
    assert "<mark>travailleurs</mark>" in row.snippet and "<mark>santé</mark>" in row.snippet


def test_snippet_marks_are_the_words_read_as_the_querys_in_the_rows_configuration():
    """What PostgreSQL's snippets mark (StemMarks): a word whose stem in the row's
    configuration is a query word's, the last word also as a prefix; words with a digit and
    every word in CONFIG as written."""
    from iomcms.search.snippets import StemMarks
    from iomcms.search.specs import CONFIG

    def marked(text, words, prefix, config):
        return [text[start:end] for start, end in StemMarks(words, prefix, config).spans(text)]

    # Snowball's French reads "réfugiées" as "refugie", not "refug": not marked, as not matched.
    french = "Les Réfugiés, un refuge; la refugee de Santiago et la SANTÉ des réfugiées."
    assert marked(french, ["refugie", "sante"], None, "iomcms_french") == [
        "Réfugiés", "refuge", "SANTÉ",
    ]  # fmt: skip
    # The same words read in English: another stemmer, other marks.
    assert marked(french, ["refugee"], None, "iomcms_english") == ["refugee"]
    english = "One family, two families; migrants, migration and immigration in 2020s."
    assert marked(english, ["families"], None, "iomcms_english") == ["family", "families"]
    assert marked(english, ["migra"], "migra", "iomcms_english") == ["migrants", "migration"]
    assert marked(english, ["2020s"], None, "iomcms_english") == ["2020s"]
    # As written (a contact, a language without a configuration): no stem.
    assert marked(english, ["families"], None, CONFIG) == ["families"]
    assert marked(english, [], None, "iomcms_english") == []


def test_a_snippet_reads_the_marks_no_further_than_its_end():
    """cut_snippet takes the spans in text order and stops at the snippet's end, so a long
    release's later matches are not looked for (StemMarks.spans stems them one by one);
    the snippet is the one the whole list of spans gives."""
    from iomcms.search.snippets import StemMarks, cut_snippet

    text = " ".join(f"word{n} migrants" for n in range(400))  # a match every few words
    marks = StemMarks(["migrants"], None, "iomcms_english")
    every = list(marks.spans(text))
    assert len(every) == 400
    spans = marks.spans(text)
    snippet = cut_snippet(text, spans)
    assert snippet == cut_snippet(text, every)
    assert snippet.startswith("word0 <mark>migrants</mark> word1") and snippet.endswith(" …")
    left = len(list(spans))  # the matches cut_snippet did not read
    assert 370 < left < 400


@postgres_only
def test_postgresql_snippets_stem_as_the_databases_configurations_do():
    """The snippets' stemmer (PyStemmer) and PostgreSQL's configurations read the newsroom's
    words alike: a word is marked exactly when the database matched it (a new PostgreSQL or
    PyStemmer whose Snowball stemmers disagree fails here)."""
    from iomcms.search.folding import search_fold
    from iomcms.search.snippets import StemMarks

    vocabulary = {
        "iomcms_english": "migrants migration displaced families family workers health "
        "returned voluntary return border posts floods drought children refugees asylum "
        "seekers reintegration trafficking smuggling emergencies happiness",
        "iomcms_french": "réfugiés réfugiée déplacées familles travailleurs santé retour "
        "volontaire frontière postes inondations sécheresse enfants demandeurs asile "
        "réintégration traite migrantes urgences soutien données",
        "iomcms_spanish": "migrantes desplazadas familias trabajadores salud retorno "
        "voluntario frontera pasos inundaciones sequía niños niñas refugiados solicitantes "
        "reintegración trata emergencias apoyo datos",
    }
    for config, words in vocabulary.items():
        marks = StemMarks([], None, config)
        with connection.cursor() as cursor:
            for word in words.split():
                cursor.execute("SELECT to_tsvector(%s::regconfig, %s)::text", [config, word])
                (lexeme,) = cursor.fetchone()
                assert lexeme.split(":")[0].strip("'") == marks.stem(search_fold(word)), (
                    config,
                    word,
                )


# --- PostgreSQL: the date walk before the GIN index (iomcms/search/postgres.py) ------------------


def walk_items():
    """Twelve news items, newest first: health workers in 1-6 and 9 (dense among the newest),
    "workers" alone in 7, a rare word in 12 (the oldest)."""
    bodies = {1: "health workers", 2: "workers of health", 3: "health workers", 4: "health workers",
              5: "health workers", 6: "workers in health", 7: "workers", 9: "health workers",
              12: "health workers zanzibar"}  # fmt: skip
    return [
        news(
            f"Item {n}",
            body=f"<p>{bodies.get(n, 'floods')}</p>",
            countries=["EC"],
            published_on=datetime.date(2020, 12, 31) - datetime.timedelta(days=n),
        )
        for n in range(1, 13)
    ]


def plain_candidates(result, limit):
    """The newest ``limit`` matches as the plain query finds them (GIN index, then sorted)."""
    return list(
        result.matches.order_by("-published_on", "-pk").values_list("pk", flat=True)[:limit]
    )


@postgres_only
@pytest.mark.parametrize(
    "q, probed, walked",
    [
        ("health workers", True, True),  # dense among the newest: the walk finds the newest 4
        ("health zanzibar", True, False),  # the probe finds no match: the GIN index
        ("workers -floods", False, False),  # one word: PostgreSQL estimates it well
        ('"health workers"', False, False),  # a phrase: no walk (it gains nothing)
        ("health or floods", False, False),  # an alternative: no walk
    ],
)
def test_postgresql_the_date_walk_finds_the_same_newest_matches(monkeypatch, q, probed, walked):
    from iomcms.search import postgres
    from news.models import NewsItem

    walk_items()
    monkeypatch.setattr(search_results, "MAX_RESULTS", 3)
    monkeypatch.setattr(postgres, "PROBE_ROWS", 4)  # 1 match of the newest 4 is enough
    result = NewsItem.objects.published().search(q, language="en")
    sql = result._candidates_query()
    assert isinstance(sql, search_results.RawSQL) is probed
    assert result.candidates == plain_candidates(result, 4)
    if probed:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql.sql, sql.params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        # The plain query's branch (the last one) ran only when the walk found too few.
        plain_branch = plan.rsplit("One-Time Filter", 1)[1]
        scans = [line for line in plain_branch.splitlines() if " on news_newsitem" in line]
        assert scans and all(("(never executed)" in line) is walked for line in scans)


@pytest.mark.parametrize(
    "q", ["health workers", "health zanzibar", "workers -floods", "health or floods"]
)
def test_carried_columns_come_with_their_own_candidates(monkeypatch, q):
    """SearchResult.carry: each candidate's own columns, read with the candidates whichever
    way they are found (on PostgreSQL the date walk, its plain query, or neither); the
    language column, which the walk reads for itself too, is carried all the same."""
    from iomcms.search import postgres
    from news.models import NewsItem

    walk_items()
    monkeypatch.setattr(search_results, "MAX_RESULTS", 3)
    monkeypatch.setattr(postgres, "PROBE_ROWS", 4)
    fields = ("published_on", "language", "kind")
    result = NewsItem.objects.published().search(q, language="en")
    result.carry(fields)
    assert result.candidates == NewsItem.objects.published().search(q).candidates
    own = {row[0]: row[1:] for row in NewsItem.objects.values_list("pk", *fields)}
    assert result.carried_values == [own[pk] for pk in result.candidates]
    assert len(result.carried_values) == len(result.candidates) > 0
    # Asked once the candidates are read, it changes nothing.
    result.carry(["title"])
    assert result.carried == fields


@postgres_only
def test_postgresql_a_walk_that_finds_too_few_gives_way_to_the_plain_query(monkeypatch):
    from iomcms.search import postgres
    from news.models import NewsItem

    walk_items()
    monkeypatch.setattr(search_results, "MAX_RESULTS", 6)  # 7 wanted: 1-6, then 9
    monkeypatch.setattr(postgres, "PROBE_ROWS", 4)
    monkeypatch.setattr(postgres, "WALK_ROWS", 7)  # the walk reads items 1-7 only: 6 matches
    result = NewsItem.objects.published().search("health workers", language="en")
    assert result.candidates == plain_candidates(result, 7)
    assert len(result.candidates) == 7


@postgres_only
def test_postgresql_the_walk_keeps_the_lists_other_filters_and_pages(client, monkeypatch):
    from iomcms.search import postgres

    items = walk_items()
    items[0].countries = ["PE"]
    items[0].save()
    monkeypatch.setattr(search_results, "MAX_RESULTS", 3)
    monkeypatch.setattr(postgres, "PROBE_ROWS", 4)
    listing = client.get("/news/", {"q": "health workers", "country": "PE"})
    assert [row.pk for row in listing.context["object_list"]] == [items[0].pk]
    listing = client.get("/news/", {"q": "health workers"})
    assert listing.context["paginator"].count == 4
    assert {row.pk for row in listing.context["object_list"]} == {i.pk for i in items[:4]}
    page = get_search(client, "health workers")
    assert section(page, "news")["count_label"] == "3+"
    assert set(found(page)) == set(items[:4])
