"""The newsroom's two roles, defined in code and applied to the database by ``migrate``.

Editors write: they create and edit news items, projects, press contacts and the lists behind
them, and import legacy texts. Publishers also decide what the public sees: they publish,
unpublish and schedule (the ``publish_*`` permissions), delete, and create and withdraw embargo
links (``embargo.share_embargolink``).

``sync_roles`` makes each group hold exactly these permissions. Migration
``iomcms/0001_roles`` creates the groups, and a ``post_migrate`` hook (see ``apps.py``) runs it
again after every ``migrate``, so a model added later, or a permission granted by hand to one
of these two groups, is brought back in line on the next deploy. Custom roles belong in groups
of their own.
"""

from .permissions import codename

EDITORS = "Editors"
PUBLISHERS = "Publishers"

# (app_label, model) -> actions; "publish" is the models' custom permission.
_CONTENT = {
    ("news", "newsitem"): ("add", "change", "view"),
    ("news", "newsitemcontact"): ("add", "change", "delete", "view"),
    # The projects a release is about: a link set or removed is no publication either.
    ("news", "newsitemproject"): ("add", "change", "delete", "view"),
    ("projects", "project"): ("add", "change", "view"),
    ("projects", "projecttype"): ("add", "change", "view"),
    ("projects", "region"): ("add", "change", "view"),
    ("contacts", "contact"): ("add", "change", "view"),
    ("pictures", "picture"): ("add", "change", "view"),
    # Redirects from the old site's addresses: a link fixed or removed is no publication.
    ("legacy", "redirect"): ("add", "change", "delete", "view"),
    # Editors see an item's embargo links and their openings, not the addresses.
    ("embargo", "embargolink"): ("view",),
}
_PUBLISHER_EXTRA = {
    ("news", "newsitem"): ("publish", "delete"),
    ("projects", "project"): ("publish", "delete"),
    # Merging contacts deletes the duplicates.
    ("contacts", "contact"): ("delete",),
    # Sending an unpublished item outside the newsroom (iomcms.permissions.can_share_embargo).
    ("embargo", "embargolink"): ("share",),
    ("pictures", "picture"): ("delete",),
}


def role_permissions():
    """{group name: {(app_label, codename), ...}}"""
    editors = {
        (app, codename(action, model))
        for (app, model), actions in _CONTENT.items()
        for action in actions
    }
    publishers = editors | {
        (app, codename(action, model))
        for (app, model), actions in _PUBLISHER_EXTRA.items()
        for action in actions
    }
    return {EDITORS: editors, PUBLISHERS: publishers}


def sync_roles(apps, using="default", create_permissions=True):
    """Create the groups if needed and set their permissions to exactly the lists above.

    ``apps`` is a migration's app registry or ``django.apps.apps``. Permissions that do not
    exist yet (a model whose migration has not run) are skipped and picked up on the next run.
    """
    if create_permissions:
        _create_permissions(apps, using)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        app_labels = {app for app, _ in wanted}
        candidates = (
            Permission.objects.using(using)
            .filter(content_type__app_label__in=app_labels)
            .select_related("content_type")
        )
        permissions = [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]
        group.permissions.set(permissions)


def _create_permissions(apps, using):
    """Permissions are normally created after all migrations; a migration has to ask."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True  # a migration's app stubs have none
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = saved


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """``post_migrate`` receiver: Django has just created any new permissions."""
    from django.apps import apps as registry

    with_models = [config for config in registry.get_app_configs() if config.models_module]
    if not with_models or sender is not with_models[-1]:
        return  # sent once per app: act once, after the last
    if apps is None:
        apps = registry
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # auth not migrated in this run (e.g. a partial migrate)
        return
    sync_roles(apps, using=using, create_permissions=False)
