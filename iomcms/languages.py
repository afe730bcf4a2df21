"""The content languages, and how the versions of one text in several languages are linked.

One home for the rule: a news item or project is written in one of ``settings.LANGUAGES``
(English, French, Spanish), and its translations are separate items (each with its own
status, schedule, history and slug) that share a ``translation_group``. An item alone in its
language has no group (NULL); linking two items gives both the same new group. A group holds
at most one item per language (a database constraint per model, :func:`one_per_language`).
Which translations a reader may be told about is the publishing rule's business:
:meth:`TranslatableModel.public_translations` starts from ``published()`` like every other
public surface, so a scheduled French version is not announced before it goes live.

Also here: an item's address is under its own language's prefix (:func:`reverse_in`,
:func:`slug_path`); the
original of a group, for ``x-default`` and JSON-LD, is :func:`original_of`'s choice; a draft
translation is made by :meth:`TranslatableModel.draft_translation` (the admin's "Translate
into ..."); the reader's language is :func:`interface_language`.

Names that are database content rather than an item's text (a region, a project type) are not
translation groups: one row has a column per other language (``name_fr``, ``name_es``), and
:func:`localized` picks the reader's, falling back to English when it is blank.
"""

import re
import uuid

from django.conf import settings
from django.db import models, transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .text import unique_slug


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def interface_language():
    """The language the reader's interface is in (from the URL's prefix; LocaleMiddleware),
    as one of the content languages."""
    code = (translation.get_language() or "").split("-")[0]
    return code if code in language_codes() else settings.LANGUAGE_CODE


def language_name(code):
    """The language's name in itself ("Français"), as settings.LANGUAGES writes it."""
    return dict(settings.LANGUAGES).get(code, code)


def localized(obj, field="name", language=None):
    """``obj.<field>`` in ``language`` (default: the reader's, :func:`interface_language`):
    its ``<field>_<code>`` column when that is filled in, else the field itself (English)."""
    language = language or interface_language()
    if language != settings.LANGUAGE_CODE:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


# slug_path's halves: (language, name, URLconfs, script prefix) -> the path's two halves around
# the slug, or None when that URL cannot be cut so.
_SLUG_PATHS = {}
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # reverse() leaves these characters as they are
_MARKER = "slug-marker"


