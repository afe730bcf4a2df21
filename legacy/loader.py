"""Write parsed legacy pages to the database, chunk by chunk: the importer.

The parser (:mod:`legacy.parser`) turns text into plain data; :mod:`legacy.identity` says which
record a page is; this module builds the records and writes them. The command and the admin
upload page call :class:`Importer` and report what it yields (:mod:`legacy.report`).

Work is done in chunks of files: one query per chunk finds unchanged pages, one finds existing
records, one finds known contacts; then the chunk is written in one transaction with bulk
inserts. If the database refuses anything, that transaction is rolled back and the chunk is
written again one transaction per file, so a bad file leaves nothing behind and the run goes
on. Memory depends on the chunk size, not on how many files a run has.

With a crawl manifest (:mod:`legacy.manifest`), each file's row counts as part of its content
(its hash), gives an undated news page its date, goes into the record's legacy metadata, and
its old address gets a redirect (:class:`legacy.models.Redirect`) written with the file.

Files are written in the order they come, and every decision depends only on the files before
them and on what the database holds (which is what those files wrote): so a batch imported in
one run, in consecutive parts, or re-run after a crash ends in the same records.
"""

import collections
import logging
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from contacts.models import Contact
from iomcms import pagecache
from iomcms.permissions import edits_need_review
from iomcms.publishing import PublicationStatus
from iomcms.text import comparable_text
from news.models import NewsItem, NewsItemContact, NewsItemProject, NewsKind
from projects.codes import codes_in
from projects.models import Project, ProjectType, Region, version_for

from .countries import office_country
from .history import IMPORTED, REIMPORTED, attribute, attributed_deletions, history_reason
from .identity import (
    Claims,
    KnownContacts,
    NamedLists,
    file_name,
    news_key,
    person,
    project_keys,
)
from .manifest import folded_hash, published_on, row_warnings
from .models import Redirect
from .parsing.kinds import classify
from .parsing.model import note
from .pipeline import chunked, parse_into, parse_texts, parser_pool, prepare
from .rendering import paragraphs_to_html, split_lead
from .report import FileResult, Kind, Outcome, news_record, project_record
from .session import GrowingTables, relaxed_commits
from .slugs import SlugReservations
from .sources import max_file_bytes
from .validation import check_project_page, validate_fields, validation_message

logger = logging.getLogger(__name__)

CHUNK_SIZE = 250


@dataclass
class _Known:
    """Records this chunk may touch, found in one query per model, updated as files are planned."""

    news_by_key: dict = field(default_factory=dict)
    # project code -> {language: record}: a code is shared by a project's translations.
    projects_by_code: dict = field(default_factory=dict)
    projects_by_key: dict = field(default_factory=dict)  # legacy_key: pages without a code


@dataclass
class _Plan:
    report: FileResult
    obj: object
    is_new: bool
    contact_ids: list
    manifest_row: object = None
    # A release's projects: those its text names by code (legacy.loader._named_projects).
    projects: list = field(default_factory=list)


def _original_url(row):
    return row.url if row is not None and row.url else None


# The columns the importer finds records by, in batches: kept analysed on PostgreSQL while an
# import fills the tables (legacy.session.GrowingTables).
_LOOKED_UP_BY = (
    (NewsItem, ("source_hash", "legacy_key", "slug", "source_file")),
    (Project, ("source_hash", "legacy_key", "project_code", "slug", "source_file")),
    (Contact, ("slug", "match_key")),
    (Redirect, ("path",)),
)


def _language(page, row, warnings):
    """A page's language: the crawl manifest's, else what the parser read from the page
    (labels, then words: legacy.parsing.language), else English with a warning."""
    if row is not None and row.language:
        if page.language and page.language != row.language:
            warnings.append(
                note(
                    "the manifest gives the language %(language)s but the text reads as "
                    "%(read)s: the manifest's is kept",
                    language=row.language,
                    read=page.language,
                )
            )
        return row.language
    if page.language:
        return page.language
    warnings.append(
        note("the page's language could not be told from its text: English was assumed")
    )
    return "en"


def _codes_named(page):
    """The project codes a news page's title and text name (projects.codes)."""
    return codes_in(page.title, *page.paragraphs)


