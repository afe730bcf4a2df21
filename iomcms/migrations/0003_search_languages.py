"""Search per language on PostgreSQL: a text search configuration per content language, and
news and project documents read in their own language as well as word for word.

``iomcms_english``, ``iomcms_french`` and ``iomcms_spanish`` read words with PostgreSQL's
Snowball stemmer of their language, behind the ``unaccent`` dictionary, so "réfugiés" and
"réfugié" give one lexeme and accents never matter; numbers and mixed words go through
``unaccent`` and ``simple`` as in ``iomcms_search``. The stemmers are dictionaries of our own
(``iomcms_english_stem``...) without a stop-word list: a stop word dropped from a query
would turn the phrase ``"in sudan"`` into the word ``sudan``, and "the", "or", "a" are words
of other languages and parts of names (docs/decisions.md). The SQL is idempotent (creates
what is missing, sets the mappings either way). The ``unaccent`` extension exists already
(news/0003).

The news and project triggers now compute, for each row, the fields read with the
configuration of the row's ``language`` (stemmed) followed by the same fields read with
``iomcms_search`` (as written), and run again when ``language`` changes. Contacts keep their
trigger: they have no language (names, offices, addresses are searched as written).

Every existing news item and project is then recomputed, 10,000 ids per statement, each
statement its own transaction (``atomic = False``): no long lock, and an interrupted run is
finished by running ``migrate`` again. Until a row is recomputed it keeps its as-written
document, which the new queries still match (they always include the as-written reading).
See docs/operations.md for the time it takes. Reversing reinstalls the as-written triggers and
recomputes the rows; the configurations stay (harmless, and other objects may use them).
"""

from django.db import migrations

STEMMERS = {"iomcms_english": "english", "iomcms_french": "french", "iomcms_spanish": "spanish"}

CONFIGURATIONS = "\n".join(
    f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = '{name}_stem') THEN
        CREATE TEXT SEARCH DICTIONARY {name}_stem (TEMPLATE = snowball, LANGUAGE = {language});
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
        CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language});
    END IF;
END
$$;
ALTER TEXT SEARCH DICTIONARY {name}_stem (LANGUAGE = {language});
ALTER TEXT SEARCH CONFIGURATION {name}
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, {name}_stem;
ALTER TEXT SEARCH CONFIGURATION {name}
    ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;
"""
    for name, language in STEMMERS.items()
)

# A frozen copy of the weights in SPECS (see iomcms/migrations/0002_search).
WEIGHTS = {
    "news.NewsItem": (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",))),
    "projects.Project": (
        ("A", ("title", "project_code")),
        ("B", ("summary",)),
        ("C", ("description",)),
    ),
}


def install(apps, schema_editor, language):
    from iomcms.search import triggers

    if schema_editor.connection.vendor != "postgresql":
        return
    if language:
        schema_editor.execute(CONFIGURATIONS)
    for label, weights in WEIGHTS.items():
        table = apps.get_model(label)._meta.db_table
        triggers.install(schema_editor, table, weights, language=language, refill=True)


def forward(apps, schema_editor):
    install(apps, schema_editor, "language")


def backward(apps, schema_editor):
    install(apps, schema_editor, None)


class Migration(migrations.Migration):
    atomic = False  # the refill commits batch by batch
    dependencies = [
        ("iomcms", "0002_search"),
        ("news", "0010_languages"),
        ("projects", "0010_languages"),
    ]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
