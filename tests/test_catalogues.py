"""The French and Spanish catalogues are complete, translated and compiled.

For each of fr and es (locale/<lang>/LC_MESSAGES/django.po, docs/translations.md):

- every message the code marks (what ``manage.py makemessages`` extracts today, into a
  temporary folder) is in the .po, and the .po holds nothing else;
- every entry is translated (each plural form) and none is fuzzy;
- the placeholders of each translation are those of its msgid (``%(name)s``, ``%s``, ``{}``),
  so that formatting it can neither fail nor drop a value;
- the committed .mo says what the .po says. Compared by content, not by date: git does not
  keep file times, so after a checkout a stale .mo can be newer than its .po. The .po is read
  here as msgfmt compiles it (translated, non-fuzzy entries) and compared with the .mo read by
  the standard library's gettext, the header aside (makemessages rewrites its date).

Extraction needs GNU gettext (xgettext, msgmerge), as makemessages itself does.
"""

import ast
import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr", "es"]
# Not linked into the extraction folder: the catalogues themselves, and what makemessages is
# told to ignore anyway (iomcms/management/commands/makemessages.py) but would still walk.
NOT_LINKED = {"locale", ".git", ".venv", "node_modules", "__pycache__"}


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        return (self.context, self.msgid)

    def translations(self):
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]


def read_po(path):
    """The entries of a .po file, header included (msgid "")."""
    entries, entry, part = [], Entry(), None  # part: the keyword the next string extends

    def finish():
        nonlocal entry, part
        if part is not None:
            entries.append(entry)
        entry, part = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#") or not line:
            if part is not None:
                finish()  # comments and blank lines come before an entry, never inside one
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
        if match:
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword in ("msgctxt", "msgid") and part not in (None, "msgctxt"):
                finish()  # an entry right after another, with no blank line between
            part = keyword if index is None else int(index)
        else:
            assert line.startswith('"') and part is not None, f"{path}: cannot read {raw!r}"
            text = ast.literal_eval(line)
        entry.obsolete = entry.obsolete or obsolete
        if part == "msgctxt":
            entry.context = (entry.context or "") + text
        elif part == "msgid":
            entry.msgid += text
        elif part == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        elif part == "msgstr":
            entry.msgstr += text
        else:
            entry.msgstr_plural[part] = entry.msgstr_plural.get(part, "") + text
    finish()
    return entries


