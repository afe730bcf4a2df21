from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", include("news.urls")),
    path("projects/", include("projects.urls")),
    path("contacts/", include("contacts.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "iomcms.views.page_not_found"
handler500 = "iomcms.views.server_error"