def _named_projects(page, known, language):
    """The projects a release names by code that exist when it is read (in the database or
    planned from an earlier file of this run), each as its version in the release's
    language, else the original (projects.models.version_for)."""
    found = []
    for code in _codes_named(page):
        project = version_for(known.projects_by_code.get(code, {}).values(), language)
        if project is not None:
            found.append(project)
    return found


def _know_by_code(known, obj):
    """Remember ``obj`` under its project code and language (once: its language may have
    changed since it was remembered)."""
    _forget_by_code(known, obj)
    if obj.project_code:
        known.projects_by_code.setdefault(obj.project_code, {})[obj.language] = obj


def _forget_by_code(known, obj):
    for versions in known.projects_by_code.values():
        for language in [language for language, other in versions.items() if other is obj]:
            del versions[language]


def _record_of_file(model, name):
    """The record an earlier run imported from the file called ``name`` (the newest, should
    two folders have held one)."""
    return model._default_manager.filter(source_file=name).order_by("-pk").first()


def _translation_conflict(obj, other, name):
    """Why ``obj`` cannot join ``other``'s translation group, or None."""
    if type(obj) is not type(other):
        return note(
            "not linked as a translation of %(file)s: one is a news item, the other a project",
            file=name,
        )
    if obj.language == other.language:
        return note(
            "not linked as a translation of %(file)s: both are in %(language)s",
            file=name,
            language=obj.language,
        )
    if obj.translation_group and other.translation_group:
        if obj.translation_group != other.translation_group:
            return note(
                "not linked as a translation of %(file)s: each already has translations of its "
                "own (link them in the admin)",
                file=name,
            )
        return None
    group = obj.translation_group or other.translation_group
    if group is not None:
        taken = (
            type(obj)
            ._default_manager.filter(translation_group=group)
            .exclude(pk__in=[obj.pk, other.pk])
        )
        clash = taken.filter(language__in=[obj.language, other.language]).first()
        if clash is not None:
            return note(
                "not linked as a translation of %(file)s: its group already has an item in "
                "%(language)s (%(item)s)",
                file=name,
                language=clash.language,
                item=str(clash),
            )
    return None


def _people(items):
    """(name, office, e-mails) of every contact the news pages of ``items`` name."""
    return (person(c) for i in items if i.result.kind == Kind.NEWS for c in i.result.page.contacts)