def catalogue(lang):
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What makemessages extracts from the code today: {(context, msgid): Entry}.

    It runs in a temporary folder that links to the project's folders but has its own empty
    ``locale/``, so the committed catalogues are not touched."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext (xgettext, msgmerge) is needed to check the catalogues")
    work = tmp_path_factory.mktemp("makemessages")
    for child in ROOT.iterdir():
        if child.name not in NOT_LINKED:
            (work / child.name).symlink_to(child)
    (work / "locale").mkdir()
    here = Path.cwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command("makemessages", locale=["fr"], symlinks=True, verbosity=0)
    finally:
        os.chdir(here)
    entries = read_po(work / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    return {entry.key: entry for entry in entries if entry.msgid}


@pytest.fixture(scope="module", params=LANGUAGES)
def po(request):
    path = catalogue(request.param)
    assert path.exists(), f"{path} is missing: run manage.py makemessages -l {request.param}"
    return request.param, read_po(path)


def messages(entries):
    return [entry for entry in entries if entry.msgid]


def describe(key):
    context, msgid = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


def test_the_catalogue_holds_every_message_of_the_code_and_no_other(po, extracted):
    lang, entries = po
    found = {entry.key for entry in messages(entries) if not entry.obsolete}
    missing = sorted(set(extracted) - found, key=str)
    stale = sorted(found - set(extracted), key=str)
    assert not missing, (
        f"{len(missing)} message(s) of the code are not in locale/{lang}: run makemessages and "
        "translate them:\n" + "\n".join(describe(key) for key in missing[:30])
    )
    assert not stale, (
        f"locale/{lang} has {len(stale)} message(s) the code no longer uses: run "
        "makemessages:\n" + "\n".join(describe(key) for key in stale[:30])
    )


def test_no_obsolete_entry(po):
    lang, entries = po
    obsolete = [describe(entry.key) for entry in entries if entry.obsolete]
    assert not obsolete, f"locale/{lang} keeps obsolete (#~) entries: {obsolete[:10]}"


def test_every_message_is_translated_and_none_is_fuzzy(po):
    lang, entries = po
    fuzzy = [describe(entry.key) for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        describe(entry.key)
        for entry in messages(entries)
        if not all(text.strip() for text in entry.translations())
    ]
    assert not fuzzy, f"locale/{lang}: fuzzy entries (check and untick them): {fuzzy[:30]}"
    assert not untranslated, f"locale/{lang}: {len(untranslated)} untranslated: {untranslated[:30]}"


NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACES = re.compile(r"\{[^{}]*\}")


def placeholders(text, flags):
    """What a formatted string needs: named %-placeholders (a set: order may change),
    positional ones (in order), and {} fields for brace-format strings."""
    named = set(NAMED.findall(text))
    positional = [] if named else [c for c in POSITIONAL.findall(text) if c != "%"]
    braces = sorted(BRACES.findall(text)) if "python-brace-format" in flags else []
    return named, positional, braces


def test_translations_keep_the_placeholders_of_their_msgid(po):
    lang, entries = po
    wrong = []
    for entry in messages(entries):
        if not entry.flags & {"python-format", "python-brace-format"}:
            continue
        singular = placeholders(entry.msgid, entry.flags)
        if entry.msgid_plural is None:
            if placeholders(entry.msgstr, entry.flags) != singular:
                wrong.append(describe(entry.key))
            continue
        plural = placeholders(entry.msgid_plural, entry.flags)
        for index, text in sorted(entry.msgstr_plural.items()):
            named, positional, braces = placeholders(text, entry.flags)
            if index == 0:
                # The first form may name its number in words ("une seconde"), but it cannot
                # ask for a value the code does not give.
                ok = named <= singular[0] | plural[0] and len(positional) <= len(plural[1])
            else:
                ok = (named, positional, braces) == plural
            if not ok:
                wrong.append(f"{describe(entry.key)} [form {index}]")
    assert not wrong, f"locale/{lang}: placeholders differ from the msgid: {wrong}"


def compiled(entries):
    """The .po as msgfmt compiles it: {msgid or (msgid, n): msgstr}, with "context\\x04msgid"
    for a message with a context; untranslated and fuzzy entries left out, header aside."""
    result = {}
    for entry in messages(entries):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if entry.msgstr:
                result[msgid] = entry.msgstr
        elif all(entry.msgstr_plural.values()):
            result.update({(msgid, n): text for n, text in entry.msgstr_plural.items()})
    return result


def test_the_committed_mo_is_compiled_from_the_po(po):
    lang, entries = po
    mo = catalogue(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
    with mo.open("rb") as handle:
        in_mo = dict(gettext.GNUTranslations(handle)._catalog)  # no public way to list it
    in_mo.pop("", None)  # the header
    in_po = compiled(entries)
    differ = sorted(
        (key for key in in_mo.keys() | in_po.keys() if in_mo.get(key) != in_po.get(key)), key=str
    )
    assert not differ, (
        f"locale/{lang}: django.mo differs from django.po ({len(differ)} messages, e.g. "
        f"{differ[:3]}): run manage.py compilemessages"
    )


def test_the_catalogues_are_used():
    # The catalogues are found (LOCALE_PATHS) and take precedence for our own strings.
    expected = {"fr": "Communiqué de presse", "es": "Comunicado de prensa"}
    for lang, text in expected.items():
        with translation.override(lang):
            assert translation.gettext("Press release") == text
