from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IomcmsConfig(AppConfig):
    name = "iomcms"
    verbose_name = "iomcms"

    def ready(self):
        from .roles import sync_roles_after_migrate

        # Once per migrate (sender=self), after auth's own receiver created new permissions.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="iomcms-roles")
