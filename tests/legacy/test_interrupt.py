"""import_legacy stopped by a signal or killed: clean stops, whole files, no orphan workers.

The process tests run ``manage.py import_legacy --workers 2`` on 200 generated files
(bench/make_legacy.py) with chunks of 10, so the parser workers are busy for a few seconds,
against a SQLite file of their own (whatever database the suite runs on), and watch the
processes through /proc.
"""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from legacy import loader
from legacy.management.commands.import_legacy import (
    StopNow,
    interrupted_message,
    stop_on_signals,
)
from legacy.report import FileResult, Outcome, Summary
from legacy.sources import iter_sources
from news.models import NewsItem
from tests.legacy.test_import import news_text, write

ROOT = Path(__file__).resolve().parents[2]
FILES = 200
CHUNK = 10

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


# -- processes, through /proc --------------------------------------------------------------


def _stat(pid):
    """(state, ppid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name, in (), may hold anything
    return fields[0], int(fields[1]), int(fields[19])


def running(process):
    """Whether ``process`` (pid, start time) still runs. The start time tells it from a later
    process that was given the same pid."""
    pid, started = process
    stat = _stat(pid)
    return stat is not None and stat[2] == started and stat[0] != "Z"  # Z: exited, unreaped


def children(pid):
    """The running children of ``pid``, as (pid, start time)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(entry)) and stat[1] == pid and stat[0] != "Z":
            found.append((int(entry), stat[2]))
    return found


def parser_workers(pid):
    """The pool's workers (not multiprocessing's resource tracker)."""
    workers = []
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child[0]}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            workers.append(child)
    return workers


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


# -- a database and files for the child processes -----------------------------------------


def child_env(database):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iomcms.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    database = tmp_path_factory.mktemp("interrupt") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=child_env(database),
        check=True, timeout=120,
    )  # fmt: skip
    return database


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("interrupt") / "files"
    subprocess.run(
        [sys.executable, "bench/make_legacy.py", "--count", str(FILES), "--out", str(folder),
         "--seed", "11"],
        cwd=ROOT, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return folder


@pytest.fixture
def database(tmp_path, migrated):
    copy = tmp_path / "db.sqlite3"
    shutil.copy(migrated, copy)
    return copy


class Run(subprocess.Popen):
    """An import_legacy process whose output goes to files, not pipes: a worker that outlived
    it would hold a pipe open, and reading to its end would hang the test."""

    def __init__(self, database, files, *extra, workers=2, chunk_size=CHUNK):
        args = [sys.executable, "manage.py", "import_legacy", "--workers", str(workers),
                "--chunk-size", str(chunk_size), *map(str, extra), str(files)]  # fmt: skip
        self.out_path = database.with_suffix(".out")
        self.err_path = database.with_suffix(".err")
        with self.out_path.open("w") as out, self.err_path.open("w") as err:
            # A session of its own: a signal sent to its process group reaches no test runner.
            super().__init__(
                args, cwd=ROOT, env=child_env(database), stdout=out, stderr=err,
                start_new_session=True,
            )  # fmt: skip

    def outputs(self, timeout=120):
        """Wait for the end; (stdout, stderr)."""
        self.wait(timeout=timeout)
        return self.out_path.read_text(), self.err_path.read_text()


def start_whole_import(database, files):
    """A complete run, the quick way: one chunk, parsed in the process (a batch gives the same
    records whatever its chunks; tests/legacy/test_import_splits.py)."""
    return Run(database, files, workers=1, chunk_size=FILES)


def finished(process):
    out, err = process.outputs()
    assert process.returncode in (0, 1), err  # 1: the generator's damaged files failed
    assert "Traceback" not in err
    return out


def records(database):
    """What an import wrote, by source file: the fields that must not depend on how a batch
    was split (ids, timestamps and history aside)."""
    with sqlite3.connect(database) as db:
        news = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT n.source_file, n.title, n.slug, n.source_hash, n.legacy_key, n.body,"
                " (SELECT group_concat(c.name || ' / ' || c.office, '; ') FROM ("
                "   SELECT contact_id FROM news_newsitemcontact WHERE news_item_id = n.id"
                "   ORDER BY position) l JOIN contacts_contact c ON c.id = l.contact_id)"
                " FROM news_newsitem n"
            )
        }
        projects = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT source_file, title, slug, source_hash, project_code, budget_usd"
                " FROM projects_project"
            )
        }
        contacts = set(db.execute("SELECT name, office, email, phone FROM contacts_contact"))
    return news, projects, contacts


# -- through the process -------------------------------------------------------------------


@needs_proc
def test_workers_exit_when_the_import_is_killed(database, legacy_files):
    process = Run(database, legacy_files)
    try:
        workers = wait_until(lambda: len(w := parser_workers(process.pid)) == 2 and w, 60,
                             "two parser workers")  # fmt: skip
        helpers = children(process.pid)  # the workers and multiprocessing's resource tracker
    finally:
        process.kill()  # SIGKILL: no handler, no cleanup, no chance to stop them
        process.wait(timeout=30)
    assert set(workers) <= set(helpers)
    try:
        # Each worker checks for its parent twice a second (legacy/pipeline.py): 5 s is ten
        # times that, room enough for a loaded machine.
        wait_until(lambda: not any(map(running, helpers)), 5, "the workers to exit")
    finally:
        for helper in helpers:  # whatever the outcome, leave no orphan behind
            if running(helper):
                os.kill(helper[0], signal.SIGKILL)


