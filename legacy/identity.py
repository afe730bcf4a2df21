"""Which record a legacy page is, and which contacts and list entries it names.

Documented for staff in docs/import_legacy.md ("Identity"):

- A page whose normalized text was imported before is *unchanged*, whatever its file name:
  matched on ``source_hash`` (the loader asks the database once per chunk).
- A project is keyed on its project code; a project page without a code on
  :func:`project_keys` (its title and Prima ID, not its file name); a news item on
  :func:`news_key` (title, date, file name). A changed page updates its record in place, and
  a page with a code updates the codeless record of its title (the loader's
  ``_find_project``; docs/decisions.md, "Archive fidelity (issue 12)").
- Two files of one run that are the same record: the first in the run's order is imported and
  the others fail, also when the first was imported by an earlier, interrupted or partial run
  and is unchanged now (:class:`Claims`). So a batch gives the same records in one run, in
  consecutive parts, or re-run after a crash.
- A contact is who :mod:`contacts.identity` says: e-mail first, else the match key.
- A region or project type is matched on its name with case, accents and spacing ignored; the
  parser has already turned a French or Spanish name it knows into the English one, so the
  pages of one region in three languages share one entry. A known entry is created with its
  French and Spanish names (:func:`legacy.parsing.project.translated_names`).
"""

import hashlib
import re

from contacts.identity import ContactIndex, identity_key
from contacts.models import Contact
from iomcms.text import comparable_text
from legacy.parsing.project import translated_names


def file_name(path):
    """The file's own name, also for a zip member ("a.zip:pages/x.txt" -> "x.txt")."""
    return re.split(r"[/\\:]", path)[-1][:500]


def news_key(page, path):
    """Title, date and file name: the identity of a news page (see the module docstring)."""
    date = page.published_on.isoformat() if page.published_on else ""
    basis = f"{comparable_text(page.title)}|{date}|{comparable_text(file_name(path))}"
    return hashlib.sha256(basis.encode()).hexdigest()[:40]


def project_key(title, prima_id=""):
    """The ``legacy_key`` of a project imported from a page without a code.

    Its comparable title (casefolded, accent-free) and Prima ID. Not its file name: a project
    has one page, so the same page saved twice, under two names, is one project, and a renamed
    file still finds its record.
    """
    basis = f"project|{comparable_text(title)}|{comparable_text(prima_id or '')}"
    return hashlib.sha256(basis.encode()).hexdigest()[:40]


def project_keys(page):
    """The keys a project page may be known by, best first.

    Title and Prima ID; then, for a page that gives a Prima ID, the title alone: the record of
    an older page of the project that gave no Prima ID. The loader checks that a record found
    by the title alone has no other Prima ID.
    """
    keys = [project_key(page.title, page.prima_id)]
    if page.prima_id:
        keys.append(project_key(page.title))
    return keys


def person(parsed):
    """(name, office, e-mails) of a parsed contact, as its contact record would hold them.

    A block may give only an office and an address: the address names the person.
    """
    return (
        (parsed.name or (parsed.emails[0] if parsed.emails else ""))[:200],
        parsed.office[:200],
        parsed.emails,
    )


class Claims:
    """The records that files read earlier in this run stand for.

    A file that is unchanged (its text is a record's ``source_hash``) still stands for that
    record: another file of the run with the record's key is a second copy of the page, as it
    would be had both been imported in one run. A news record is claimed only by an unchanged
    file of its own file name; another name is a renamed copy (docs/import_legacy.md, "Known
    limit"). ``seq`` is a file's position in the run.
    """

    def __init__(self):
        self._by_hash = {}  # source hash -> (seq, file name) of the first file with that text

    def add_unchanged(self, seq, source_hash, path):
        self._by_hash.setdefault(source_hash, (seq, file_name(path)))

    def claimed_before(self, obj, seq, *, same_name):
        first = self._by_hash.get(obj.source_hash)
        if first is None or first[0] >= seq:
            return False
        return not same_name or first[1] == obj.source_file


class KnownContacts:
    """The contacts this run has seen, answering under the one identity rule.

    Contacts are loaded from the database chunk by chunk, one query each, for the e-mails and
    match keys not asked about before; the index then answers as the database would.
    """

    def __init__(self):
        self.index = ContactIndex()
        self._asked_emails = set()
        self._asked_keys = set()

    def load(self, people):
        """Fetch the contacts ``people`` ((name, office, e-mails) triples) may be."""
        people = [
            (name, office, [e.lower() for e in emails if e.lower() not in self._asked_emails])
            for name, office, emails in people
        ]
        people = [
            (name, office, emails)
            for name, office, emails in people
            if emails or identity_key(name, office) not in self._asked_keys
        ]
        if not people:
            return
        for contact in Contact.objects.matching(people).order_by("pk"):
            self.index.add(contact)
        self._asked_emails |= {email for __, __, emails in people for email in emails}
        self._asked_keys |= {identity_key(name, office) for name, office, __ in people}

    def find(self, name, office, emails):
        return self.index.find(name, office, emails)

    def add(self, contact):
        self.index.add(contact)

    def forget(self):
        """After a rolled-back transaction: what the database holds is known no more."""
        self.__init__()


class NamedLists:
    """Regions and project types by name (case, accents and spacing ignored); both lists are
    short, so each is read whole once, and an unknown name is created on first sight."""

    def __init__(self, dry_run):
        self.dry_run = dry_run
        self._entries = {}  # model -> {comparable name: entry}

    def get(self, model, name):
        if not name:
            return None
        entries = self._entries.get(model)
        if entries is None:
            entries = self._entries[model] = {}
            for entry in model.objects.order_by("-pk"):  # the oldest of look-alikes wins
                entries[comparable_text(entry.name)] = entry
        key = comparable_text(name)
        if key not in entries:
            translated = {f"name_{code}": text for code, text in translated_names(name).items()}
            entry = model(name=name[:200], **translated)
            if not self.dry_run:
                entry.save()
            entries[key] = entry
        return entries[key]

    def forget(self):
        self._entries = {}
