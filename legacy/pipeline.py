"""The pure first stage of an import: bytes -> decoded, hashed and parsed pages.

Nothing here touches the database or imports models, so it can run in worker processes that
parse the next chunk of files while the main process writes the current one.
"""

import itertools
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from . import parser

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class Source:
    """One legacy text to import: where it came from (for the report) and its bytes."""

    path: str
    data: bytes = b""
    error: str | None = None  # set when the source could not even be read


@dataclass
class Prepared:
    """A source after decoding and hashing; parsed only when it may need writing."""

    source: Source
    text: str = ""
    hash: str = ""
    warnings: list[str] = field(default_factory=list)
    result: parser.ParseResult | None = None
    unchanged: bool = False
    error: str | None = None


def prepare(source):
    """Decode and hash one source (pure: no database)."""
    item = Prepared(source)
    if source.error:
        item.error = source.error
    elif len(source.data) > MAX_FILE_BYTES:
        item.error = (
            f"the file is larger than {MAX_FILE_BYTES // 1024} KiB, too large to be one legacy page"
        )
    if item.error:
        return item
    try:
        text, warnings = parser.decode(source.data)
    except parser.ParseError as exc:
        item.error = str(exc)
        return item
    item.text = text
    item.warnings = list(warnings)
    item.hash = parser.content_hash(text)
    return item


def parse_into(item):
    try:
        item.result = parser.parse(item.text)
    except parser.ParseError as exc:
        item.error = str(exc)
    except Exception as exc:  # the parser promises ParseError only; a slip costs one file
        logger.exception("Parser failed on %s", item.source.path)
        item.error = f"unexpected parser error ({type(exc).__name__}); please report it"


def parse_texts(texts):
    """Worker task: parse a batch of texts; (result, error) for each, in order."""
    results = []
    for text in texts:
        item = Prepared(Source("", b""), text=text)
        parse_into(item)
        results.append((item.result, item.error))
    return results


def init_worker(settings_module):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()  # the parser's country names come from django-countries, which reads settings


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def parser_pool(workers):
    """Worker processes for parsing. Spawned, not forked: a forked child would share the
    parent's open database socket."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "iomcms.settings.dev")
    return ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=init_worker,
        initargs=(settings_module,),
    )


def default_workers():
    return max(1, min(4, os.cpu_count() or 1))
