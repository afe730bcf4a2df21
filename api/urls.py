"""``/api/v1/``: outside ``i18n_patterns``, one address for every client (iomcms/urls.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views
from .throttling import AnonymousThrottle

app_name = "api"


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    throttle_classes = [AnonymousThrottle]


urlpatterns = [
    path("v1/", views.ApiRootView.as_view(), name="root"),
    path("v1/news/", views.NewsListView.as_view(), name="news"),
    path("v1/news/<slug:slug>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("v1/projects/", views.ProjectListView.as_view(), name="projects"),
    path("v1/projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="projects-detail"),
    path("v1/contacts/", views.ContactListView.as_view(), name="contacts"),
    path("v1/contacts/<slug:slug>/", views.ContactDetailView.as_view(), name="contacts-detail"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/docs/", docs.api_docs, name="docs"),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
