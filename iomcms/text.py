"""Small text helpers shared by the apps and the importer."""

from django.utils.text import slugify


def unique_slug(model, text, *, max_length=None, exclude_pk=None, also_taken=()):
    """Return a slug for ``text`` not yet used by another row of ``model``.

    One query finds every existing slug with the same stem, so a collision costs no loop of
    queries. ``also_taken`` holds slugs handed out but not saved yet (a bulk import).
    """
    max_length = max_length or model._meta.get_field("slug").max_length
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True)) | set(also_taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
