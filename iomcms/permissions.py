"""Who may do what: every permission rule of the site, in one place.

The admin (change forms, bulk actions, the merge, the admin home's flags), the public views
(preview), the legacy import page and the roles (``roles.py``) all ask here, so a rule changes
in one place. Models are named by label ("news.NewsItem") where a rule spans apps, so this
module imports no app.
"""

from django.apps import apps
from django.conf import settings

# Every model an import creates and updates: its users need add *and* change on each.
IMPORTED_MODELS = ("news.NewsItem", "projects.Project", "contacts.Contact")


# The content models: who may publish or delete any of them holds a Publisher's rights.
CONTENT_MODELS = ("news.NewsItem", "projects.Project", "contacts.Contact")


def codename(action, model_name):
    """A permission codename, ``<action>_<model_name>``, e.g. ``publish_newsitem``.

    The same shape as Django's ``get_permission_codename``; the roles build theirs with it
    from names alone (a migration's model stubs cannot be imported).
    """
    return f"{action}_{model_name}"


def _opts(model):
    if isinstance(model, str):
        model = apps.get_model(model)
    return model._meta


def has_model_perm(user, action, model):
    """``user.has_perm("<app>.<action>_<model>")``; ``model`` is a class or a label."""
    opts = _opts(model)
    return user.has_perm(f"{opts.app_label}.{codename(action, opts.model_name)}")


def is_active_staff(user):
    return user.is_active and user.is_staff


def can_publish(user, model):
    """The custom permission to publish, unpublish and schedule ``model``'s items."""
    return has_model_perm(user, "publish", model)


def can_review(user, model):
    """Approving an Editor's pending changes to ``model``'s items, or sending them back: the
    decision to change what the public sees, so a Publisher's (:func:`can_publish`)."""
    return is_active_staff(user) and can_publish(user, model)


def edits_need_review(user, obj):
    """Whether ``user``'s changes to ``obj`` wait for a Publisher's approval instead of being
    saved: ``obj`` is live or scheduled (the public sees it or will by itself) and ``user``
    may not publish it. Drafts and expired items are edited directly."""
    return not can_publish(user, type(obj)) and obj.state() in ("live", "scheduled")


def can_preview(user, model):
    """Staff who may view ``model`` in the admin may open its unpublished items at their
    public address, once past the second factor they must pass for the admin (a preview shows
    the same embargoed text)."""
    return (
        is_active_staff(user)
        and has_model_perm(user, "view", model)
        and not second_factor_missing(user)
    )


def can_share_embargo(user, model):
    """Creating and withdrawing embargo links to ``model``'s unpublished items (the
    ``embargo.share_embargolink`` permission, a Publisher's): a link lets people outside the
    newsroom read an item before it is public, which is deciding what others see. Past the
    second factor, as a preview is: the link shows the same embargoed text."""
    return (
        is_active_staff(user)
        and has_model_perm(user, "share", "embargo.EmbargoLink")
        and has_model_perm(user, "view", model)
        and not second_factor_missing(user)
    )


def can_translate(user, model):
    """Making a translation draft of an item: adding an item (a draft: nothing public
    changes, so Editors may; publishing it later is :func:`can_publish`'s)."""
    return is_active_staff(user) and has_model_perm(user, "add", model)


def can_import(user):
    """The admin's legacy import page: add and change on every model it writes."""
    return is_active_staff(user) and all(
        has_model_perm(user, action, model)
        for model in IMPORTED_MODELS
        for action in ("add", "change")
    )


def can_recover(user, model):
    """Bringing a deleted item back, and reading the history of a deleted item: the power to
    delete ``model``'s items (undeleting is the same decision, taken back)."""
    return is_active_staff(user) and has_model_perm(user, "delete", model)


def can_merge_contacts(user):
    """Merging changes one contact and deletes the others."""
    return has_model_perm(user, "change", "contacts.Contact") and has_model_perm(
        user, "delete", "contacts.Contact"
    )


def can_audit(user):
    """The audit page (``iomcms/audit.py``: every change by every user, drafts' titles
    included): superusers, and staff given Django's "Can view log entry" permission
    (``admin.view_logentry``) by hand. No role holds it (docs/decisions.md, "The audit
    page")."""
    return (
        is_active_staff(user)
        and (user.is_superuser or user.has_perm("admin.view_logentry"))
        and not second_factor_missing(user)
    )


def has_publisher_rights(user):
    """Superusers, and staff who may publish or delete any content (the Publishers)."""
    if not is_active_staff(user):
        return False
    return user.is_superuser or any(
        can_publish(user, model) or has_model_perm(user, "delete", model)
        for model in CONTENT_MODELS
    )


def must_use_otp(user):
    """Whether ``user`` must pass a one-time password before any admin page: Publishers and
    superusers, when ``IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS`` is on. Other staff may still
    choose to set one up."""
    return settings.IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS and has_publisher_rights(user)


def second_factor_missing(user):
    """Staff who must use a one-time password and have not passed one in this session
    (``user.is_verified()`` comes from django-otp's ``OTPMiddleware``)."""
    if not is_active_staff(user) or not must_use_otp(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())
