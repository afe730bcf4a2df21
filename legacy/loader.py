"""Map parsed legacy pages onto the database.

The parser (:mod:`legacy.parser`) turns text into plain data; this module decides what that
data means for the models: which record a page is (its identity), whether anything changed,
and how contacts are shared between releases. The command and the admin upload page call
:class:`Importer` and only report what it returns.

Identity (documented for staff in docs/import_legacy.md):

- A page whose normalized text (LF line endings, no BOM, no trailing white space) was imported
  before is *unchanged*, whatever its file name: matched on ``source_hash``.
- A project is keyed on its project code: a changed page updates that project in place.
- A news item is keyed on ``legacy_key``: a hash of its casefolded, accent-stripped title, its
  publication date when the text gives one, and its file name (without folders). An edited
  file updates its record in place; two different pages that share a title ("Monthly
  Update") are two records; a page whose title *and* file name changed is a new record.
- A contact is matched on e-mail (case-insensitive), else on normalized name + office, so one
  press officer named in many releases is one contact.

Work is done in chunks of files: one query per chunk finds unchanged pages, one finds existing
records, one finds known contacts; then the chunk is written in one transaction with bulk
inserts. If the database refuses anything, that transaction is rolled back and the chunk is
written again one transaction per file, so a bad file leaves nothing behind and the run goes
on. Memory depends on the chunk size, not on how many files a run has.
"""

import collections
import contextlib
import dataclasses
import hashlib
import logging
import re
import threading
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history

from contacts.models import Contact
from iomcms.filters import MAX_YEAR, MIN_YEAR
from iomcms.publishing import PublicationStatus
from iomcms.sanitize import clean_html
from iomcms.text import fold, unique_slug
from news.models import NewsItem, NewsItemContact, NewsKind
from projects.models import Project, ProjectType, Region

from . import parser
from .pipeline import chunked, parse_into, parse_texts, parser_pool, prepare

logger = logging.getLogger(__name__)

CHUNK_SIZE = 250

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"

# Change reasons of the history rows an import writes, followed by the file name.
IMPORTED = "Imported from legacy text"
REIMPORTED = "Updated from legacy text"


@dataclass
class FileResult:
    path: str
    outcome: str
    kind: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    record: dict | None = None

    def as_dict(self):
        return dataclasses.asdict(self)


def file_name(path):
    """The file's own name, also for a zip member ("a.zip:pages/x.txt" -> "x.txt")."""
    return re.split(r"[/\\:]", path)[-1][:500]


@dataclass
class _Known:
    """Records this chunk may touch, found in one query per model, updated as files are planned."""

    news_by_key: dict = field(default_factory=dict)
    projects_by_code: dict = field(default_factory=dict)


@dataclass
class _Plan:
    report: FileResult
    obj: object
    is_new: bool
    contact_ids: list


def history_reason(verb, source_file):
    """'Imported from legacy text x.txt', cut to 100 characters for the history list."""
    return f"{verb} {source_file}"[:100] if source_file else verb


@contextlib.contextmanager
def _attributed_deletions(model, user, reasons, key):
    """Name the user and the reason on the history rows of ``model`` deletions in this block.

    Deleting a queryset builds fresh instances, so nothing can be set on them beforehand;
    simple-history's pre_create_historical_record signal lets us fill the rows in. Only
    deletions by this thread, of rows whose ``key`` is in ``reasons``, are touched.
    """
    thread = threading.get_ident()
    history_model = model.history.model

    def fill(sender, history_instance, **kwargs):
        if threading.get_ident() != thread or history_instance.history_type != "-":
            return
        reason = reasons.get(getattr(history_instance, key))
        if reason is None:
            return
        history_instance.history_change_reason = reason
        if user is not None:
            history_instance.history_user = user

    pre_create_historical_record.connect(fill, sender=history_model, weak=False)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(fill, sender=history_model)


