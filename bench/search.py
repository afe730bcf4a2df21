"""Benchmark: search over N published news items on PostgreSQL, through the real views.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --count 100000 --searches 200 \\
        --database-url postgres://postgres@127.0.0.1:5432/iomcms_search_bench

It drops and re-creates the benchmark database, migrates it, generates N news items (seeded:
60% English, 25% French, 15% Spanish, ``LANGUAGES``; each from a Zipf-distributed vocabulary
of its language's common and topic words, accented place names, a long tail of rare words and
some set phrases such as "border post"; English items also hold a few French and Spanish
words; 150-450 words of HTML body each) with COPY, runs ANALYZE, then, for each reader
language, times ``--searches`` requests to the search page and as many to the news list
(``/search/?q=...``, ``/news/?q=...``; under ``/fr/`` and ``/es/`` once the URLs carry the
language, the interface language active either way) with Django's test client, cycling
through that language's ``QUERIES`` (after one untimed warm-up round; one request of each
language and URL in turn, so that a slow spell falls on all alike), and prints p50/p95/max
per language and URL and the median per query, and EXPLAIN ANALYZE of the queries behind a
few searches. ``--reuse`` keeps an already loaded database. ``--as-written`` times the
design before issue 13 on the same data, for comparison: it rewrites the loaded documents as
written only (no stemming; the trigger is left alone) and searches them so. The report is
appended to bench/results/search.txt.
"""

import datetime
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