@needs_proc
def test_sigterm_stops_cleanly_keeps_whole_files_and_a_rerun_completes(
    database, legacy_files, tmp_path, migrated
):
    reference = tmp_path / "reference.sqlite3"  # the batch in one uninterrupted run
    shutil.copy(migrated, reference)
    uninterrupted = start_whole_import(reference, legacy_files)
    report = tmp_path / "report.json"
    process = Run(database, legacy_files, "--report", report)
    workers = wait_until(lambda: parser_workers(process.pid), 60, "the parser workers")
    process.send_signal(signal.SIGTERM)
    out, err = process.outputs()

    assert process.returncode == 143, err
    assert "Traceback" not in err
    match = re.search(
        r"Interrupted \(SIGTERM\): (\d+) files? imported, the rest not touched; "
        r"re-run to continue\.",
        err,
    )
    assert match, err
    done = int(match[1])
    assert done < FILES
    assert done % CHUNK == 0  # whole chunks: it stopped between two
    assert re.search(rf"^{done} files?: \d+ created, 0 updated, 0 unchanged, ", out, re.M), out
    assert not any(map(running, workers))  # the pool was shut down

    written = json.loads(report.read_text())
    assert written["interrupted"] == "SIGTERM"
    assert len(written["files"]) == done
    assert sum(v for k, v in written["summary"].items() if k != "warnings") == done
    created = {Path(f["path"]).name for f in written["files"] if f["outcome"] == "created"}

    # Only whole files, and only those the report lists.
    partial_news, partial_projects, _ = records(database)
    assert set(partial_news) | set(partial_projects) == created

    # Running again completes the batch, ending where one uninterrupted run ends.
    again = finished(start_whole_import(database, legacy_files))
    assert f", 0 updated, {len(created)} unchanged, " in again
    finished(uninterrupted)
    final = records(database)
    assert final == records(reference)
    # The interrupted run's records were already what they end as.
    assert all(final[0][name] == row for name, row in partial_news.items())
    assert all(final[1][name] == row for name, row in partial_projects.items())


@needs_proc
@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["ctrl-c-on-the-terminal", "sigterm-to-the-service"],
)
def test_a_signal_to_the_whole_process_group_stops_the_run_cleanly(
    database, legacy_files, signum, status
):
    # Ctrl-C sends SIGINT to the terminal's process group, and a service manager may send
    # SIGTERM to every process of the service: workers included. They ignore it; the parent
    # stops the run and shuts them down.
    process = Run(database, legacy_files)
    workers = wait_until(lambda: parser_workers(process.pid), 60, "the parser workers")
    os.killpg(process.pid, signum)
    out, err = process.outputs()
    assert process.returncode == status, err
    assert f"Interrupted ({signum.name}): " in err
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert "Parser workers stopped" not in out + err  # none died under the parent
    assert re.search(r"^\d+ files?: ", out, re.M), out
    assert not any(map(running, workers))


# -- units ---------------------------------------------------------------------------------


def six_files(folder):
    for n in range(6):
        write(folder, f"{n}.txt", news_text(f"Release Number {n} About Herders"))


@pytest.mark.django_db
def test_a_stopped_run_ends_before_its_next_chunk(tmp_path):
    six_files(tmp_path)
    importer = loader.Importer(chunk_size=2)
    results = []
    for result in importer.run(iter_sources([tmp_path])):
        results.append(result)
        importer.stop("test")  # during the first chunk's results
    assert len(results) == 2
    assert importer.stopped == "test"
    assert NewsItem.objects.count() == 2


@pytest.mark.django_db
def test_a_stop_after_the_last_file_is_no_interruption(tmp_path):
    six_files(tmp_path)
    importer = loader.Importer(chunk_size=2)
    results = list(importer.run(iter_sources([tmp_path])))
    importer.stop("too late")
    assert len(results) == 6
    assert importer.stopped is None


def test_first_signal_asks_to_stop_the_second_stops_at_once():
    importer = loader.Importer()
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(importer):
        os.kill(os.getpid(), signal.SIGTERM)
        assert importer.stop_requested
        with pytest.raises(StopNow) as raised:
            os.kill(os.getpid(), signal.SIGINT)
        assert raised.value.signum == signal.SIGINT
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored


def test_the_interrupted_message_says_what_was_done():
    summary = Summary()
    for _ in range(3):
        summary.add(FileResult("a.txt", Outcome.CREATED))
    assert interrupted_message(summary, signal.SIGTERM) == (
        "Interrupted (SIGTERM): 3 files imported, the rest not touched; re-run to continue."
    )
    assert interrupted_message(summary, signal.SIGINT, dry_run=True) == (
        "Interrupted (SIGINT): 3 files checked, nothing written."
    )
    assert "twice" in interrupted_message(summary, signal.SIGINT, forced=True)