def news_key(page, path):
    """Title, date and file name: the identity of a news page (see the module docstring)."""
    date = page.published_on.isoformat() if page.published_on else ""
    basis = f"{fold(page.title)}|{date}|{fold(file_name(path))}"
    return hashlib.sha256(basis.encode()).hexdigest()[:40]


def contact_key(name, office):
    return fold(name) + "|" + fold(office)


# Django's urlize() is thorough but costs ~3 ms per page; legacy text only ever holds plain
# http(s)/www URLs and e-mail addresses, which this one pass over escaped text links.
LINK_RE = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"']+)|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def _link(match):
    if match["email"]:
        email = match["email"]
        return f'<a href="mailto:{email}">{email}</a>'
    url = match["url"]
    trail = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        # Keep a closing parenthesis that belongs to the URL, e.g. a Wikipedia link.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, trail = url[:-1], url[-1] + trail
    href = url if url.startswith("http") else f"https://{url}"
    return f'<a href="{href}">{url}</a>{trail}'


def linkify(text):
    """Escape plain text and turn URLs and e-mail addresses into links."""
    return LINK_RE.sub(_link, escape(text))


def paragraphs_to_html(paragraphs):
    return "\n".join(f"<p>{linkify(p)}</p>" for p in paragraphs if p)


def validate_fields(obj, exclude=()):
    """Run each field's validators (lengths, e-mail, decimal digits, partial dates).

    Cheaper than ``full_clean()``, which also walks every field's choices (250 countries per
    CountryField); choices here come from the parser's own mappings, and uniqueness and check
    constraints are enforced by the database inside the file's transaction.
    """
    errors = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        value = model_field.value_from_object(obj)
        if value in model_field.empty_values:
            continue
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            errors[model_field.name] = exc.messages
    if errors:
        raise ValidationError(errors)


def split_lead(paragraphs):
    """A legacy page's first paragraph is its standfirst: it becomes the lead (shown in lists
    and above the body), and the body holds the rest, so the page never prints it twice."""
    paragraphs = [p for p in paragraphs if p]
    return (paragraphs[0], paragraphs[1:]) if paragraphs else ("", [])


OFFICE_PREFIX_RE = re.compile(r"^(?:IOM|OIM|the\s+IOM)\b[\s\-–—]*", re.IGNORECASE)


def office_country(office):
    """'IOM Colombia' -> 'CO'; 'IOM El Salvador, Guatemala and Honduras' -> 'SV'."""
    if not office:
        return None
    stem = OFFICE_PREFIX_RE.sub("", office.strip())
    if stem == office.strip():
        return None  # not an IOM country office ("UN Resident Coordinator's Office")
    first = re.split(r",|\band\b|/", stem)[0].strip()
    return parser.resolve_country(first) if first else None


def news_record(page):
    return {
        "title": page.title,
        "dateline": page.dateline,
        "published_on": page.published_on.isoformat() if page.published_on else None,
        "body": "\n\n".join(page.paragraphs),
        "contacts": [
            {
                "name": c.name,
                "office": c.office,
                "phones": [*c.phones, *c.mobiles],
                "emails": list(c.emails),
            }
            for c in page.contacts
        ],
    }


def project_record(page):
    return {
        "title": page.title,
        "project_code": page.project_code,
        "prima_id": page.prima_id,
        "status": page.status,
        "project_type": page.project_type,
        "coverage": page.coverage,
        "region": page.region,
        "start_date": page.start.isoformat() if page.start else None,
        "end_date": page.end.isoformat() if page.end else None,
        "year": str(page.year) if page.year is not None else None,
        "budget_usd": str(page.budget_usd) if page.budget_usd is not None else None,
        "benefiting_states": [{"name": s.name, "code": s.code} for s in page.benefiting_states],
        "body": "\n\n".join(page.paragraphs),
    }


