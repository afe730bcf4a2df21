"""One contact identity, and the same records however a batch is split or interrupted.

The corpus is bench/make_legacy.py's, generated in-process (a few hundred files with repeated
press officers, name-only and e-mail contact blocks, damaged files). A run of the whole batch is
compared with the same files imported in consecutive parts, after a prefix, and after a run
that crashed in the middle of a chunk's transaction.
"""

import importlib.util
import itertools
import os
from pathlib import Path

import pytest
from django.utils.text import slugify

from contacts.models import Contact
from legacy import loader
from legacy.sources import iter_sources
from news.models import NewsItem, NewsItemContact
from projects.models import Project, ProjectType, Region

from .test_import import news_text, project_text, run, write

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A few seconds' worth; IOMCMS_TEST_SPLIT_COUNT=1000 gives a deeper check.
COUNT = int(os.environ.get("IOMCMS_TEST_SPLIT_COUNT", 300))


def _bench_module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    _bench_module("make_legacy").main(["--count", str(COUNT), "--out", str(folder), "--seed", "1"])
    return sorted(folder.glob("*.txt"))


def wipe():
    NewsItemContact.objects.all().delete()
    NewsItem.objects.all().delete()
    Project.objects.all().delete()
    Contact.objects.all().delete()
    Region.objects.all().delete()
    ProjectType.objects.all().delete()


def import_files(files, **options):
    importer = loader.Importer(chunk_size=options.pop("chunk_size", 40), **options)
    return list(importer.run(iter_sources(files)))


def dump():
    """Everything an import decides, without ids and timestamps (bench/import_splits.py's)."""
    return _bench_module("import_splits").canonical_state()


