"""The trash: deleting a news item, project or press contact moves it here first.

One home for what "in the trash" means and does. A trashed row keeps everything (its fields,
its media-contact links, its translation group, its history) and gets ``trashed_at`` and
``trashed_by``; it is gone from the public site at once and from the admin's lists, and the
admin's Trash page (``iomcms/admin_trash.py``) restores it or deletes it for ever.

How it leaves the public site, on every surface at once, is the visibility rule's business:

- a news item or project is unpublished as it goes to the trash
  (:meth:`iomcms.publishing.PublishableModel.move_to_trash`), and a database constraint keeps
  a trashed row from being published, so ``published()`` hides it with no column of its own:
  its indexes, counts and search SQL serve it unchanged;
- a contact has no status: ``ContactQuerySet.listed()`` (the base of its ``published()``, and
  what a release page lists) leaves trashed contacts out; their links to releases stay, so a
  restore brings them back on those releases.

A restored news item or project comes back as a **draft**: the trash is reached by deleting,
and bringing something back onto the public site is a publishing decision to take again
(docs/decisions.md, "Trash").

Items stay ``settings.IOMCMS_TRASH_DAYS`` days; the ``empty_trash`` command, run daily, deletes
those trashed longer. Nothing depends on it running: trashed is invisible, expired or not.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

# Change reasons in the history (stored text, in English like the other bulk reasons).
TRASHED_REASON = "Moved to the trash"
RESTORED_REASON = "Restored from the trash"


def trash_days():
    return settings.IOMCMS_TRASH_DAYS


class TrashQuerySetMixin:
    def outside_trash(self):
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def trash_expired(self, at=None):
        """Rows trashed more than ``IOMCMS_TRASH_DAYS`` days before ``at`` (default: now)."""
        limit = (at or timezone.now()) - datetime.timedelta(days=trash_days())
        return self.filter(trashed_at__lte=limit)


class TrashableModel(models.Model):
    trashed_at = models.DateTimeField(
        _("moved to the trash at"), null=True, blank=True, editable=False
    )
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the trash by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @classmethod
    def trash_index(cls, prefix):
        """The trash page's and ``empty_trash``'s index: trashed rows only, so it stays as
        small as the trash."""
        return models.Index(
            fields=["trashed_at"],
            condition=models.Q(trashed_at__isnull=False),
            name=f"{prefix}_trashed_idx",
        )

    @property
    def is_trashed(self):
        return self.trashed_at is not None

    def trash_expires_at(self):
        if self.trashed_at is None:
            return None
        return self.trashed_at + datetime.timedelta(days=trash_days())

    def move_to_trash(self, user=None, at=None):
        """Set the trash fields; return the names of the fields set (the caller saves)."""
        self.trashed_at = at or timezone.now()
        self.trashed_by = user if user is not None and user.is_authenticated else None
        return ["trashed_at", "trashed_by"]

    def take_out_of_trash(self):
        self.trashed_at = None
        self.trashed_by = None
        return ["trashed_at", "trashed_by"]

    def unique_error_message(self, model_class, unique_check):
        """A slug (or other unique value) held by an item in the trash stays reserved until
        that item is deleted for ever: say so, rather than "already exists"."""
        if len(unique_check) == 1:
            name = unique_check[0]
            held_in_trash = (
                model_class._default_manager.in_trash()
                .filter(**{name: getattr(self, name)})
                .exclude(pk=self.pk)
                .exists()
            )
            if held_in_trash:
                field = model_class._meta.get_field(name)
                return ValidationError(
                    message=gettext(
                        "A %(model)s in the trash has this %(field)s. Restore it, or delete it "
                        "for ever from the trash (admin home, Trash), to use the %(field)s again."
                    ),
                    code="unique",
                    params={
                        "model": model_class._meta.verbose_name,
                        "field": field.verbose_name,
                    },
                )
        return super().unique_error_message(model_class, unique_check)


def trashable_models():
    """Every concrete model with a trash, in app order (news items, projects, contacts)."""
    return [model for model in apps.get_models() if issubclass(model, TrashableModel)]


def _save(model, objs, fields, user, reason):
    from . import pagecache  # it reads the publishing rule, which builds on this module

    now = timezone.now()
    for obj in objs:
        obj.updated = now  # bulk_update() skips save(), so auto_now too
    with transaction.atomic():
        bulk_update_with_history(
            objs,
            model,
            [*fields, "updated"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
        # bulk_update() sends no post_save: say so to the page cache here.
        pagecache.content_changed()


def trash(model, objs, user=None):
    """Move ``objs`` (rows of ``model`` not in the trash) to the trash, recorded in their
    history with ``user``; returns how many moved."""
    now = timezone.now()
    objs = [obj for obj in objs if not obj.is_trashed]
    fields = set()
    for obj in objs:
        fields.update(obj.move_to_trash(user, now))
    if objs:
        _save(model, objs, sorted(fields), user, TRASHED_REASON)
    return len(objs)


def restore(model, objs, user=None):
    """Take ``objs`` out of the trash (news items and projects as drafts); returns how many."""
    objs = [obj for obj in objs if obj.is_trashed]
    fields = set()
    for obj in objs:
        fields.update(obj.take_out_of_trash())
    if objs:
        _save(model, objs, sorted(fields), user, RESTORED_REASON)
    return len(objs)


def delete_for_ever(objs):
    """Delete trashed rows for good (their links go with them; their history stays)."""
    count = 0
    with transaction.atomic():
        for obj in objs:
            if obj.is_trashed:
                obj.delete()  # post_delete: history's "-" record and the page cache
                count += 1
    return count


def empty_trash(at=None, dry_run=False):
    """Delete every row trashed longer than the setting at ``at``: {model: count}."""
    counts = {}
    for model in trashable_models():
        expired = model._default_manager.in_trash().trash_expired(at).order_by("pk")
        if dry_run:
            counts[model] = expired.count()
            continue
        deleted = 0
        while batch := list(expired[:500]):
            deleted += delete_for_ever(batch)
        counts[model] = deleted
    return counts
