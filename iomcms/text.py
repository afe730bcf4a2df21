"""Small text helpers shared by the apps and the importer."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def comparable_text(text):
    """Casefolded, accent-free, single-spaced: how names and titles are compared.

    "Bogotá  Office" and "BOGOTA office" are the same name. Punctuation is kept; the contact
    match key (below) drops it too.
    """
    text = text or ""
    if not text.isascii():  # most names are plain ASCII: skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


_PUNCTUATION_RE = re.compile(r"[^\w\s]+")


def match_key(name, office):
    """``"Jorge Gallo" + "IOM  Colombia"`` -> ``"jorge gallo|iom colombia"``.

    Two contacts with the same key are probably one person entered twice: case, accents,
    punctuation and spacing are ignored ("Dr. José  Pérez" matches "dr jose perez").
    """

    def norm(text):
        return " ".join(_PUNCTUATION_RE.sub(" ", comparable_text(text)).split())

    return f"{norm(name)}|{norm(office)}"[:401]


def unique_slug(model, text, *, max_length=None, exclude_pk=None, also_taken=()):
    """Return a slug for ``text`` not yet used by another row of ``model``.

    One query finds every existing slug with the same stem, so a collision costs no loop of
    queries. ``also_taken`` holds slugs handed out but not saved yet (a bulk import). The
    model's ``RESERVED_SLUGS`` (addresses of its other pages) count as taken.
    """
    max_length = max_length or model._meta.get_field("slug").max_length
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True)) | set(also_taken)
    taken |= getattr(model, "RESERVED_SLUGS", frozenset())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class DerivedFieldsMixin:
    """For a content model: its stored HTML cleaned and a free slug, derived before writing.

    ``save()`` calls :meth:`prepare_fields`; a bulk insert, which skips ``save()`` (the
    importer), calls it first, so both paths store the same thing. A model names its HTML
    fields in ``HTML_FIELDS`` and what its slug is made from in :meth:`slug_text`.
    """

    HTML_FIELDS = ()
    # Slugs that are the address of another page of the model's section ("statistics" for
    # /projects/statistics/): a detail page there could never be reached. Never generated
    # (unique_slug), refused when typed (clean).
    RESERVED_SLUGS = frozenset()

    def slug_text(self):
        raise NotImplementedError

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is the address of another page: choose another slug.")
                    % {"slug": self.slug}
                }
            )

    def prepare_fields(self):
        from .sanitize import clean_html  # sanitize is the one home of the allowlist

        for name in self.HTML_FIELDS:
            setattr(self, name, clean_html(getattr(self, name)))
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_text(), exclude_pk=self.pk)


class ChoiceLabelsMixin:
    """``get_<field>_display()`` from a table made once per field, not per call: Django's
    rebuilds a dict of every choice on each call (a third of a millisecond for a list of 20
    cards). The labels stay lazy, so each call still answers in the active language."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_iomcms_choice_labels")
        if labels is None:
            labels = field._iomcms_choice_labels = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
