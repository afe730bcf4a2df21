"""The pure stage of an import: bytes -> decoded, hashed and parsed pages.

Nothing here touches the database, imports models or reads settings (the parser needs none),
so it runs in worker processes that parse the next chunk of files while the main process
writes the current one. The workers are spawned without setting Django up.
"""

import contextlib
import itertools
import logging
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from . import parser
from .parsing.model import note
from .sources import Source

logger = logging.getLogger(__name__)


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
    seq: int = 0  # the file's position in its run
    manifest_row: object = None  # the crawl manifest's row for this file (legacy.manifest.Row)


def prepare(source, max_bytes):
    """Decode and hash one source of at most ``max_bytes`` (pure: no database)."""
    item = Prepared(source)
    if source.error:
        item.error = source.error
    elif len(source.data) > max_bytes:
        item.error = note(
            "the file is larger than %(size)s KiB, too large to be one legacy page",
            size=max_bytes // 1024,
        )
    if item.error:
        return item
    try:
        text, warnings = parser.decode(source.data)
    except parser.ParseError as exc:
        item.error = exc.message
        return item
    item.text = text
    item.warnings = list(warnings)
    item.hash = parser.content_hash(text)
    return item


def parse_into(item):
    try:
        item.result = parser.parse(item.text)
    except parser.ParseError as exc:
        item.error = exc.message
    except Exception as exc:  # the parser promises ParseError only; a slip costs one file
        logger.exception("Parser failed on %s", item.source.path)
        item.error = note(
            "unexpected parser error (%(error)s); please report it", error=type(exc).__name__
        )


def parse_texts(texts):
    """Worker task: parse a batch of texts; (result, error) for each, in order."""
    results = []
    for text in texts:
        item = Prepared(Source("", b""), text=text)
        parse_into(item)
        results.append((item.result, item.error))
    return results


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# How often a worker checks that the import that started it is still alive (seconds).
PARENT_WATCH_INTERVAL = 0.5
# Stopping a run is the parent's job (import_legacy): the workers ignore these.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class ParserPool(ProcessPoolExecutor):
    def submit(self, *args, **kwargs):
        # Workers are started on demand, inside submit(). A worker takes a few hundred
        # milliseconds to reach worker_started(); a Ctrl-C meanwhile (sent to the whole
        # process group) would kill it with a traceback. With the stop signals blocked here,
        # new workers start with them blocked (the mask survives fork and exec) until they
        # ignore them; this process gets any that came meanwhile when they are unblocked.
        with _blocked(STOP_SIGNALS):
            return super().submit(*args, **kwargs)


@contextlib.contextmanager
def _blocked(signals):
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX: nothing to block
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def parser_pool(workers):
    """Worker processes for parsing. Spawned, not forked: a forked child would share the
    parent's open database socket. They run only this module and the parser, which need no
    Django settings, so they do not set Django up. Each watches for its parent's death
    (:func:`worker_started`)."""
    return ParserPool(
        workers,
        mp_context=get_context("spawn"),
        initializer=worker_started,
        initargs=(os.getpid(),),
    )


def worker_started(parent_pid):
    """Pool initializer: outlive no import, and leave stopping to the import.

    A worker waits for its next task on a pipe whose writing end it holds itself (the pool's
    call queue is pickled whole into every worker), so a parent killed with ``kill -9`` never
    closes it: without a watch the worker would wait there for ever, an orphan. A daemon thread
    checks every ``PARENT_WATCH_INTERVAL`` seconds that the parent is still the one that
    started the pool, and ends the process when it is not (its parent is then init or a
    subreaper). Polling ``getppid()`` works on every POSIX system and cannot fire early;
    Linux's ``PR_SET_PDEATHSIG`` would be immediate but is Linux-only, needs ctypes, and
    fires when the *thread* that spawned the worker ends, not the process.

    Ctrl-C in a terminal sends SIGINT to the whole process group, and a service manager may
    send SIGTERM to every process of the service: the workers ignore both, finish the chunk
    in hand, and the parent stops the run and shuts them down (import_legacy). SIGKILL, or
    the parent's death, still ends them.
    """
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # see ParserPool.submit
    threading.Thread(
        target=_exit_when_orphaned, args=(parent_pid,), name="parent-watch", daemon=True
    ).start()


def _exit_when_orphaned(parent_pid):
    while os.getppid() == parent_pid:
        time.sleep(PARENT_WATCH_INTERVAL)
    os._exit(1)  # no cleanup to do: a worker holds nothing but the task in hand


def default_workers():
    return max(1, min(4, os.cpu_count() or 1))
