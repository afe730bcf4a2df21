"""The pure first stage of an import: bytes -> decoded, hashed and parsed pages.

Nothing here touches the database or imports models, so it can run in worker processes that
parse the next chunk of files while the main process writes the current one.
"""

import itertools
import logging
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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


def prepare_and_parse_chunk(sources):
    """Worker task: decode, hash and parse a chunk. The bytes are dropped before the result
    travels back, and the main process skips the pages the database already has."""
    prepared = []
    for source in sources:
        item = prepare(source)
        if not item.error:
            parse_into(item)
        item.source = Source(source.path, error=source.error)
        item.text = ""
        prepared.append(item)
    return prepared


def init_worker(settings_module):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()  # the parser's country names come from django-countries, which reads settings


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def prepared_in_workers(chunks, workers):
    """Yield each chunk prepared and parsed, by worker processes running ahead of the caller.

    At most ``workers + 1`` chunks are read ahead, so memory stays flat however many files a
    run has. Workers are spawned, not forked: a forked child would share the parent's open
    database socket. If the workers cannot start or die, the rest is parsed in this process.
    """
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "iomcms.settings.dev")
    pending = deque()
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=init_worker,
            initargs=(settings_module,),
        ) as pool:
            for chunk in chunks:
                pending.append((chunk, pool.submit(prepare_and_parse_chunk, chunk)))
                if len(pending) > workers:
                    chunk, future = pending[0]
                    result = future.result()
                    pending.popleft()
                    yield result
            while pending:
                chunk, future = pending[0]
                result = future.result()
                pending.popleft()
                yield result
    except BrokenProcessPool:
        logger.warning("Parser workers stopped; parsing the rest in the main process.")
        for chunk, _future in pending:
            yield [prepare(source) for source in chunk]
        for chunk in chunks:
            yield [prepare(source) for source in chunk]


def default_workers():
    return max(1, min(4, os.cpu_count() or 1))