def slug_path(language, name):
    """The two halves of the path of URL ``name`` (which takes a ``slug``) under ``language``'s
    prefix, around its slug: reversed once per language, name and URLconf, with a marker for
    the slug. None when the URL does not cut so. For :func:`reverse_in` and for pages that
    write many addresses (a sitemap: the halves once, then a concatenation per row)."""
    key = (language, name, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    if key not in _SLUG_PATHS:
        with translation.override(language):
            halves = reverse(name, kwargs={"slug": _MARKER}).split(_MARKER)
        _SLUG_PATHS[key] = tuple(halves) if len(halves) == 2 else None
    return _SLUG_PATHS[key]


def reverse_in(language, name, **kwargs):
    """The path of URL ``name`` under ``language``'s prefix (none for English, ``/fr/``...).

    An item's address (a slug, the only keyword) is put between the halves of
    :func:`slug_path`: ``reverse()`` took about 40 µs a call, 1 ms for a list of 20 cards.
    Any other value (not a slug ``reverse()`` would accept as it is) goes through
    ``reverse()``."""
    if kwargs.keys() == {"slug"} and isinstance(kwargs["slug"], str):
        slug = kwargs["slug"]
        halves = _SLUG.fullmatch(slug) and slug_path(language, name)
        if halves:
            return f"{halves[0]}{slug}{halves[1]}"
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def in_language_order(items):
    """``items`` (anything with a ``language``) ordered as settings.LANGUAGES lists them."""
    rank = {code: position for position, code in enumerate(language_codes())}
    return sorted(items, key=lambda item: rank.get(item.language, len(rank)))


def original_of(items):
    """Which of a group's versions counts as the original, the one the others translate: the
    English one if there is one, else the first created (lowest id; one not saved yet, as an
    import plans it, after the saved ones). Asked of the versions the reader may see, so that
    every page of a group names the same one."""
    items = list(items)
    english = [item for item in items if item.language == settings.LANGUAGE_CODE]
    if english:
        return english[0]
    return min(items, key=lambda item: (item.pk is None, item.pk or 0), default=None)


def one_per_language(prefix):
    """The constraint that keeps a translation group to one item per language."""
    return models.UniqueConstraint(
        fields=["translation_group", "language"],
        condition=models.Q(translation_group__isnull=False),
        name=f"{prefix}_one_per_language",
        violation_error_message=_("This translation group already has an item in this language."),
    )


class TranslatableModel(models.Model):
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_index=True,
        help_text=_("The language the item is written in."),
    )
    translation_group = models.UUIDField(
        _("translation group"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Items that are translations of one another share this value."),
    )

    # Fields a translation draft starts empty (besides those never edited by hand, the
    # publication fields and the provenance of an import): a model adds the unique ones.
    NOT_COPIED_TO_TRANSLATION = ("slug", "language", "source_file", "source_hash", "raw_metadata")

    class Meta:
        abstract = True

    def translations(self):
        """The other items of this item's group, whatever their state, in language order."""
        model = type(self)
        if self.translation_group is None:
            return model._default_manager.none()
        rows = model._default_manager.filter(translation_group=self.translation_group)
        return rows.exclude(pk=self.pk).order_by("language")

    def public_translations(self):
        """The translations a reader may be shown now (live ones only)."""
        return self.translations().published()

    @classmethod
    def public_translations_of(cls, items):
        """``{item.pk: [translation, ...]}``: :meth:`public_translations` of many items of
        this model at once (a page of a list), in language order, in one query (none when no
        item has a group). Each translation is a row with ``pk``, ``language`` and ``slug``
        only, enough for its address (:func:`reverse_in`)."""
        groups = {item.translation_group for item in items if item.translation_group}
        found = {item.pk: [] for item in items}
        if not groups:
            return found
        rows = cls._default_manager.published().filter(translation_group__in=groups)
        by_group = {}
        for row in in_language_order(rows.only("pk", "language", "slug", "translation_group")):
            by_group.setdefault(row.translation_group, []).append(row)
        for item in items:
            versions = by_group.get(item.translation_group, []) if item.translation_group else []
            found[item.pk] = [row for row in versions if row.pk != item.pk]
        return found

    def public_versions(self):
        """This item and its public translations, in language order (one query, none for an
        item alone). The item itself is in even when it is not public (a preview)."""
        others = list(self.public_translations()) if self.translation_group else []
        return in_language_order([self, *others])

    def draft_translation(self, language, reason):
        """A new DRAFT copy of this item in ``language``, in this item's group, for an editor
        to translate: its text as is (to be translated), a slug of its own, no schedule,
        never published here; ``reason`` goes on both history rows. Raises ``ValueError``
        for the item's own language and ``IntegrityError`` when the group has that language
        already (the constraint decides, so two editors at once cannot both add one)."""
        if language == self.language or language not in language_codes():
            raise ValueError(f"cannot translate a {self.language} item into {language!r}")
        model = type(self)
        skipped = {*self.NOT_COPIED_TO_TRANSLATION, *self.PUBLICATION_FIELDS}
        copy = model(language=language)
        for field in model._meta.concrete_fields:
            if field.editable and not field.primary_key and field.name not in skipped:
                setattr(copy, field.attname, getattr(self, field.attname))
        copy.slug = unique_slug(model, f"{self.slug_text()} {language}")
        with transaction.atomic():
            if self.translation_group is None:
                self.translation_group = uuid.uuid4()
                self._change_reason = reason
                self.save(update_fields=["translation_group"])
            copy.translation_group = self.translation_group
            copy._change_reason = reason
            copy.save()
            self.copy_relations_to_translation(copy)
        return copy

    def copy_relations_to_translation(self, copy):
        """Copy what lives in other tables (a release's media contacts) to a new draft."""

    def link_translation(self, other):
        """Put ``other`` in this item's translation group (creating the group if needed).

        Both items are saved with ``update_fields`` so that nothing else of either changes.
        """
        if other.language == self.language:
            raise ValueError("a translation must be in another language")
        with transaction.atomic():
            if self.translation_group is None:
                self.translation_group = other.translation_group or uuid.uuid4()
                self.save(update_fields=["translation_group"])
            other.translation_group = self.translation_group
            other.save(update_fields=["translation_group"])


# Rows per statement of :func:`languages_from_metadata`.
METADATA_LANGUAGE_BATCH = 2000


def languages_from_metadata(model, batch_size=METADATA_LANGUAGE_BATCH):
    """Give rows still in the default language the language their import recorded.

    Imports before the ``language`` field kept the crawl manifest's language in
    ``raw_metadata["language"]`` (``legacy.manifest.ManifestRow.metadata``); those rows were
    given English by the migration that added the field. A row whose recorded language is
    another content language gets it, unless its translation group holds that language already
    (the group's constraint; such a row is left for staff). Batched by primary key, one UPDATE
    per language and batch, so a large table is never locked whole when the migration is not
    atomic. ``model`` may be a migration's historical model. Returns the number of rows changed.
    """
    manager = model._base_manager
    default = settings.LANGUAGE_CODE
    codes = set(language_codes()) - {default}
    changed, last = 0, None
    while True:
        rows = manager.filter(language=default, raw_metadata__has_key="language")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(
            rows.order_by("pk").values_list("pk", "raw_metadata", "translation_group")[:batch_size]
        )
        if not batch:
            return changed
        last = batch[-1][0]
        wanted = {}  # language -> [(pk, group)]
        for pk, metadata, group in batch:
            value = metadata.get("language") if isinstance(metadata, dict) else None
            code = value.strip().lower() if isinstance(value, str) else ""
            if code in codes:
                wanted.setdefault(code, []).append((pk, group))
        for code, rows_in in wanted.items():
            groups = {group for _pk, group in rows_in if group is not None}
            taken = set(
                manager.filter(translation_group__in=groups, language=code).values_list(
                    "translation_group", flat=True
                )
            )
            pks, seen = [], set()
            for pk, group in rows_in:
                if group is not None and (group in taken or group in seen):
                    continue
                if group is not None:
                    seen.add(group)
                pks.append(pk)
            with transaction.atomic():
                changed += manager.filter(pk__in=pks, language=default).update(language=code)