@pytest.fixture(scope="module")
def clean_run(corpus, django_db_setup, django_db_blocker):
    """The records of one uninterrupted run over the whole batch."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            import_files(corpus)
            state = dump()
            transaction.set_rollback(True)
    return state


def test_the_corpus_exercises_what_the_comparison_is_about(clean_run):
    # Enough of everything for the comparisons below to mean something.
    assert len(clean_run["news"]) > 150 and len(clean_run["projects"]) > 50
    assert len(clean_run["contacts"]) > 100
    assert sum(len(v) for v in clean_run["links"].values()) > len(clean_run["contacts"])
    emails = [c[2] for c in clean_run["contacts"]]
    assert "" in emails  # name-only contacts exist ...
    assert len(set(emails)) > 50  # ... beside ones with an address
    # One contact per person: no two contacts share an e-mail or a match key.
    assert len({c[8] for c in clean_run["contacts"]}) == len(clean_run["contacts"])


@pytest.mark.parametrize(
    "cuts",
    [(100, 200), (37,), (COUNT // 2, COUNT - 1)],
    ids=["three-parts", "small-first", "halves"],
)
def test_consecutive_parts_give_the_records_of_one_run(corpus, clean_run, cuts):
    wipe()
    bounds = [0, *cuts, len(corpus)]
    for start, end in itertools.pairwise(bounds):
        import_files(corpus[start:end])
    assert dump() == clean_run


def test_a_prefix_then_everything_gives_the_records_of_one_run(corpus, clean_run):
    wipe()
    import_files(corpus[:60])
    import_files(corpus[:200], chunk_size=250)
    results = import_files(corpus)
    assert dump() == clean_run
    assert [r.outcome for r in results].count("created") < len(corpus) - 200


class Crash(BaseException):
    """Stands for kill -9: nothing in the importer catches it."""


def test_a_run_killed_inside_a_transaction_then_rerun_gives_the_records_of_one_run(
    corpus, clean_run, monkeypatch
):
    wipe()
    persisted = []
    original = loader.Importer._persist

    def persist_then_die(self, plans):
        original(self, plans)  # written, not committed: the chunk's transaction is still open
        persisted.append(len(plans))
        if len(persisted) == 3:
            raise Crash

    monkeypatch.setattr(loader.Importer, "_persist", persist_then_die)
    with pytest.raises(Crash):
        import_files(corpus)
    monkeypatch.undo()
    half_done = NewsItem.objects.count() + Project.objects.count()
    assert 0 < half_done < len(clean_run["news"]) + len(clean_run["projects"])
    import_files(corpus)
    assert dump() == clean_run


def test_a_second_run_over_the_whole_batch_changes_nothing(corpus, clean_run):
    wipe()
    import_files(corpus)
    results = import_files(corpus)
    assert not {r.outcome for r in results} & {"created", "updated"}
    assert dump() == clean_run


# -- one person spelt several ways ----------------------------------------------------------

SPELLINGS = [
    ["Thomas Reinholt", "IOM Geneva", "E-mail: treinholt@iom.int"],
    ["THOMAS  REINHOLT", "iom geneva"],
    ["Thomás Reinholt.", "IOM-Geneva"],
    ["Thomas Reinholt", "IOM, Geneva", "E-mail: TReinholt@IOM.int"],
]


def _release(n, lines):
    return news_text(
        f"Release Number {n} From Geneva",
        contacts=["For more information, please contact:", *lines],
    )


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (1, 2, 3, 0), (3, 2, 1, 0)])
def test_one_person_spelt_several_ways_is_one_contact_in_one_run(tmp_path, order):
    for position, n in enumerate(order):  # files are read in name order
        write(tmp_path, f"{position}-{n}.txt", _release(n, SPELLINGS[n]))
    run(tmp_path)
    (contact,) = Contact.objects.all()
    assert contact.email == "treinholt@iom.int"
    assert contact.news_items.count() == 4


def test_one_person_spelt_two_ways_is_one_contact_across_runs(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write(first, "a.txt", _release(1, ["THOMAS  REINHOLT", "iom geneva"]))
    write(second, "b.txt", _release(2, ["Thomas Reinholt", "IOM Geneva"]))
    run(first)
    run(second)
    (contact,) = Contact.objects.all()
    assert (contact.name, contact.office) == ("THOMAS REINHOLT", "iom geneva")  # first seen
    assert contact.news_items.count() == 2
    # The admin would not call it a likely duplicate of anyone: it is the only one.
    assert Contact.objects.filter(match_key=contact.match_key).count() == 1


def test_a_name_only_contact_gains_the_address_a_later_run_gives(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write(first, "a.txt", _release(1, ["Thomas Reinholt", "IOM Geneva"]))
    write(second, "b.txt", _release(2, ["THOMAS REINHOLT", "IOM  Geneva", "E-mail: t@iom.int"]))
    write(second, "c.txt", _release(3, ["T. Reinholt", "IOM Media Centre", "E-mail: T@iom.int"]))
    run(first)
    run(second)
    (contact,) = Contact.objects.all()
    assert (contact.name, contact.email) == ("Thomas Reinholt", "t@iom.int")
    assert contact.news_items.count() == 3


def test_the_importer_asks_the_contacts_identity_rule(tmp_path):
    """Contact.objects.identify() and the importer agree, staff-made twins included."""
    older = Contact.objects.create(name="Ana Ruiz", office="IOM Peru")
    Contact.objects.create(name="ANA RUIZ", office="IOM  Peru")  # a twin staff made
    assert Contact.objects.identify("ana ruiz", "iom-peru") == older
    write(tmp_path, "a.txt", _release(1, ["Ana Ruíz", "IOM Peru"]))
    run(tmp_path)
    assert list(NewsItem.objects.get().contacts.all()) == [older]


def test_a_contact_whose_office_was_filled_in_is_found_the_same_way_in_one_run_or_two(tmp_path):
    """Its match key changes with its office: only the new key finds it, in memory as in the
    database (a stale key in memory once linked a name-only mention to it in one run, and to
    a new name-only contact when the batch came in two runs)."""
    pages = [
        ["Lucía Gómez", "E-mail: lgomez@iom.int"],
        ["Lucía Gómez", "IOM Peru", "E-mail: lgomez@iom.int"],  # fills the office
        ["Lucía Gómez", "Tel: +51 1 222 3333"],  # no office, no address
    ]
    folders = [tmp_path / name for name in ("a", "b", "c")]
    for n, (folder, lines) in enumerate(zip(folders, pages, strict=True)):
        folder.mkdir()
        write(folder, f"{n}.txt", _release(n, lines))

    run(*folders)
    one_run = dump()
    wipe()
    run(*folders[:2])
    run(*folders)
    assert dump() == one_run
    full = Contact.objects.get(email="lgomez@iom.int")
    assert full.office == "IOM Peru"
    assert Contact.objects.identify("Lucía Gómez", "", []) != full


def test_a_failed_page_gives_its_slug_back(tmp_path):
    """A page refused after its slug was chosen leaves the slug to the next page that wants
    it, so the slugs do not depend on whether the refused file shared the others' chunk."""
    stem = "Monthly Update " + "x" * 280
    write(tmp_path, "a.txt", news_text(stem + " and far too long for a title"))
    write(tmp_path, "b.txt", news_text(stem[:295]))
    results = import_files([tmp_path])
    assert [r.outcome for r in results] == ["failed", "created"]
    assert NewsItem.objects.get().slug == slugify(stem[:295])[:290].strip("-")


@pytest.mark.parametrize("kind", ["news", "project"])
def test_a_second_copy_of_a_page_fails_also_when_the_first_came_in_an_earlier_run(tmp_path, kind):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    if kind == "news":
        write(first, "x.txt", news_text("Monthly Update", body=["Lodwar – The first copy."]))
        write(second, "x.txt", news_text("Monthly Update", body=["Lodwar – The second copy."]))
    else:
        write(first, "p1.txt", project_text(title="The First Copy"))
        write(second, "p2.txt", project_text(title="The Second Copy"))
    one_run = [r.outcome for r in import_files([first, second])]
    state = dump()
    wipe()
    import_files([first])
    again = import_files([first, second])
    assert one_run == ["created", "failed"]
    assert [r.outcome for r in again] == ["unchanged", "failed"]
    assert "only the first was imported" in again[1].error
    assert dump() == state
