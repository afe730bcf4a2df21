"""Benchmark: search over N published news items on PostgreSQL, through the real views.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --count 100000 --searches 200 \\
        --database-url postgres://postgres@127.0.0.1:5432/iomcms_search_bench

It drops and re-creates the benchmark database, migrates it, generates N news items (seeded:
a Zipf-distributed vocabulary of English, French and Spanish words, accented place names, a
long tail of rare words, some "border post" phrases; 150-450 words of HTML body each) with
COPY, runs ANALYZE, then times ``--searches`` requests to ``/search/?q=...`` and as many to
``/news/?q=...`` with Django's test client, cycling through ``QUERIES`` (after one untimed
warm-up round), and prints p50/p95/max per URL and per query, and EXPLAIN ANALYZE of the
queries behind one search. ``--reuse`` keeps an already loaded database. The report is
appended to bench/results/search.txt.
"""

import datetime
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
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "migrants",  # very common
    "the",  # in every item ('simple' configuration: no stop words)
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
    "réfugiés",
    "Zanzibar",  # rare
    "{tail}",  # the rarest invented word of the vocabulary: about a hundred items
    "floods or drought",
    "migrants -floods",
    "qwertyuiop",  # no match
    "' OR 1=1 --",
]


def words(text):
    return text.split()


COMMON = words(
    "the of and to in a for on with by from at as is are was were has have said will this "
    "that their its more than over after new also who which been not they"
)
TOPIC = words(
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


def vocabulary(rng, size=20000):
    """Words with Zipf weights: common words first, then topics, places, foreign words and a
    long tail of invented words (rare ones appear in a handful of items)."""
    tail = set()
    while len(tail) < size:
        tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
    words = COMMON + TOPIC + PLACES + FOREIGN + sorted(tail)
    weights, total = [], 0.0
    for rank, _ in enumerate(words, start=1):
        total += 1.0 / rank**1.05
        weights.append(total)
    return words, weights


def sentence(rng, words, weights, count):
    chosen = rng.choices(words, cum_weights=weights, k=count)
    if rng.random() < 0.003:  # in about 5% of the items
        chosen[rng.randrange(count)] = "border post"
    if rng.random() < 0.003:
        chosen[rng.randrange(count)] = "voluntary return"
    if rng.random() < 0.00002:  # in a few dozen items
        chosen[rng.randrange(count)] = "Zanzibar"
    text = " ".join(chosen)
    return text[:1].upper() + text[1:] + "."


def rows(count, seed):
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    now = datetime.datetime.now(datetime.UTC)
    start = datetime.date(2000, 1, 1)
    for n in range(1, count + 1):
        title = sentence(rng, words, weights, rng.randint(6, 12))[:-1]
        lead = sentence(rng, words, weights, rng.randint(20, 40))
        paragraphs, remaining = [], rng.randint(150, 450)
        while remaining > 0:
            size = min(remaining, rng.randint(30, 90))
            sentences = []
            while size > 0:
                length = min(size, rng.randint(8, 25))
                sentences.append(sentence(rng, words, weights, length))
                size -= length
                remaining -= length
            paragraphs.append(f"<p>{' '.join(sentences)}</p>")
        yield (
            "published", now, now, "", "",
            title[:300], f"bench-{n}", rng.choice(KINDS), rng.choice(DATELINES),
            start + datetime.timedelta(days=rng.randrange(9500)),
            lead, "".join(paragraphs), ",".join(rng.sample(COUNTRIES, rng.randint(1, 2))), "",
        )  # fmt: skip


COLUMNS = (
    "publication_status, created, updated, source_file, source_hash, title, slug, kind, "
    "dateline, published_on, lead, body, countries, legacy_key"
)


def load(count, seed):
    """COPY the rows in (the trigger fills search_document); the GIN index is dropped during
    the load and built again afterwards, with the definition the migration gave it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('news_search_idx'::regclass)")
        (index_sql,) = cursor.fetchone()
        cursor.execute("DROP INDEX news_search_idx")
        with cursor.cursor.copy(f"COPY news_newsitem ({COLUMNS}) FROM STDIN") as copy:
            for row in rows(count, seed):
                copy.write_row(row)
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(index_sql)
        cursor.execute("VACUUM ANALYZE news_newsitem")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_requests(client, url, queries, searches):
    per_query = {q: [] for q in queries}
    for q in queries:  # warm-up, untimed
        assert client.get(url, {"q": q}).status_code == 200
    for n in range(searches):
        q = queries[n % len(queries)]
        started = time.perf_counter()
        response = client.get(url, {"q": q})
        per_query[q].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, q, response.status_code)
    return per_query


def explain(q, *, page=True):
    """EXPLAIN ANALYZE of the queries behind ``/news/?q=``: the candidates (the newest
    MAX_RESULTS + 1 matches; their number is the count), then, with ``page``, the ranked
    first page of 20 with snippets."""
    from iomcms import search
    from news.models import NewsItem

    def plan(queryset):
        text = queryset.explain(analyze=True)
        text = re.sub(r"ANY \('\{[0-9,]+\}'::bigint\[\]\)", "ANY ('{<ids>}'::bigint[])", text)
        return ["  " + line for line in text.splitlines()]

    result = NewsItem.objects.published().for_list().search(q)
    order = [*NewsItem._meta.ordering, "pk"]
    lines = [f"EXPLAIN ANALYZE /news/?q={q}, query 1 of 2 (the candidates):"]
    candidates = result.matches.order_by(*order).values_list("pk", flat=True)
    lines += plan(candidates[: search.MAX_RESULTS + 1])
    if page:
        ranked = result.rows(candidates=result.candidates)[:20]
        lines.append(f"EXPLAIN ANALYZE /news/?q={q}, query 2 of 2 (ranked page, snippets):")
        lines += plan(ranked)
    return lines


def main():
    args = loaded_database_arguments(
        __doc__, count=100000, timed="searches", timed_help="Timed requests per URL.",
        database="iomcms_search_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client

    from news.models import NewsItem

    loaded = None
    if NewsItem.objects.count() != args.count:
        started = time.perf_counter()
        load(args.count, args.seed)
        loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    tail = vocabulary(random.Random(args.seed))[0][-1]
    queries = [q.replace("{tail}", tail) for q in QUERIES]
    matching = {q: NewsItem.objects.published().search(q).count_label for q in queries}
    client = Client()
    timings = {
        url: time_requests(client, url, queries, args.searches) for url in ("/search/", "/news/")
    }

    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} published news items"
        + (f" (loaded in {loaded:.0f} s)" if loaded else ""),
    ]
    for url, per_query in timings.items():
        values = [ms for samples in per_query.values() for ms in samples]
        lines.append(
            f"  {url}?q=  {len(values)} requests: p50 {percentile(values, 0.5):6.1f} ms  "
            f"p95 {percentile(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
        )
    lines.append("  per query: matching items, median ms /search/ | /news/")
    for q in queries:
        medians = [statistics.median(timings[url][q]) for url in timings]
        lines.append(f"    {q!r:26} {matching[q]:>6}  {medians[0]:6.1f} | {medians[1]:6.1f}")
    lines += ["  " + line for line in explain("Zanzibar", page=False)]
    lines += ["  " + line for line in explain("migrants")]
    lines += ["  " + line for line in explain('"border post"', page=False)]
    publish("\n".join(lines), "search.txt")


if __name__ == "__main__":
    main()
