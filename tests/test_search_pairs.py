"""Phrases found through their word pairs on PostgreSQL (iomcms/migrations/0007_search_pairs).

Each news item's and project's adjacent lexemes are kept as tokens (five hexadecimal digits of
the SHA-256 of ``a~b``) in ``search_pairs``; a search held to one language that requires a
phrase also requires the phrase's tokens, which that language's GIN index answers, before the
documents are matched. The pairs only narrow: the rows found must be the ones the document
alone finds, whatever the phrase, the reader's language and the page. The query's shape
(which phrases are required) is plain Python and is checked on both databases.
"""

import hashlib

import pytest
from django.db import connection
from django.utils import translation

from iomcms.search.postgres import PostgreSQLSearch
from tests.factories import bulk_news_items, make_news_item, make_project

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not POSTGRES, reason="the word pairs exist on PostgreSQL only")


def token(a, b):
    """The token of the pair ``a`` ``b`` (two lexemes), as iomcms_pair_token computes it."""
    return hashlib.sha256(f"{a}~{b}".encode()).hexdigest()[:5]


def news(title, lead="", body="", **fields):
    fields.setdefault("dateline", "")
    return make_news_item(title=title, lead=lead, body=body, **fields)


@pytest.mark.parametrize(
    ("q", "phrases"),
    [
        ('"border post"', ["border post"]),
        ('"border post" reopened', ["border post"]),
        ('reopened "Border-Post" "voluntary return"', ["Border-Post", "voluntary return"]),
        ('"border post" or drought', []),  # an alternative: the phrase is not required
        ('drought -"border post"', []),  # excluded
        ('"border"', []),  # one word: no pair
        ('"border post', ["border post"]),  # unclosed: read to the end, as PostgreSQL does
        ("border post", []),
    ],
)
def test_the_phrases_a_query_requires(q, phrases):
    assert PostgreSQLSearch(q, "en").phrases == phrases


def found_everywhere(client, q, reader):
    """What ``q`` finds for a reader of ``reader``: the news list in the reader's language and
    in every language, the project list, and the site search's news and projects."""
    prefix = "" if reader == "en" else f"/{reader}"
    with translation.override(reader):
        found = {}
        for path, params in [
            ("/news/", {}),
            ("/news/", {"lang": "all"}),
            ("/projects/", {"lang": "all"}),
        ]:
            response = client.get(f"{prefix}{path}", {"q": q, **params})
            assert response.status_code == 200, (path, q)
            found[path, tuple(params.items())] = {row.pk for row in response.context["object_list"]}
        response = client.get(f"{prefix}/search/", {"q": q, "lang": "all"})
        assert response.status_code == 200, q
        for key in ("news", "projects"):
            section = next(s for s in response.context["sections"] if s["key"] == key)
            found["/search/", key] = {row.pk for row in section["rows"]}
    return found


CORPUS = [
    ("en", "The border post reopened", "<p>Trade at the border post resumed on Monday.</p>"),
    (
        "en",
        "Post office near the border",
        "<p>Border posts were closed; the post office was not.</p>",
    ),
    ("en", "Cross-border post-war trade", "<p>l'OIM's team: COVID-19 response at Dakar.</p>"),
    ("en", "Voluntary return", "<p>A voluntary return programme; returns were voluntary.</p>"),
    (
        "fr",
        "Le poste frontière rouvert",
        "<p>Les postes frontières de Rosso et de Saint-Louis.</p>",
    ),
    ("fr", "Retour volontaire", "<p>Le retour volontaire de l'OIM à Dakar, 2024-2025.</p>"),
    ("fr", "Frontière et poste", "<p>Un poste de santé à la frontière.</p>"),
    ("es", "El paso fronterizo", "<p>Retorno voluntario por el paso fronterizo de Cúcuta.</p>"),
    ("es", "Pasos fronterizos", "<p>Los pasos fronterizos y el retorno voluntario.</p>"),
]

PHRASES = [
    '"border post"',
    '"Border-Post"',
    '"border posts"',
    '"post office" "border post"',
    '"the border post" resumed',
    '"border post" trade',
    '"border post" reop',  # a prefix on the word after the phrase
    '"post border"',
    '"cross-border post-war"',
    '"post-war trade"',
    "\"l'OIM's team\"",
    '"COVID-19 response"',
    '"voluntary return"',
    '"voluntary returns"',
    '"poste frontière"',
    '"postes frontieres"',
    '"poste   frontière" rosso',
    '"retour volontaire"',
    '"l\'OIM à Dakar"',
    '"2024-2025"',
    '"paso fronterizo"',
    '"pasos fronterizos"',
    '"retorno voluntario"',
    '"Cúcuta"',
    '"border post',
    '"border post" or "retour volontaire"',
    'border -"border post"',
    '"a\\b post"',
    '"border \' post"',
]


