from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.db.models.signals import post_migrate


class IomcmsConfig(AppConfig):
    name = "iomcms"
    verbose_name = "iomcms"

    def ready(self):
        from . import pagecache
        from .roles import sync_roles_after_migrate

        # Any saved or deleted content row makes the cached pages invisible (iomcms/pagecache.py).
        pagecache.connect_signals()

        # post_migrate is sent once per app with models (this app has none); the receiver acts
        # on the last one, when auth's own receiver has created every new permission.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="iomcms-roles")


@checks.register()
def check_logo(app_configs, **kwargs):
    """``IOMCMS_LOGO`` names a static file that exists: with the manifest storage a missing
    one would make every page fail."""
    from django.contrib.staticfiles import finders

    if settings.IOMCMS_LOGO and not finders.find(settings.IOMCMS_LOGO):
        return [
            checks.Error(
                f"IOMCMS_LOGO is {settings.IOMCMS_LOGO!r}, which no static files directory holds.",
                hint="Put the file under static/ (e.g. static/img/) or set IOMCMS_LOGO to ''.",
                id="iomcms.E001",
            )
        ]
    return []


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our site as ``admin.site``, so ``@admin.register`` in every
    app registers on it."""

    default = False  # "iomcms" in INSTALLED_APPS still means IomcmsConfig
    default_site = "iomcms.admin.NewsroomAdminSite"
