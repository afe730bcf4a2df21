"""The legacy app's admin page, included by the root URLconf under /admin/import-legacy/.

The name stays global ("import-legacy", no namespace): the admin index links to it.
"""

from django.contrib import admin
from django.urls import path

from .admin_views import import_legacy

urlpatterns = [
    path("", admin.site.admin_view(import_legacy), name="import-legacy"),
]