def validation_message(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def relax_commit_durability():
    """On PostgreSQL, let this session's commits return before their WAL reaches the disk.

    Every commit waits for a disk flush, which dominates an import of thousands of pages
    (above all when a chunk falls back to one transaction per file). With
    ``synchronous_commit = off`` a crash can lose the last fraction of a second of commits,
    but never corrupts or half-writes anything, and the importer is idempotent: re-running it
    re-imports whatever was lost. Other sessions are unaffected, and :meth:`Importer.run`
    restores the setting when it ends: a web worker's connection (the admin import page) goes
    on serving requests whose commits must be durable.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        return True
    return False


def restore_commit_durability():
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


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
    ):
        self.status = status
        # Recorded as the author of the history entries this import writes (None: a command).
        self.user = user
        self.dry_run = dry_run
        self.workers = workers
        self.chunk_size = chunk_size
        self._pool = None
        self.started = timezone.now()
        self.run_id = object()
        self._regions = {}
        self._types = {}
        self._contacts_by_email = {}
        self._contacts_by_name = {}
        self._slugs_taken = set()  # per chunk: earlier chunks' slugs are in the database

    # -- public -------------------------------------------------------------------------

    def run(self, sources):
        """Import an iterable of :class:`Source`; yield a :class:`FileResult` per source.

        Per chunk, this process decodes and hashes the files and asks the database which pages
        it already has; only new or changed pages are parsed. On large runs the parsing goes
        to worker processes, which work on the next chunks while this process writes the
        current one. At most ``workers + 1`` chunks are in flight, so memory stays flat.
        """
        in_flight = collections.deque()
        relaxed = not self.dry_run and relax_commit_durability()
        try:
            for chunk in chunked(sources, self.chunk_size):
                prepared = [prepare(source) for source in chunk]
                self._mark_unchanged(prepared, in_flight)
                to_parse = [p for p in prepared if not p.error and not p.unchanged]
                future = None
                if to_parse and self.workers > 1 and len(chunk) == self.chunk_size:
                    future = self._parser_pool().submit(parse_texts, [p.text for p in to_parse])
                in_flight.append((prepared, to_parse, future))
                if len(in_flight) > max(self.workers, 1):
                    yield from self._finish_chunk(*in_flight.popleft())
            while in_flight:
                yield from self._finish_chunk(*in_flight.popleft())
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
            if relaxed:
                restore_commit_durability()

    # -- chunk level --------------------------------------------------------------------

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
                model.objects.filter(source_hash__in=hashes).values_list("source_hash", flat=True)
            )
        for earlier, _, _ in in_flight:  # not written yet, so not in the database yet
            seen.update(p.hash for p in earlier if p.hash and not p.error)
        for item in prepared:
            if item.error:
                continue
            if item.hash in seen:
                item.unchanged = True  # imported before, or the same page twice in this run
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
        self._slugs_taken = set()
        self._reserve_slugs(to_write, known)

        written = iter(self._write_chunk(to_write, known))
        for item in prepared:
            if item.error:
                yield FileResult(item.source.path, FAILED, error=item.error, warnings=item.warnings)
            elif item.unchanged:
                yield FileResult(item.source.path, UNCHANGED, warnings=item.warnings)
            else:
                yield next(written)

    def _load_known(self, items):
        """One query each for the news items, projects and contacts these files may be."""
        news_items = [i for i in items if i.result.kind == "news"]
        project_codes = [i.result.page.project_code for i in items if i.result.kind == "project"]
        keys = [news_key(i.result.page, i.source.path) for i in news_items]
        known = _Known()
        for obj in NewsItem.objects.filter(legacy_key__in=keys):
            known.news_by_key[obj.legacy_key] = obj
        for obj in Project.objects.filter(project_code__in=project_codes):
            known.projects_by_code[obj.project_code] = obj
        self._load_contacts([c for i in news_items for c in i.result.page.contacts])
        return known

    def _load_contacts(self, parsed_contacts):
        """One query for every contact this chunk names that is not cached yet."""
        emails = {e for c in parsed_contacts for e in c.emails} - self._contacts_by_email.keys()
        names = {c.name for c in parsed_contacts if c.name}
        if not emails and not names:
            return
        query = Q(email__in=emails) if emails else Q()
        if names:
            query |= Q(name__in=names)
        for contact in Contact.objects.filter(query):
            self._remember_contact(contact)

    def _remember_contact(self, contact):
        if contact.email:
            self._contacts_by_email[contact.email.lower()] = contact
        self._contacts_by_name.setdefault(contact_key(contact.name, contact.office), contact)

    def _reserve_slugs(self, items, known):
        """Fetch, in one query per model, which of this chunk's wanted slugs are taken."""
        news_pages = [i.result.page for i in items if i.result.kind == "news"]
        project_pages = [i.result.page for i in items if i.result.kind == "project"]
        wanted_news = {slugify(p.title)[:290] for p in news_pages}
        wanted_projects = {
            slugify(f"{p.project_code} {p.title}")[:290]
            for p in project_pages
            if p.project_code not in known.projects_by_code
        }
        self._slugs_taken |= {
            ("news", s)
            for s in NewsItem.objects.filter(slug__in=wanted_news).values_list("slug", flat=True)
        }
        self._slugs_taken |= {
            ("project", s)
            for s in Project.objects.filter(slug__in=wanted_projects).values_list("slug", flat=True)
        }

    def _slug(self, model, label, text):
        slug = slugify(text)[:290].strip("-") or label
        if (label, slug) in self._slugs_taken:
            # Rare: ask the database, and avoid the slugs this chunk handed out but has not
            # inserted yet, or the bulk insert would fail on the unique constraint.
            pending = {s for kind, s in self._slugs_taken if kind == label}
            slug = unique_slug(model, text, also_taken=pending)
        self._slugs_taken.add((label, slug))
        return slug

    # -- writing ------------------------------------------------------------------------
    #
    # Each file is planned (objects built and validated in Python, contacts resolved) and then
    # persisted. The fast path persists a whole chunk in one transaction with bulk inserts; if
    # the database refuses anything in it, that transaction rolls back whole and the chunk is
    # written again one file per transaction, so only the bad file fails. Either way a file is
    # all or nothing.

    def _write_chunk(self, items, known):
        if self.dry_run or len(items) < 2:
            return [self._write_one(i, known) for i in items]
        try:
            with transaction.atomic():
                reports, planned = [], []
                for item in items:
                    try:
                        plan = self._plan(item, known)
                    except ValidationError as exc:
                        reports.append(self._failed(item, validation_message(exc)))
                        continue
                    reports.append(plan.report)
                    planned.append(plan)
                self._persist(planned)
            return reports
        except Exception:  # any failure: redo file by file, which reports it
            # The rolled-back attempt left its marks on the objects in memory (new primary
            # keys, filled-in fields): start the chunk again from what the database holds.
            for cache in (self._contacts_by_email, self._contacts_by_name, self._regions,
                          self._types):  # fmt: skip
                cache.clear()
            self.run_id = object()
            known = self._load_known(items)
            return [self._write_one(i, known) for i in items]

    def _write_one(self, item, known):
        caches_before = self._snapshot_caches()
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
            error = f"the database refused the record: {detail}"
        except Exception as exc:
            logger.exception("Unexpected error importing %s", item.source.path)
            error = f"unexpected error ({type(exc).__name__}: {exc}); please report it"
        self._restore_caches(caches_before)
        return self._failed(item, error)

    def _failed(self, item, error):
        warnings = [*item.warnings, *(item.result.warnings if item.result else [])]
        kind = item.result.kind if item.result else None
        return FileResult(item.source.path, FAILED, kind, error, warnings)

    def _snapshot_caches(self):
        return (
            dict(self._contacts_by_email),
            dict(self._contacts_by_name),
            dict(self._regions),
            dict(self._types),
        )

    def _restore_caches(self, snapshot):
        self._contacts_by_email, self._contacts_by_name, self._regions, self._types = snapshot

    def _persist(self, plans):
        """Write planned files, each insert, update and link deletion with its history row.

        History rows carry the importing user (``self.user``; none for the command) and a
        change reason naming the file. New rows and links get theirs in bulk, one INSERT per
        model and chunk, like the rows themselves.
        """
        new_news, new_projects, changed = [], [], []
        for plan in plans:
            if plan.is_new:
                (new_news if isinstance(plan.obj, NewsItem) else new_projects).append(plan.obj)
                self._attribute(plan.obj, IMPORTED, plan.obj.source_file)
            else:
                changed.append(plan.obj)
                self._attribute(plan.obj, REIMPORTED, plan.obj.source_file)
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
            # the receiver below names the file and user on those history rows.
            reasons = {obj.pk: history_reason(REIMPORTED, obj.source_file) for obj in changed_news}
            with _attributed_deletions(NewsItemContact, self.user, reasons, "news_item_id"):
                NewsItemContact.objects.filter(news_item_id__in=list(reasons)).delete()
        links = []
        for plan in plans:
            if not plan.contact_ids:
                continue
            verb = IMPORTED if plan.is_new else REIMPORTED
            for position, pk in enumerate(plan.contact_ids):
                link = NewsItemContact(news_item=plan.obj, contact_id=pk, position=position)
                self._attribute(link, verb, plan.obj.source_file)
                links.append(link)
        if links:
            bulk_create_with_history(links, NewsItemContact, default_user=self.user)

    def _attribute(self, obj, verb, source_file):
        """Who and why, for the history row that saving ``obj`` records."""
        obj._change_reason = history_reason(verb, source_file)
        if self.user is not None:
            # Without a user, simple-history falls back to the request's (admin upload) or none.
            obj._history_user = self.user

    # -- planning: build and validate, touching the database only for shared lists --------

    def _plan(self, item, known):
        result = item.result
        page = result.page
        warnings = [*item.warnings, *result.warnings]
        if result.kind == "news":
            record = news_record(page)
            key = news_key(page, item.source.path)
            obj = known.news_by_key.get(key)
            if obj is not None and self._imported_in_this_run(obj):
                raise ValidationError(
                    f"another file in this run ({obj.source_file}) is the same page: same "
                    "title, date and file name; only the first was imported"
                )
            is_new = obj is None
            obj = self._build_news(obj, page, item, key)
            contact_ids = self._resolve_contacts(page.contacts, file_name(item.source.path))
            known.news_by_key[key] = obj
        else:
            record = project_record(page)
            obj = known.projects_by_code.get(page.project_code)
            if obj is not None and self._imported_in_this_run(obj):
                raise ValidationError(
                    f"another file in this run ({obj.source_file}) has the same project code "
                    f"{page.project_code}; only the first was imported"
                )
            is_new = obj is None
            obj = self._build_project(obj, page, item, warnings)
            contact_ids = []
            known.projects_by_code[obj.project_code] = obj
        obj._imported_in_run = self.run_id
        outcome = CREATED if is_new else UPDATED
        report = FileResult(item.source.path, outcome, result.kind, None, warnings, record)
        return _Plan(report, obj, is_new, contact_ids)

    def _imported_in_this_run(self, obj):
        return getattr(obj, "_imported_in_run", None) == self.run_id or (
            obj.updated is not None and obj.updated >= self.started
        )

    def _base_fields(self, obj, item):
        return {
            "source_file": file_name(item.source.path),
            "source_hash": item.hash,
            "publication_status": obj.publication_status if obj else self.status,
        }

    def _build_news(self, obj, page, item, key):
        lead, rest = split_lead(page.paragraphs)
        countries = []
        for contact in page.contacts:
            code = office_country(contact.office)
            if code and code not in countries:
                countries.append(code)
        fields = {
            **self._base_fields(obj, item),
            "title": page.title,
            "kind": NewsKind.PRESS_RELEASE if page.contacts else NewsKind.NEWS,
            "dateline": page.dateline or "",
            "published_on": page.published_on,
            "lead": lead,
            # bulk_create skips save(), so sanitize here as save() would.
            "body": clean_html(paragraphs_to_html(rest)),
            "countries": countries,
            "legacy_key": key,
        }
        if obj is None:
            obj = NewsItem(**fields, slug=self._slug(NewsItem, "news", page.title))
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
        validate_fields(obj)
        return obj

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
                    self._attribute(contact, verb, source_file)
                    contact.save()
                    contact._fill = None
        return list(dict.fromkeys(c.pk for c in contacts if c.pk is not None))

    def _contact_for(self, parsed):
        """The known contact this parsed one is, or a new unsaved one; never a duplicate."""
        contact = None
        for email in parsed.emails:
            contact = self._contacts_by_email.get(email.lower())
            if contact:
                break
        if contact is None:
            contact = self._contacts_by_name.get(contact_key(parsed.name, parsed.office))
        phone = " or ".join(parsed.phones)[:100]
        mobile = " or ".join(parsed.mobiles)[:100]
        if contact is None:
            contact = Contact(
                # A block may give only an office and an address: the address names the person.
                name=(parsed.name or parsed.emails[0])[:200],
                office=parsed.office[:200],
                job_title=parsed.job_title[:200],
                email=parsed.emails[0] if parsed.emails else "",
                phone=phone,
                mobile=mobile,
                country=office_country(parsed.office) or "",
                is_public=self.status == PublicationStatus.PUBLISHED,
            )
            self._remember_contact(contact)
            return contact, True
        # Fill what the contact lacks; never overwrite what staff may have corrected.
        for name, value in (
            ("email", parsed.emails[0] if parsed.emails else ""),
            ("phone", phone),
            ("mobile", mobile),
            ("job_title", parsed.job_title[:200]),
            ("office", parsed.office[:200]),
        ):
            if value and not getattr(contact, name):
                setattr(contact, name, value)
                contact._fill = True
        if getattr(contact, "_fill", None):
            self._remember_contact(contact)
        return contact, False

    def _named(self, cache, model, name):
        """The region or project type called ``name``, created on first sight."""
        if not name:
            return None
        key = fold(name)
        if key not in cache:
            obj = model.objects.filter(name__iexact=name).first()
            if obj is None:
                obj = model(name=name[:200])
                if not self.dry_run:
                    obj.save()
            cache[key] = obj
        return cache[key]

    def _build_project(self, obj, page, item, warnings):
        if not page.project_code:
            raise ValidationError("a project page without a project code (Projects ID)")
        # An unknown status or coverage is already a parser warning; the raw value stays in
        # raw_metadata and the field is left empty for staff to set.
        if page.year is not None and not MIN_YEAR <= page.year <= MAX_YEAR:
            raise ValidationError(f"the year {page.year} is not plausible for a project")
        summary, rest = split_lead(page.paragraphs)
        fields = {
            **self._base_fields(obj, item),
            "title": page.title,
            "prima_id": page.prima_id or "",
            "status": page.status_normalized or "",
            "project_type": self._named(self._types, ProjectType, page.project_type),
            "region": self._named(self._regions, Region, page.region),
            "start": page.start.isoformat() if page.start else "",
            "end": page.end.isoformat() if page.end else "",
            "year": page.year,
            "budget_usd": page.budget_usd,
            "coverage": page.coverage_normalized or "",
            "benefiting_states": [s.code for s in page.benefiting_states if s.code],
            "summary": summary,
            "description": clean_html(paragraphs_to_html(rest)),
            "raw_metadata": dict(page.metadata),
        }
        if obj is None:
            obj = Project(
                **fields,
                project_code=page.project_code,
                slug=self._slug(Project, "project", f"{page.project_code} {page.title}"),
            )
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
        validate_fields(obj)
        return obj