@postgres_only
def test_postgresql_word_pairs_never_change_what_a_phrase_finds(client, monkeypatch):
    for language, title, body in CORPUS:
        news(title, body=body, language=language)
        make_project(title=title, summary="", description=body, language=language)
    news("Border post draft", body="<p>border post</p>", publication_status="draft")
    narrowed = {
        (q, reader): found_everywhere(client, q, reader)
        for q in PHRASES
        for reader in ("en", "fr", "es")
    }
    # The same searches with the pairs left out: the documents alone decide.
    monkeypatch.setattr(PostgreSQLSearch, "phrase_pairs_sql", lambda self, configs: None)
    for (q, reader), found in narrowed.items():
        assert found == found_everywhere(client, q, reader), (q, reader)
    # Not vacuous: the phrases find rows, in every language.
    assert narrowed['"border post"', "en"]["/news/", ()]
    assert narrowed['"poste frontière"', "fr"]["/news/", ()]
    assert narrowed['"retorno voluntario"', "es"]["/news/", ()]
    assert not narrowed['"post border"', "en"]["/news/", (("lang", "all"),)]


@postgres_only
def test_postgresql_a_phrase_search_in_one_language_requires_the_pairs_from_its_index(client):
    """Held to one language (the list's filter, whichever the reader's language), the match
    requires the phrase's tokens beside ``language = code``: that language's partial index,
    which PostgreSQL takes. A search of every language, or without a phrase, is written as
    before."""
    from news.models import NewsItem

    item = news("Le poste frontière rouvert", language="fr")
    narrowed = """("news_newsitem"."language" = %s AND "news_newsitem"."search_pairs" @@"""
    for reader in ("fr", "en"):
        rows = NewsItem.objects.published().filter(language="fr")
        result = rows.search('"poste frontière"', language=reader)
        sql, params = result.matches.query.sql_with_params()
        assert narrowed in sql and "fr" in params, reader
        assert set(result.matches) == {item}, reader
    for q in ['"poste frontière"', "poste frontière", '"poste frontière" or dakar']:
        result = NewsItem.objects.published().search(q, language="fr")
        assert "search_pairs" not in str(result.matches.query), q
    with connection.cursor() as cursor:
        # Many French rows, few with the pair: the language alone narrows little.
        bulk_news_items(300, language="fr")
        cursor.execute("ANALYZE news_newsitem")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT 1 FROM news_newsitem WHERE language = 'fr' AND search_pairs @@ %s",
            [token("post", "frontier")],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "news_pairs_fr_idx" in plan
    assert "news_newsitem_language" not in plan  # the index's condition: no bitmap of the language


@postgres_only
def test_postgresql_the_trigger_keeps_each_documents_word_pairs():
    item = news("Border post reopened", language="en")

    def pairs():
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_pairs::text FROM news_newsitem WHERE id = %s", [item.pk])
            return set(cursor.fetchone()[0].replace("'", "").split())

    # Stemmed in the item's language, and as written.
    wanted = {token("border", "post"), token("post", "reopen"), token("post", "reopened")}
    assert wanted <= pairs()
    item.title = "Post border"
    item.save()
    assert token("post", "border") in pairs() and token("post", "reopen") not in pairs()
    item.language = "fr"
    item.save()
    assert token("post", "bord") in pairs()  # the French stemmer's reading
    project = make_project(title="Border post", summary="", description="", language="en")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_pairs::text FROM projects_project WHERE id = %s", [project.pk]
        )
        assert token("border", "post") in cursor.fetchone()[0]


@postgres_only
def test_postgresql_phrase_pairs_are_required_only_when_plain_and_in_the_query():
    def pairs(query, phrase, config="iomcms_search"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT iomcms_phrase_pairs(websearch_to_tsquery(%s::regconfig, %s), "
                "websearch_to_tsquery(%s::regconfig, %s))::text",
                [config, query, config, phrase],
            )
            return cursor.fetchone()[0]

    assert pairs('"border post" x', '"border post"') == f"'{token('border', 'post')}'"
    french = pairs('"poste frontière"', '"poste frontière"', "iomcms_french")
    assert french == f"'{token('post', 'frontier')}'"
    assert pairs('"a b c"', '"a b c"') == f"'{token('a', 'b')}' & '{token('b', 'c')}'"
    assert pairs('"border"', '"border"') is None  # one lexeme
    assert pairs("border post", '"border post"') is None  # not a phrase of the query
    with connection.cursor() as cursor:
        # A lexeme with a quote or a backslash (written twice in a tsquery's text) is read
        # back as the document holds it.
        document = r"'it''s':1 'a\\b':2 'x':3"  # the lexemes it's and a\b
        phrase = r"'it''s' <-> 'a\\b'"
        cursor.execute(
            "SELECT iomcms_search_pairs(%s::tsvector) @@ iomcms_phrase_pairs(%s, %s), "
            "iomcms_phrase_pairs(%s, %s)::text",
            [document, phrase, phrase, phrase, phrase],
        )
        expected = token("it's", "a\\b")
        assert cursor.fetchone() == (True, f"'{expected}'")


@postgres_only
@pytest.mark.django_db(transaction=True)  # CREATE INDEX CONCURRENTLY: outside a transaction
def test_postgresql_the_pairs_migration_runs_again_harmlessly(client):
    """``migrate`` finishes an interrupted run by running it again: every step is idempotent
    and the rows keep (or get) their pairs."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("iomcms.migrations.0007_search_pairs")
    item = news("The border post reopened")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_newsitem SET search_pairs = NULL")
    with connection.schema_editor(atomic=False) as editor:
        migration.forward(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_pairs::text FROM news_newsitem WHERE id = %s", [item.pk])
        assert token("border", "post") in cursor.fetchone()[0]
    response = client.get("/news/", {"q": '"border post"'})
    assert [row.pk for row in response.context["object_list"]] == [item.pk]
