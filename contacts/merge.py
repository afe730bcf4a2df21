"""Fold duplicate press contacts into one.

``merge_contacts(keep, others)`` is what the admin's "Merge selected contacts…" action runs;
it needs no request, so it is tested (and could be scripted) on its own. In one transaction,
with the contacts locked:

1. Every news item linked to any of the merged contacts ends up with exactly one link, to the
   kept contact, where the earliest of its links to them was: that link row survives (its
   ``position`` and id, so the item's contact order is unchanged) and points to the kept
   contact; the item's other links to the merged contacts are deleted first (the
   ``(news_item, contact)`` pair is unique). Links to anyone else are not touched.
2. The kept contact's blank fields are filled from the duplicates (the first one with a value,
   in the order given); nothing it already has is overwritten, ``is_public`` stays its own.
3. The duplicates are deleted, which frees their e-mail addresses, then the kept contact is
   saved.

Every change goes through ``save()``/``delete()``, so django-simple-history records each link
change, the deletion of each duplicate (its history stays) and the kept contact's new
version, all with a change reason naming the merge and with ``user`` as the author.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from news.models import NewsItemContact

from .models import Contact

# Blank fields of the kept contact that a duplicate can fill. The office is part of a
# contact's identity (the match key, contacts/identity.py), so it is only ever filled when
# blank, like the rest; saving the kept contact recomputes its key.
FILLABLE_FIELDS = [
    "email",
    "phone",
    "mobile",
    "job_title",
    "organization",
    "office",
    "country",
]

# The history keeps change reasons in a text column (see settings); a reason is cut to stay
# readable in the history list, whatever the number of contacts merged.
REASON_MAX_LENGTH = 500


class MergeError(Exception):
    """The merge cannot be done as asked; nothing was changed."""


@dataclass
class MergeResult:
    kept: Contact
    # (pk, str(contact)) of each duplicate folded into ``kept`` and deleted.
    merged: list[tuple[int, str]] = field(default_factory=list)
    # Links of duplicates now pointing to the kept contact.
    links_moved: int = 0
    # Links deleted because the news item already had one to the kept contact (or to another
    # of the merged contacts, earlier in its list).
    links_removed: int = 0
    # Names of the kept contact's fields filled from a duplicate.
    filled: list[str] = field(default_factory=list)


def _reason(*candidates):
    """The first candidate that fits the history column, else the last one cut short."""
    for text in candidates:
        if len(text) <= REASON_MAX_LENGTH:
            return text
    return text[: REASON_MAX_LENGTH - 1] + "…"


def _record(obj, reason, user):
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user


def merge_contacts(keep, others, user=None):
    """Fold ``others`` (contacts or primary keys) into ``keep``; return a ``MergeResult``.

    Raises ``MergeError``, changing nothing, when there is nothing to merge, when ``keep`` is
    among ``others``, or when any of the contacts no longer exists (merged or deleted
    meanwhile).
    """
    keep_pk = keep.pk if isinstance(keep, Contact) else keep
    other_pks = [o.pk if isinstance(o, Contact) else o for o in others]
    other_pks = list(dict.fromkeys(other_pks))  # unique, order kept
    if not other_pks:
        raise MergeError(_("Choose at least one other contact to merge."))
    if keep_pk in other_pks:
        raise MergeError(_("The contact to keep cannot also be merged into itself."))

    with transaction.atomic():
        locked = Contact.objects.select_for_update().filter(pk__in=[keep_pk, *other_pks])
        by_pk = {c.pk: c for c in locked.order_by("pk")}
        missing = [pk for pk in [keep_pk, *other_pks] if pk not in by_pk]
        if missing:
            raise MergeError(
                _("Some of these contacts no longer exist (already merged or deleted): %s.")
                % ", ".join(f"#{pk}" for pk in missing)
            )
        kept = by_pk[keep_pk]
        duplicates = [by_pk[pk] for pk in other_pks]
        result = MergeResult(kept=kept, merged=[(d.pk, str(d)) for d in duplicates])
        keep_label = f"#{kept.pk} {kept}"

        # 1. Links: per news item, the earliest link to any merged contact survives.
        links = (
            NewsItemContact.objects.select_for_update()
            .filter(contact__in=[kept, *duplicates])
            .order_by("news_item_id", "position", "id")
        )
        by_item = {}
        for link in links:
            by_item.setdefault(link.news_item_id, []).append(link)
        for item_links in by_item.values():
            survivor, *extra = item_links
            for link in extra:
                _record(
                    link,
                    _reason(
                        f"Duplicate link removed: contact #{link.contact_id} merged into "
                        f"{keep_label}",
                        f"Duplicate link removed: contact #{link.contact_id} merged into "
                        f"#{kept.pk}",
                    ),
                    user,
                )
                link.delete()
                result.links_removed += 1
            if survivor.contact_id != kept.pk:
                _record(
                    survivor,
                    _reason(
                        f"Contact #{survivor.contact_id} merged into {keep_label}",
                        f"Contact #{survivor.contact_id} merged into #{kept.pk}",
                    ),
                    user,
                )
                survivor.contact = kept
                survivor.save()
                result.links_moved += 1

        # 2. Fill the kept contact's blanks, first duplicate with a value wins.
        for name in FILLABLE_FIELDS:
            if getattr(kept, name):
                continue
            for duplicate in duplicates:
                value = getattr(duplicate, name)
                if value:
                    setattr(kept, name, value)
                    result.filled.append(name)
                    break

        # 3. Delete the duplicates (their e-mails are free then), then save the kept one.
        for duplicate in duplicates:
            _record(
                duplicate,
                _reason(f"Merged into {keep_label}", f"Merged into #{kept.pk}"),
                user,
            )
            duplicate.delete()
        names = ", ".join(f"#{pk} {label}" for pk, label in result.merged)
        numbers = ", ".join(f"#{pk}" for pk, __ in result.merged)
        _record(
            kept,
            _reason(
                f"Merged contacts {names} into this one",
                f"Merged contacts {numbers} into this one",
            ),
            user,
        )
        kept.save()
    return result
