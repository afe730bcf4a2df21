"""Model permission checks shared by the admin, the public views and the admin tools."""

from django.contrib.auth import get_permission_codename


def has_model_perm(user, action, model):
    """``user.has_perm("<app>.<action>_<model>")``, e.g. ``("publish", NewsItem)``."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def can_publish(user, model):
    """The custom permission to publish, unpublish and schedule ``model``'s items."""
    return has_model_perm(user, "publish", model)