class Importer:
    """Imports legacy texts; reusable across calls (caches regions, types and contacts)."""

    def __init__(
        self,
        *,
        status=PublicationStatus.PUBLISHED,
        dry_run=False,
        workers=1,
        chunk_size=CHUNK_SIZE,
        user=None,
        manifest=None,
    ):
        self.status = status
        # The crawl manifest (legacy.manifest.Manifest), or None.
        self.manifest = manifest
        # Recorded as the author of the history entries this import writes (None: a command).
        self.user = user
        self.dry_run = dry_run
        self.workers = workers
        self.chunk_size = chunk_size
        self._pool = None
        self.started = timezone.now()
        self.run_id = object()
        self._contacts = KnownContacts()
        self._lists = NamedLists(dry_run)
        self._claims = Claims()
        self._seq = 0  # files read so far in this run
        self._slugs = SlugReservations()
        self._written_by_file = {}  # file name -> record, for translation links (manifest)
        self._tables = GrowingTables(_LOOKED_UP_BY)
        self._stop_reason = None
        # Why run() ended before the last file (see stop()); None when it read them all.
        self.stopped = None

    # -- public -------------------------------------------------------------------------

    def run(self, sources):
        """Import an iterable of :class:`Source`; yield a :class:`FileResult` per source.

        Per chunk, this process decodes and hashes the files and asks the database which pages
        it already has; only new or changed pages are parsed. On large runs the parsing goes
        to worker processes, which work on the next chunks while this process writes the
        current one. At most ``workers + 1`` chunks are in flight, so memory stays flat.

        After :meth:`stop`, the run ends before writing its next chunk: every file yielded so
        far is written (or failed) whole, no file after them is touched, ``stopped`` says why,
        and the worker processes are shut down.
        """
        in_flight = collections.deque()
        max_bytes = max_file_bytes()
        try:
            with relaxed_commits(not self.dry_run):
                for chunk in chunked(sources, self.chunk_size):
                    if self._stopping():
                        break
                    prepared = [prepare(source, max_bytes) for source in chunk]
                    for item in prepared:
                        item.seq, self._seq = self._seq, self._seq + 1
                        self._match_manifest(item)
                    self._mark_unchanged(prepared, in_flight)
                    to_parse = [p for p in prepared if not p.error and not p.unchanged]
                    future = None
                    if to_parse and self.workers > 1 and len(chunk) == self.chunk_size:
                        texts = [p.text for p in to_parse]
                        future = self._parser_pool().submit(parse_texts, texts)
                    in_flight.append((prepared, to_parse, future))
                    if len(in_flight) > max(self.workers, 1):
                        if self._stopping():
                            break
                        yield from self._finish_chunk(*in_flight.popleft())
                while in_flight and not self._stopping():
                    yield from self._finish_chunk(*in_flight.popleft())
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None

    def stop(self, reason):
        """Ask a running :meth:`run` to end before its next chunk (``reason``: say, the signal
        that asked). Safe to call from a signal handler: it only sets an attribute."""
        self._stop_reason = reason

    @property
    def stop_requested(self):
        return self._stop_reason is not None

    # -- chunk level --------------------------------------------------------------------

    def _match_manifest(self, item):
        """Give the file its manifest row, whose values count as part of its content."""
        if self.manifest is None:
            return
        item.manifest_row = self.manifest.row_for(item.source.path)
        if not item.error:
            item.hash = folded_hash(item.hash, item.manifest_row)

    def _stopping(self):
        """Whether to stop now, with files left; records why in ``stopped``."""
        if self._stop_reason is None:
            return False
        self.stopped = self._stop_reason
        return True

    def _parser_pool(self):
        if self._pool is None:
            self._pool = parser_pool(self.workers)
        return self._pool

    def _mark_unchanged(self, prepared, in_flight):
        """Mark pages the database already has, or that an earlier file in flight has."""
        hashes = {p.hash for p in prepared if p.hash}
        seen = set()
        for model in (NewsItem, Project):
            seen.update(
                model.objects.filter(source_hash__in=hashes)
                .order_by()
                .values_list("source_hash", flat=True)
            )
        for earlier, _, _ in in_flight:  # not written yet, so not in the database yet
            seen.update(p.hash for p in earlier if p.hash and not p.error)
        for item in prepared:
            if item.error:
                continue
            if item.hash in seen:
                item.unchanged = True  # imported before, or the same page twice in this run
                self._claims.add_unchanged(item.seq, item.hash, item.source.path)
            seen.add(item.hash)

    def _finish_chunk(self, prepared, to_parse, future):
        results = None
        if future is not None:
            try:
                results = future.result()
            except BrokenProcessPool:
                logger.warning("Parser workers stopped; parsing in the main process instead.")
                self.workers = 1
        for n, item in enumerate(to_parse):
            if results is None:
                parse_into(item)
            else:
                item.result, item.error = results[n]
        to_write = [item for item in to_parse if not item.error]

        known = self._load_known(to_write)
        self._reserve_slugs(to_write, known)

        written = self._write_chunk(to_write, known)
        if not self.dry_run:
            self._tables.grew(sum(r.outcome == Outcome.CREATED for r in written))
        written = iter(written)
        for item in prepared:
            if item.error:
                yield FileResult(
                    item.source.path, Outcome.FAILED, error=item.error, warnings=item.warnings
                )
            elif item.unchanged:
                yield FileResult(
                    item.source.path,
                    Outcome.UNCHANGED,
                    warnings=item.warnings,
                    original_url=_original_url(item.manifest_row),
                )
            else:
                yield next(written)

    def _load_known(self, items):
        """One query each for the news items, projects and contacts these files may be."""
        news_items = [i for i in items if i.result.kind == Kind.NEWS]
        projects = [i.result.page for i in items if i.result.kind == Kind.PROJECT]
        keys = [news_key(i.result.page, i.source.path) for i in news_items]
        known = _Known()
        for obj in NewsItem.objects.filter(legacy_key__in=keys):
            known.news_by_key[obj.legacy_key] = obj
        named = [code for item in news_items for code in _codes_named(item.result.page)]
        self._know_projects(known, projects, named)
        self._contacts.load(_people(items))
        return known

    def _reserve_slugs(self, items, known):
        """Find, in one query per model, which of this chunk's wanted slugs are taken."""
        self._slugs = SlugReservations()
        news, projects = [], []
        for item in items:
            page = item.result.page
            if item.result.kind == Kind.NEWS:
                news.append(NewsItem(title=page.title).slug_text())
            elif self._find_project(page, known, item)[0] is None:
                projects.append(
                    Project(project_code=page.project_code or "", title=page.title).slug_text()
                )
        self._slugs.look_up(NewsItem, news)
        self._slugs.look_up(Project, projects)

    # -- writing ------------------------------------------------------------------------
    #
    # Each file is planned (objects built and validated in Python, contacts resolved) and then
    # persisted. The fast path persists a whole chunk in one transaction with bulk inserts; if
    # the database refuses anything in it, that transaction rolls back whole and the chunk is
    # written again one file per transaction, so only the bad file fails. Either way a file is
    # all or nothing.

    def _write_chunk(self, items, known):
        if self.dry_run or len(items) < 2:
            return [self._write_one(i, known, items) for i in items]
        try:
            with transaction.atomic():
                reports, planned = [], []
                for item in items:
                    try:
                        plan = self._plan(item, known)
                    except ValidationError as exc:
                        self._forget_plan(item, known, items)
                        reports.append(self._failed(item, validation_message(exc)))
                        continue
                    reports.append(plan.report)
                    planned.append(plan)
                self._persist(planned)
            return reports
        except Exception:  # any failure: redo file by file, which reports it
            # The rolled-back attempt left its marks on the objects in memory (new primary
            # keys, filled-in fields): start the chunk again from what the database holds.
            self.run_id = object()
            for item in items:
                self._forget_written(item)
            known = self._reload(items)
            self._reserve_slugs(items, known)  # the slugs it handed out were never saved
            return [self._write_one(i, known, items) for i in items]

    def _write_one(self, item, known, chunk):
        try:
            with transaction.atomic():
                plan = self._plan(item, known)
                if not self.dry_run:
                    self._persist([plan])
            return plan.report
        except ValidationError as exc:
            error = validation_message(exc)
        except DatabaseError as exc:
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            error = note("the database refused the record: %(detail)s", detail=detail)
        except Exception as exc:
            logger.exception("Unexpected error importing %s", item.source.path)
            error = note(
                "unexpected error (%(error)s: %(detail)s); please report it",
                error=type(exc).__name__,
                detail=str(exc),
            )
        # Planning may have changed objects in memory (filled a contact's blanks, built or
        # changed this file's record) that the database never saw: read them back, so the
        # files after this one meet what the database holds, as a later run would.
        self._forget_plan(item, known, chunk)
        return self._failed(item, error)

    def _give_back_slug(self, item):
        """A failed file's new record was never saved: its slug goes to the next page that
        wants it, as it would in a run without the failed file."""
        taken = getattr(item, "slug_taken", None)
        if taken is not None:
            self._slugs.give_back(*taken)
            item.slug_taken = None

    def _forget_written(self, item):
        """A record rolled back is no translation to link to."""
        if item.manifest_row is not None:
            self._written_by_file.pop(item.manifest_row.file, None)

    def _forget_plan(self, item, known, chunk):
        """Undo in memory what planning a failed file did there (see _write_one)."""
        self._forget_written(item)
        if not getattr(item, "touched", False):
            return  # refused before anything was built
        self._give_back_slug(item)
        page = item.result.page
        if item.result.kind == Kind.NEWS:
            key = news_key(page, item.source.path)
            obj = NewsItem.objects.filter(legacy_key=key).first()
            if obj is None:
                known.news_by_key.pop(key, None)
            else:
                known.news_by_key[key] = obj
        else:
            self._forget_project(item, known)
        self._contacts.forget()
        self._lists.forget()
        self._contacts.load(_people(chunk))

    @staticmethod
    def _forget_project(item, known):
        """Put back the project record a failed file changed, or drop the one it built.

        The record may be one an earlier file of this chunk built and has not saved yet (a
        page with a code taking up its title's codeless record), so it is restored from the
        copy taken before planning rather than read back from the database.
        """
        before = getattr(item, "project_before", None)
        built = getattr(item, "project_built", None)
        changed = before[0] if before else built
        for key in [key for key, obj in known.projects_by_key.items() if obj is changed]:
            del known.projects_by_key[key]
        _forget_by_code(known, changed)
        if before is not None:
            obj, values = before
            obj.__dict__.clear()
            obj.__dict__.update(values)
            _know_by_code(known, obj)
            if obj.legacy_key:
                known.projects_by_key[obj.legacy_key] = obj

    def _reload(self, items):
        self._contacts.forget()
        self._lists.forget()
        return self._load_known(items)

    def _failed(self, item, error):
        warnings = [*item.warnings, *(item.result.warnings if item.result else [])]
        kind = Kind(item.result.kind) if item.result else None
        return FileResult(item.source.path, Outcome.FAILED, kind, error, warnings)

    def _persist(self, plans):
        """Write planned files, each insert, update and link deletion with its history row.

        History rows carry the importing user (``self.user``; none for the command) and a
        change reason naming the file. New rows and links get theirs in bulk, one INSERT per
        model and chunk, like the rows themselves.
        """
        plans = [plan for plan in plans if plan.obj is not None]  # older copies: nothing to write
        new_news, new_projects, changed = [], [], []
        for plan in plans:
            verb = IMPORTED if plan.is_new else REIMPORTED
            attribute(plan.obj, verb, plan.obj.source_file, self.user)
            if plan.is_new:
                (new_news if isinstance(plan.obj, NewsItem) else new_projects).append(plan.obj)
            else:
                changed.append(plan.obj)
        for model, objs in ((NewsItem, new_news), (Project, new_projects)):
            if objs:
                bulk_create_with_history(objs, model, default_user=self.user)
        changed_news = []
        for obj in changed:
            obj.save()
            if isinstance(obj, NewsItem):
                changed_news.append(obj)
        if changed_news:
            # A queryset delete with post_delete receivers deletes (and records) link by link;
            # the receiver names the file and user on those history rows.
            reasons = {obj.pk: history_reason(REIMPORTED, obj.source_file) for obj in changed_news}
            with attributed_deletions(NewsItemContact, self.user, reasons, "news_item_id"):
                NewsItemContact.objects.filter(news_item_id__in=list(reasons)).delete()
        links = []
        for plan in plans:
            verb = IMPORTED if plan.is_new else REIMPORTED
            for position, pk in enumerate(plan.contact_ids):
                link = NewsItemContact(news_item=plan.obj, contact_id=pk, position=position)
                attribute(link, verb, plan.obj.source_file, self.user)
                links.append(link)
        if links:
            bulk_create_with_history(links, NewsItemContact, default_user=self.user)
        self._link_projects(plans)
        self._save_redirects(plans)
        self._link_translations(plans)
        # bulk_create() sends no post_save: the page cache learns of the new rows here.
        pagecache.content_changed()

    def _link_projects(self, plans):
        """Link each release to the projects its text names (``_Plan.projects``), adding only
        the links it lacks: a re-import never removes one (staff may have chosen it) and never
        doubles one. One query for the links of the releases already stored, one insert."""
        wanted = [(plan, project) for plan in plans for project in plan.projects]
        if not wanted:
            return
        stored = [plan.obj.pk for plan, _ in wanted if not plan.is_new]
        existing = set(
            NewsItemProject.objects.filter(news_item_id__in=set(stored)).values_list(
                "news_item_id", "project_id"
            )
            if stored
            else ()
        )
        links = []
        for plan, project in wanted:
            pair = (plan.obj.pk, project.pk)
            if project.pk is None or pair in existing:
                continue
            existing.add(pair)
            link = NewsItemProject(news_item=plan.obj, project=project)
            attribute(
                link, IMPORTED if plan.is_new else REIMPORTED, plan.obj.source_file, self.user
            )
            links.append(link)
        if links:
            bulk_create_with_history(links, NewsItemProject, default_user=self.user)

    def _save_redirects(self, plans):
        """A redirect from each file's old address (its manifest row) to its record, in one
        query to find the ones there are and one insert. An address that already leads to
        another record keeps it (staff may have set it): the file gets a warning instead."""
        wanted = [
            (plan, plan.manifest_row.address)
            for plan in plans
            if plan.manifest_row is not None and plan.manifest_row.url
        ]
        if not wanted:
            return
        paths = {address.path for _, address in wanted}
        existing = {(r.host, r.path, r.query): r for r in Redirect.objects.filter(path__in=paths)}
        new = []
        for plan, address in wanted:
            target = "news_item" if isinstance(plan.obj, NewsItem) else "project"
            redirect = existing.get(address.key)
            if redirect is None:
                redirect = Redirect(old_url=plan.manifest_row.url, **{target: plan.obj})
                redirect.set_address(address)
                existing[address.key] = redirect
                new.append(redirect)
            elif getattr(redirect, f"{target}_id") != plan.obj.pk:
                plan.report.redirect = None
                plan.report.warnings.append(
                    note(
                        "the old address %(url)s already leads to “%(target)s”; that redirect "
                        "is kept (edit it in the admin)",
                        url=plan.manifest_row.url,
                        target=str(redirect.target),
                    )
                )
        if new:
            Redirect.objects.bulk_create(new)

    def _link_translations(self, plans):
        """Join each written record to the records of the files the manifest names as its
        translations (``translation_of``): those written earlier in this run, else the ones
        the database holds from an earlier run. A file read later links itself when it is
        written, so the order of the files does not matter. A link that would break a group
        (two items in one language, or two groups) is left to staff, with a warning."""
        if self.manifest is None or not self.manifest.has_translations:
            return
        for plan in plans:
            if plan.obj is not None and plan.manifest_row is not None:
                self._written_by_file[plan.manifest_row.file] = plan.obj
        for plan in plans:
            if plan.obj is None or plan.manifest_row is None:
                continue
            for name in self.manifest.translations(plan.manifest_row.file):
                other = self._written_by_file.get(name) or _record_of_file(type(plan.obj), name)
                if other is None:
                    continue  # not imported yet: linked when it is
                problem = _translation_conflict(plan.obj, other, name)
                if problem:
                    plan.report.warnings.append(problem)
                elif plan.obj.translation_group is None or (
                    plan.obj.translation_group != other.translation_group
                ):
                    plan.obj.link_translation(other)

    # -- planning: build and validate, touching the database only for shared lists --------

    def _plan(self, item, known):
        result = item.result
        page = result.page
        kind = Kind(result.kind)
        row = item.manifest_row
        warnings = [
            *item.warnings,
            *result.warnings,
            *row_warnings(
                row, is_news=kind == Kind.NEWS, page_date=getattr(page, "published_on", None)
            ),
        ]
        language = _language(page, row, warnings)
        if kind == Kind.NEWS:
            url = row.url if row else None
            news_kind = classify(page, url) if url else page.kind or classify(page)
            record = news_record(page, news_kind)
            key = news_key(page, item.source.path)
            obj = known.news_by_key.get(key)
            if obj is not None and self._taken_in_this_run(obj, item, same_name=True):
                raise ValidationError(
                    note(
                        "another file in this run (%(file)s) is the same page: same title, "
                        "date and file name; only the first was imported",
                        file=obj.source_file,
                    )
                )
            self._refuse_unreviewed(obj)
            is_new = obj is None
            item.touched = True
            obj = self._build_news(obj, page, item, key, news_kind, language)
            contact_ids = self._resolve_contacts(page.contacts, file_name(item.source.path))
            projects = _named_projects(page, known, language)
            record["projects"] = [project.project_code for project in projects]
            known.news_by_key[key] = obj
        else:
            record = project_record(page)
            obj, by_code = self._find_project(page, known, item, language)
            if obj is not None and not page.project_code and obj.project_code:
                # The record of this title was since imported from a page with its code:
                # that page says more, so this one is taken for an older copy of it.
                warnings.append(
                    note(
                        "an older copy of the project %(code)s (%(file)s), whose page gives "
                        "its code: not imported again",
                        code=obj.project_code,
                        file=obj.source_file,
                    )
                )
                report = FileResult(item.source.path, Outcome.UNCHANGED, warnings=warnings)
                return _Plan(report, None, False, [])
            # A page with a code that finds its title's codeless record is a later page of
            # that project, also in this run; any other record claimed in this run is a copy.
            upgrade = page.project_code and not by_code
            taken = obj is not None and self._taken_in_this_run(obj, item, same_name=False)
            if taken and not upgrade:
                if page.project_code:
                    same = note("the same project code %(code)s", code=page.project_code)
                elif page.prima_id:
                    same = note("the same title and Prima ID and no project code")
                else:
                    same = note("the same title and no project code")
                raise ValidationError(
                    note(
                        "another file in this run (%(file)s) has %(same)s; only the first was "
                        "imported",
                        file=obj.source_file,
                        same=same,
                    )
                )
            check_project_page(page)  # refused before anything is built: nothing to undo
            self._refuse_unreviewed(obj)
            is_new = obj is None
            item.project_before = None if obj is None else (obj, dict(obj.__dict__))
            item.project_built = None
            item.touched = True
            obj = item.project_built = self._build_project(obj, page, item, language)
            contact_ids, projects = [], []
            _know_by_code(known, obj)
            if obj.legacy_key:
                known.projects_by_key[obj.legacy_key] = obj
        obj._imported_in_run = self.run_id
        record["language"] = language
        outcome = Outcome.CREATED if is_new else Outcome.UPDATED
        report = FileResult(item.source.path, outcome, kind, None, warnings, record)
        if row is not None and row.url:
            report.original_url = row.url
            report.redirect = {"from": str(row.address), "to": obj.get_absolute_url()}
        return _Plan(report, obj, is_new, contact_ids, row, projects)

    def _refuse_unreviewed(self, obj):
        """Refuse the file when it would change ``obj`` and the importing user's changes to
        it must wait for review (``edits_need_review``: a live or scheduled item, a user who
        may not publish it). A pending revision is a posted change form (iomcms.review), which
        an import is not, so the file is refused whole, before anything is built; the staff
        member edits the item in the admin instead, where the change goes to review. Imports
        from the command line (no user) are the operators' own and are not refused."""
        if obj is None or self.user is None or not edits_need_review(self.user, obj):
            return
        if obj.state() == "scheduled":
            message = note(
                "“%(title)s” is scheduled to go live, and your changes to it must be reviewed: "
                "an import cannot change it. Edit it in the admin and submit your changes for "
                "review, or ask a Publisher to import this file",
                title=str(obj),
            )
        else:
            message = note(
                "“%(title)s” is live on the site, and your changes to it must be reviewed: an "
                "import cannot change it. Edit it in the admin and submit your changes for "
                "review, or ask a Publisher to import this file",
                title=str(obj),
            )
        raise ValidationError(message)

    def _know_projects(self, known, pages, named=()):
        """One query: the projects these pages may be, by code and by their keys, and those
        the chunk's releases name (``named`` codes)."""
        codes = [page.project_code for page in pages if page.project_code] + list(named)
        keys = [key for page in pages for key in project_keys(page)]
        if not codes and not keys:
            return
        for obj in Project.objects.filter(Q(project_code__in=codes) | Q(legacy_key__in=keys)):
            _know_by_code(known, obj)
            if obj.legacy_key:
                known.projects_by_key[obj.legacy_key] = obj

    @staticmethod
    def _find_project(page, known, item, language=None):
        """(record, found by its code) for a project page; (None, False) when it is new.

        By code first, in the page's language (translations share the code): the record of
        that code and language, else the record of that code imported from this file's name
        (the same page, its language read differently since); else by
        :func:`legacy.identity.project_keys`, taking only a record without another Prima ID
        and, for a page with a code, without another code (a record with a code that a page
        without one finds is that page's later version; see _plan).
        """
        if page.project_code:
            versions = known.projects_by_code.get(page.project_code, {})
            if language is None:
                language = _language(page, item.manifest_row, [])
            name = file_name(item.source.path)
            obj = versions.get(language) or next(
                (obj for obj in versions.values() if obj.source_file == name), None
            )
            if obj is not None:
                return obj, True
        prima = comparable_text(page.prima_id or "")
        for key in project_keys(page):
            obj = known.projects_by_key.get(key)
            if obj is None:
                continue
            if prima and obj.prima_id and comparable_text(obj.prima_id) != prima:
                continue
            if page.project_code and obj.project_code:
                continue  # another project of this title, with its own code
            return obj, False
        return None, False

    def _taken_in_this_run(self, obj, item, *, same_name):
        """Whether an earlier file of this run is ``obj``'s page (written, or unchanged)."""
        return (
            getattr(obj, "_imported_in_run", None) == self.run_id
            or (obj.updated is not None and obj.updated >= self.started)
            or self._claims.claimed_before(obj, item.seq, same_name=same_name)
        )

    def _base_fields(self, obj, item):
        return {
            "source_file": file_name(item.source.path),
            "source_hash": item.hash,
            "publication_status": obj.publication_status if obj else self.status,
        }

    def _build(self, model, obj, fields, item, fallback_slug):
        """A new ``model`` record from ``fields``, or ``obj`` updated with them; validated."""
        if item.manifest_row is not None:
            fields["raw_metadata"] = {
                **fields.get("raw_metadata", {}),
                **item.manifest_row.metadata(),
            }
        if obj is None:
            obj = model(**fields)
            obj.slug = self._slugs.take(model, obj.slug_text(), fallback_slug)
            item.slug_taken = (model, obj.slug)  # given back if the file fails
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
        obj.prepare_fields()  # what save() does, for the bulk insert that skips it
        validate_fields(obj)
        return obj

    def _build_news(self, obj, page, item, key, kind, language):
        lead, rest = split_lead(page.paragraphs)
        fields = {
            **self._base_fields(obj, item),
            "language": language,
            "title": page.title,
            "kind": NewsKind(kind),
            "dateline": page.dateline or "",
            "published_on": published_on(page.published_on, item.manifest_row),
            "raw_metadata": {},
            "lead": lead,
            "body": paragraphs_to_html(rest),
            "captions": "\n".join(page.captions),
            "countries": page.countries,
            "legacy_key": key,
        }
        return self._build(NewsItem, obj, fields, item, "news")

    def _build_project(self, obj, page, item, language):
        summary, rest = split_lead(page.paragraphs)
        fields = {
            **self._base_fields(obj, item),
            "language": language,
            "title": page.title,
            "project_code": page.project_code or "",
            "prima_id": page.prima_id or "",
            "status": page.status_normalized or "",
            "project_type": self._lists.get(ProjectType, page.project_type),
            "region": self._lists.get(Region, page.region),
            "start": page.start.isoformat() if page.start else "",
            "end": page.end.isoformat() if page.end else "",
            "year": page.year,
            "budget_usd": page.budget_usd,
            "coverage": page.coverage_normalized or "",
            "benefiting_states": [s.code for s in page.benefiting_states if s.code],
            "summary": summary,
            "description": paragraphs_to_html(rest),
            "raw_metadata": dict(page.metadata),
        }
        if obj is None and not page.project_code:
            # A record found by its key later (also once a page gives its code) keeps it.
            fields["legacy_key"] = project_keys(page)[0]
        return self._build(Project, obj, fields, item, "project")

    # -- contacts -------------------------------------------------------------------------

    def _resolve_contacts(self, parsed_contacts, source_file):
        """Contact ids for a release, in order, without duplicates; creates unknown people.

        Every new contact is built and validated before any is saved, so a bad e-mail on the
        second contact cannot leave the first one behind.
        """
        contacts, new = [], []
        for parsed in parsed_contacts:
            if not parsed.name and not parsed.emails:
                continue  # an office or a phone alone is nobody to link (the parser warned)
            contact, is_new = self._contact_for(parsed)
            contacts.append(contact)
            if is_new:
                new.append(contact)
        for contact in new:
            validate_fields(contact, exclude=["slug"])
        if not self.dry_run:
            for contact in contacts:
                if contact.pk is None or getattr(contact, "_fill", None):
                    verb = IMPORTED if contact.pk is None else REIMPORTED
                    attribute(contact, verb, source_file, self.user)
                    contact.save()
                    contact._fill = None
                    self._contacts.add(contact)  # now with its id: the oldest of look-alikes
        return list(dict.fromkeys(c.pk for c in contacts if c.pk is not None))

    def _contact_for(self, parsed):
        """The known contact this parsed one is, or a new unsaved one; never a duplicate."""
        name, office, emails = person(parsed)
        contact = self._contacts.find(name, office, emails)
        phone = " or ".join(parsed.phones)[:100]
        mobile = " or ".join(parsed.mobiles)[:100]
        if contact is None:
            contact = Contact(
                name=name,
                office=office,
                job_title=parsed.job_title[:200],
                email=parsed.emails[0] if parsed.emails else "",
                phone=phone,
                mobile=mobile,
                country=office_country(parsed.office) or "",
                # Listed by default: contacts.Contact.objects.published() keeps a person off
                # the site until a release naming them is live, whatever the import's status.
            )
            self._contacts.add(contact)
            return contact, True
        # Fill what the contact lacks; never overwrite what staff may have corrected.
        for field_name, value in (
            ("email", parsed.emails[0] if parsed.emails else ""),
            ("phone", phone),
            ("mobile", mobile),
            ("job_title", parsed.job_title[:200]),
            ("office", office),
        ):
            if value and not getattr(contact, field_name):
                setattr(contact, field_name, value)
                contact._fill = True
        if getattr(contact, "_fill", None):
            self._contacts.add(contact)
        return contact, False
