"""Slugs for the new records of a chunk, found free in one query per model.

A bulk insert skips ``save()``, which would otherwise find each slug with a query of its own.
The slug of a record is its model's (``slug_text()``, :func:`iomcms.text.unique_slug`); only
the batching is done here.
"""

from django.utils.text import slugify

from iomcms.text import unique_slug


def _stem(text):
    return slugify(text)[:290].strip("-")


class SlugReservations:
    """Slugs taken in the database or handed out to this chunk's records, per model."""

    def __init__(self):
        self._taken = set()  # (model, slug)

    def look_up(self, model, texts):
        """One query: which of the slugs these texts would get does ``model`` already use?"""
        wanted = {_stem(text) for text in texts}
        if wanted:
            taken = model.objects.filter(slug__in=wanted).order_by().values_list("slug", flat=True)
            self._taken |= {(model, slug) for slug in taken}

    def take(self, model, text, fallback):
        """A free slug for a new ``model`` record made from ``text``, held for this chunk."""
        slug = _stem(text) or fallback
        if (model, slug) in self._taken or slug in model.RESERVED_SLUGS:
            # Rare: ask the database, and avoid the slugs this chunk handed out but has not
            # inserted yet, or the bulk insert would fail on the unique constraint.
            pending = {s for m, s in self._taken if m is model}
            slug = unique_slug(model, text, also_taken=pending)
        self._taken.add((model, slug))
        return slug

    def give_back(self, model, slug):
        """A slug ``take`` handed out to a record that was not saved after all."""
        self._taken.discard((model, slug))