from common import (  # bench/common.py (the script's folder is on sys.path)
    loaded_database_arguments,
    publish,
    run_header,
    setup_django,
    time_urls,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The queries timed for each reader language (the interface language the query is stemmed in).
QUERIES = {
    "en": [
        "migrants",  # very common
        "the",  # in every English item (no stop words)
        "IOM",
        "floods",
        "health",
        "displaced families",
        "border health workers",
        '"border post"',  # phrase
        '"voluntary return"',
        "migra",  # prefix: migrants, migration, migrant...
        "reintegr",
        "Bogota",  # finds Bogotá
        "Cucuta",
        "réfugiés",  # a French word: French items as written, English ones hold a few too
        "Zanzibar",  # rare
        "{tail}",  # the rarest invented word of the vocabulary: about a hundred items
        "floods or drought",
        "migrants -floods",
        "qwertyuiop",  # no match
        "' OR 1=1 --",
    ],
    "fr": [
        "migrants",  # French and English items
        "réfugié",  # stemmed: réfugiés, réfugiées
        "refugies",  # accents ignored
        "les",
        "frontière",
        "santé",
        "familles déplacées",
        "travailleurs de santé",
        '"poste frontière"',  # phrase
        '"retour volontaire"',
        "migra",
        "inondation",
        "Sénégal",
        "Dakar",
        "inondations ou sécheresse",
        "migrants -inondations",
        "Zanzibar",
        "qwertyuiop",
    ],
    "es": [
        "migrantes",
        "migrante",  # stemmed
        "desplazado",
        "los",
        "frontera",
        "salud",
        "familias desplazadas",
        "trabajadores de salud",
        '"paso fronterizo"',  # phrase
        '"retorno voluntario"',
        "migra",
        "niños",
        "Cúcuta",
        "Bogota",
        "inundaciones o sequía",
        "migrantes -inundaciones",
        "Zanzibar",
        "qwertyuiop",
    ],
}
# The share of the generated items written in each language.
LANGUAGES = {"en": 0.60, "fr": 0.25, "es": 0.15}


def words(text):
    return text.split()


COMMON = {}
TOPIC = {}
COMMON["en"] = words(
    "the of and to in a for on with by from at as is are was were has have said will this "
    "that their its more than over after new also who which been not they"
)
TOPIC["en"] = words(
    "migrants migration migrant displaced families refugees border return health support "
    "emergency floods drought camp shelter assistance humanitarian IOM government partners "
    "communities children women workers labour data report response protection trafficking "
    "survivors reintegration voluntary resettlement asylum climate livelihoods water "
    "sanitation vaccination cholera hurricane earthquake cyclone post office crossing route "
    "sea boat rescue coast desert corridor training funding donors programme project "
    "returnees host community cash transfers mental psychosocial diaspora remittances "
    "registration documentation detention alternatives evacuation relocation recovery "
    "resilience disaster risk reduction displacement tracking matrix survey assessment"
)
COMMON["fr"] = words(
    "de la le les des et à en du un une pour dans sur par au avec a été est sont qui que ont "
    "plus après aussi ce cette leur leurs nouveau selon ainsi entre"
)
TOPIC["fr"] = words(
    "migrants migration migrant migrante migrantes réfugiés réfugié réfugiées déplacés "
    "déplacées déplacé familles famille frontière frontières retour santé soutien urgence "
    "inondations inondation sécheresse camp abri assistance humanitaire OIM gouvernement "
    "partenaires communautés enfants femmes travailleurs travailleur données rapport réponse "
    "protection traite survivants réintégration volontaire réinstallation asile climat "
    "moyens eau assainissement vaccination choléra ouragan séisme cyclone poste passage route "
    "mer bateau sauvetage côte désert corridor formation financement donateurs programme "
    "projet rapatriés accueil transferts monétaires santé mentale psychosocial diaspora "
    "envois enregistrement documentation détention évacuation relocalisation relèvement "
    "résilience catastrophe risque réduction déplacement suivi matrice enquête évaluation"
)
COMMON["es"] = words(
    "de la el los las y en a del un una para por con que se es son fue han más después "
    "también este esta su sus nuevo según así entre"
)
TOPIC["es"] = words(
    "migrantes migrante migración refugiados refugiado desplazados desplazadas desplazado "
    "familias familia frontera fronteras retorno salud apoyo emergencia inundaciones "
    "inundación sequía campamento albergue asistencia humanitaria OIM gobierno socios "
    "comunidades niños niñas mujeres trabajadores trabajador datos informe respuesta "
    "protección trata sobrevivientes reintegración voluntario reasentamiento asilo clima "
    "medios agua saneamiento vacunación cólera huracán terremoto ciclón paso cruce ruta mar "
    "barco rescate costa desierto corredor capacitación financiamiento donantes programa "
    "proyecto retornados acogida transferencias efectivo psicosocial diáspora remesas "
    "registro documentación detención evacuación reubicación recuperación resiliencia "
    "desastre riesgo reducción desplazamiento seguimiento matriz encuesta evaluación"
)
# A few French and Spanish words in the English vocabulary (names of programmes, quotes).
FOREIGN = words(
    "réfugiés déplacés frontière santé retour migración desplazados frontera salud retorno "
    "niños mujeres comunidades asistencia población trabajadores acogida integración "
    "sécurité économie société éducation"
)
PLACES = words(
    "Bogotá Cúcuta Medellín Perú Panamá Darién Haïti Port-au-Prince Sénégal Niger Yémen "
    "Quito Lima Tumbes México Tapachula Juárez Mérida Nairobi Dakar Tripoli Kabul Dhaka "
    "Cox's Bazar Mogadishu Khartoum Juba Geneva Bangkok Manila"
)
DATELINES = ["Geneva", "Bogotá", "Cúcuta", "Nairobi", "Dakar", "Panamá", "Quito", "Dhaka"]
COUNTRIES = ["CO", "EC", "PE", "PA", "HT", "SN", "NE", "YE", "KE", "BD", "LY", "SO", "SD"]
KINDS = ["press-release", "news", "statement", "story", "briefing"]
SYLLABLES = words("ka lo mi te sa ru ne po li da vo ze ta mu si re no ga be fi")


# Set phrases, per language: (text, share of sentences).
PHRASES = {
    "en": [("border post", 0.003), ("voluntary return", 0.003)],
    "fr": [("poste frontière", 0.003), ("retour volontaire", 0.003)],
    "es": [("paso fronterizo", 0.003), ("retorno voluntario", 0.003)],
}


def vocabulary(rng, size=20000, language="en"):
    """Words of ``language`` with Zipf weights: common words first, then topics, places (and,
    in English, a few French and Spanish words) and a long tail of invented words (rare ones
    appear in a handful of items)."""
    tail = set()
    while len(tail) < size:
        tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
    foreign = FOREIGN if language == "en" else []
    words = COMMON[language] + TOPIC[language] + PLACES + foreign + sorted(tail)
    weights, total = [], 0.0
    for rank, _ in enumerate(words, start=1):
        total += 1.0 / rank**1.05
        weights.append(total)
    return words, weights


def sentence(rng, words, weights, count, language="en"):
    chosen = rng.choices(words, cum_weights=weights, k=count)
    for phrase, share in PHRASES[language]:  # each in about 5% of the items
        if rng.random() < share:
            chosen[rng.randrange(count)] = phrase
    if rng.random() < 0.00002:  # in a few dozen items
        chosen[rng.randrange(count)] = "Zanzibar"
    text = " ".join(chosen)
    return text[:1].upper() + text[1:] + "."


def rows(count, seed):
    rng = random.Random(seed)
    vocabularies = {language: vocabulary(rng, language=language) for language in LANGUAGES}
    languages, shares = list(LANGUAGES), list(LANGUAGES.values())
    now = datetime.datetime.now(datetime.UTC)
    start = datetime.date(2000, 1, 1)
    for n in range(1, count + 1):
        language = rng.choices(languages, weights=shares)[0]
        words, weights = vocabularies[language]
        title = sentence(rng, words, weights, rng.randint(6, 12), language)[:-1]
        lead = sentence(rng, words, weights, rng.randint(20, 40), language)
        paragraphs, remaining = [], rng.randint(150, 450)
        while remaining > 0:
            size = min(remaining, rng.randint(30, 90))
            sentences = []
            while size > 0:
                length = min(size, rng.randint(8, 25))
                sentences.append(sentence(rng, words, weights, length, language))
                size -= length
                remaining -= length
            paragraphs.append(f"<p>{' '.join(sentences)}</p>")
        yield (
            "published", now, now, "", "",
            title[:300], f"bench-{n}", rng.choice(KINDS), rng.choice(DATELINES),
            start + datetime.timedelta(days=rng.randrange(9500)),
            lead, "".join(paragraphs), ",".join(rng.sample(COUNTRIES, rng.randint(1, 2))), "",
            language, "", "{}",
        )  # fmt: skip


COLUMNS = (
    "publication_status, created, updated, source_file, source_hash, title, slug, kind, "
    "dateline, published_on, lead, body, countries, legacy_key, language, captions, raw_metadata"
)


def load(count, seed):
    """COPY the rows in (the trigger fills search_document and search_pairs); the GIN indexes
    of the search (the table-wide one and one per language, iomcms/migrations/0006, and the
    word pairs' per language, 0007) are dropped during the load and built again afterwards,
    with the definitions the migrations gave them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'news_newsitem' "
            "AND (indexname LIKE 'news\\_search\\_%' OR indexname LIKE 'news\\_pairs\\_%')"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        with cursor.cursor.copy(f"COPY news_newsitem ({COLUMNS}) FROM STDIN") as copy:
            for row in rows(count, seed):
                copy.write_row(row)
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE news_newsitem")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_requests(client, blocks, searches):
    """``{(language, name): {q: [ms, ...]}}``: ``searches`` requests of each block (``{(language,
    name): (url, queries)}``, cycling through its queries), the blocks in turn, one request
    each, so that a slow spell of the machine falls on every block alike (timed one block
    after another, a minute's slow spell made one language look slower). The interface
    language is active during each request: LocaleMiddleware sets it from the URL's prefix,
    the override stands for an unprefixed (English) URL."""
    from django.utils import translation

    timings = {key: {q: [] for q in queries} for key, (_url, queries) in blocks.items()}
    for (language, _name), (url, queries) in blocks.items():  # warm-up, untimed
        with translation.override(language):
            for q in queries:
                assert client.get(url, {"q": q}).status_code == 200
    for n in range(searches):
        for (language, name), (url, queries) in blocks.items():
            q = queries[n % len(queries)]
            with translation.override(language):
                started = time.perf_counter()
                response = client.get(url, {"q": q})
                timings[language, name][q].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, q, response.status_code)
    return timings


def explain(q, language="en", *, page=True):
    """EXPLAIN ANALYZE of the queries behind ``/news/?q=`` for a reader of ``language``: the
    candidates with their ranks (the newest MAX_RESULTS + 1 matches; their number is the
    count), then, with ``page``, the 20 most relevant of them, read with their snippets. The
    items in the reader's language only, as the list shows them by default (its ``lang``
    filter)."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from news.models import NewsItem

    def plan(query):
        if isinstance(query, RawSQL):  # the statement the view runs (the gated date walk)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + query.sql, query.params)
                text = "\n".join(line for (line,) in cursor.fetchall())
        else:
            text = query.explain(analyze=True)
        text = re.sub(r"ANY \('\{[0-9,]+\}'::bigint\[\]\)", "ANY ('{<ids>}'::bigint[])", text)
        return ["  " + line for line in text.splitlines()]

    items = NewsItem.objects.published().for_list().filter(language=language)
    result = items.search(q, language=language)
    where = f"/{language}" if language != "en" else ""
    lines = [f"EXPLAIN ANALYZE {where}/news/?q={q}, query 1 of 2 (the candidates):"]
    # The candidates as the view finds them (iomcms.search.results.SearchResult): the plain
    # query, or PostgreSQL's probe-gated date walk for several words.
    lines += plan(result._candidates_query(ranked=True))
    if page:
        shown = result.shown_query(result._by_relevance[:20])
        lines.append(
            f"EXPLAIN ANALYZE {where}/news/?q={q}, query 2 of 2 (the page's rows, snippets):"
        )
        lines += plan(shown)
    return lines


def summary(label, values, reference_p50):
    """One line: p50, p95 (the issue's figure), p99, max, and the ratio of the one-line
    reference view's p50, timed in the same run, to this p50."""
    p50 = percentile(values, 0.5)
    return (
        f"  {label:18} {len(values)} requests: p50 {p50:6.1f} ms  "
        f"p95 {percentile(values, 0.95):6.1f} ms  p99 {percentile(values, 0.99):6.1f} ms  "
        f"max {max(values):6.1f} ms  ratio {reference_p50 / p50:.4f}"
    )


def as_written_only():
    """The design before issue 13: documents and queries as written only (``simple`` +
    ``unaccent``), for comparison on the same data."""
    import dataclasses

    from django.db import connection

    from iomcms.search import specs

    label = "news.newsitem"
    specs.SPECS[label] = dataclasses.replace(specs.SPECS[label], language=None)
    halves = [
        f"setweight(to_tsvector('{specs.CONFIG}', {text}), '{weight}')"
        for weight, text in [("A", "title"), ("B", "lead || ' ' || dateline"), ("C", "body")]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE news_newsitem SET search_document = {' || '.join(halves)}")
        cursor.execute("VACUUM ANALYZE news_newsitem")
        cursor.execute("REINDEX INDEX news_search_idx")


def main():
    as_written = "--as-written" in sys.argv
    if as_written:
        sys.argv.remove("--as-written")
    args = loaded_database_arguments(
        __doc__, count=100000, timed="searches", timed_help="Timed requests per URL and language.",
        database="iomcms_search_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from news.models import NewsItem

    loaded = None
    if NewsItem.objects.count() != args.count:
        started = time.perf_counter()
        load(args.count, args.seed)
        loaded = time.perf_counter() - started
    if as_written:
        as_written_only()
    with connection.cursor() as cursor:
        # Whether the table and its search indexes fit in PostgreSQL's buffers changes every
        # figure (docs/operations.md, "Memory"): the report says which it was.
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "pg_size_pretty(pg_total_relation_size('news_newsitem')), "
            "pg_size_pretty(pg_relation_size('news_search_idx')), "
            "avg(pg_column_size(search_document))::int FROM news_newsitem"
        )
        server_version, shared_buffers, table_size, index_size, document_bytes = cursor.fetchone()
    by_language = dict(
        NewsItem.objects.values_list("language").annotate(n=Count("pk")).order_by("language")
    )

    from django.test.utils import override_settings

    tail = vocabulary(random.Random(args.seed))[0][-1]
    load_before = os.getloadavg()[0]  # other work on the machine slows every figure
    client = Client()
    blocks, matching = {}, {}
    # The yardstick (bench/reference_urls.py): a one-line view, timed before and after.
    reference_url = "/__reference__/"
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference = time_urls(client, [reference_url], args.searches)[reference_url]
    for language, queries in QUERIES.items():
        queries = [q.replace("{tail}", tail) for q in queries]
        with translation.override(language):
            for q in queries:
                result = NewsItem.objects.published().search(q, language=language)
                matching[language, q] = result.count_label
            for name in ("search", "news:list"):
                blocks[language, name] = (reverse(name), queries)
    timings = time_requests(client, blocks, args.searches)

    with override_settings(ROOT_URLCONF="reference_urls"):
        reference += time_urls(client, [reference_url], args.searches)[reference_url]
    reference_p50 = percentile(reference, 0.5)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} published news items ("
        + ", ".join(f"{code} {n:,}" for code, n in by_language.items())
        + ")"
        + (f" (loaded in {loaded:.0f} s)" if loaded else "")
        + (", AS WRITTEN ONLY (the design before issue 13, for comparison)" if as_written else ""),
        f"  news_search_idx {index_size}, search_document {document_bytes} bytes a row on average; "
        f"shared_buffers {shared_buffers} for news_newsitem's {table_size} with its indexes; "
        f"load average before/after the timings {load_before:.1f}/{os.getloadavg()[0]:.1f}",
    ]
    for (language, name), per_query in timings.items():
        values = [ms for samples in per_query.values() for ms in samples]
        lines.append(summary(f"{language} {name}", values, reference_p50))
    everything = [ms for per_query in timings.values() for s in per_query.values() for ms in s]
    lines.append(summary("all", everything, reference_p50))
    lines.append(
        f"  one-line reference view: p50 {reference_p50:.2f} ms ({len(reference)} requests)"
    )
    lines.append("  per query: reader language, matching items, median ms search | news:list")
    for language, queries in QUERIES.items():
        for q in (q.replace("{tail}", tail) for q in queries):
            medians = [
                statistics.median(timings[language, name][q] or [float("nan")])
                for name in ("search", "news:list")
            ]
            lines.append(
                f"    {language} {q!r:28} {matching[language, q]:>6}  "
                f"{medians[0]:6.1f} | {medians[1]:6.1f}"
            )
    lines += ["  " + line for line in explain("Zanzibar", page=False)]
    lines += ["  " + line for line in explain("migrants")]
    lines += ["  " + line for line in explain('"border post"', page=False)]
    lines += ["  " + line for line in explain("réfugié", "fr")]
    lines += ["  " + line for line in explain("inondations ou sécheresse", "fr", page=False)]
    lines += ["  " + line for line in explain("travailleurs de santé", "fr")]
    lines += ["  " + line for line in explain('"poste frontière"', "fr", page=False)]
    lines += ["  " + line for line in explain('"paso fronterizo"', "es", page=False)]
    publish("\n".join(lines), "search.txt")


if __name__ == "__main__":
    main()
