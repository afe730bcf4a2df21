"""The read-only JSON API: ``/api/v1/news/``, ``/api/v1/projects/``, ``/api/v1/contacts/`` and
one item by slug under each (docs/architecture.md, "API").

Every row starts from the model's ``published()``, as on the pages (a draft, scheduled or
expired item is a 404 here too); lists bind the list page's FilterSet (:mod:`api.filters`)
and page with a cursor (:mod:`api.pagination`). Caching headers, ``ETag``/``Last-Modified``
and ``304`` come from the page cache middleware, as for every public read
(:mod:`iomcms.pagecache`: no copy outlives the next go-live or expiry); CORS from
:mod:`api.cors`; throttling from :mod:`api.throttling`. No session or user is read: the API
has no authentication.
"""

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins
from rest_framework.decorators import api_view
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from contacts.filters import ContactFilter
from contacts.models import Contact
from contacts.views import RELEASES_SHOWN
from news.filters import NewsItemFilter
from news.models import NewsItem
from news.views import public_contact_links
from projects.filters import ProjectFilter
from projects.models import Project

from . import serializers
from .filters import ListFilterBackend
from .pagination import KeysetPagination
from .throttling import AnonymousThrottle


class ApiView(generics.GenericAPIView):
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    lookup_field = "slug"

    def base_queryset(self):
        return self.queryset_model.objects.published()

    def get_queryset(self):
        return self.base_queryset()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["addresses"] = serializers.Addresses(self.request)
        return context

    def extra_context(self, rows):
        """What the rows' representations need besides the rows (one query each, or none)."""
        return {}

    def serialize(self, rows, many):
        context = self.get_serializer_context()
        context.update(self.extra_context(rows))
        return self.get_serializer_class()(rows if many else rows[0], many=many, context=context)


class ApiListView(mixins.ListModelMixin, ApiView):
    filter_backends = [ListFilterBackend]
    filterset_class = None

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.serialize(page, many=True).data)


class ApiDetailView(mixins.RetrieveModelMixin, ApiView):
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        return Response(self.serialize([item], many=False).data)


class TranslatedMixin:
    def extra_context(self, rows):
        return {"translations": self.queryset_model.public_translations_of(rows)}


# -- news ---------------------------------------------------------------------------------


class NewsMixin(TranslatedMixin):
    queryset_model = NewsItem
    serializer_class = serializers.NewsItemSerializer

    def base_queryset(self):
        return NewsItem.objects.published().prefetch_related(public_contact_links())


@extend_schema(
    summary="News items",
    description="Published news items, newest first (undated archive items last), with the "
    "news list's filters. `lang` defaults to `all` here.",
)
class NewsListView(NewsMixin, ApiListView):
    filterset_class = NewsItemFilter
    pagination_class = KeysetPagination.sized(20)


@extend_schema(summary="A news item")
class NewsDetailView(NewsMixin, ApiDetailView):
    pass


# -- projects -----------------------------------------------------------------------------


class ProjectMixin(TranslatedMixin):
    queryset_model = Project
    serializer_class = serializers.ProjectSerializer

    def base_queryset(self):
        return Project.objects.published().select_related("project_type", "region")


@extend_schema(
    summary="Projects",
    description="Published projects, newest funding year first (or in the `sort` order), with "
    "the project list's filters. `lang` defaults to `all` here.",
)
class ProjectListView(ProjectMixin, ApiListView):
    filterset_class = ProjectFilter
    pagination_class = KeysetPagination.sized(20)


@extend_schema(summary="A project")
class ProjectDetailView(ProjectMixin, ApiDetailView):
    pass


# -- contacts ------------------------------------------------------------------------------


class ContactMixin:
    queryset_model = Contact
    serializer_class = serializers.ContactSerializer


@extend_schema(
    summary="Press contacts",
    description="Public press contacts by name, with the contact directory's filters.",
)
class ContactListView(ContactMixin, ApiListView):
    filterset_class = ContactFilter
    pagination_class = KeysetPagination.sized(30)


@extend_schema(summary="A press contact")
class ContactDetailView(ContactMixin, ApiDetailView):
    serializer_class = serializers.ContactDetailSerializer

    def extra_context(self, rows):
        releases = NewsItem.objects.published().for_list().filter(contacts=rows[0])
        return {"releases": list(releases[:RELEASES_SHOWN])}


# -- the rest --------------------------------------------------------------------------------


class ApiRootView(APIView):
    """Where everything is."""

    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]

    @extend_schema(exclude=True)
    def get(self, request):
        names = ("news", "projects", "contacts", "schema", "docs")
        return Response(
            {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names}
        )


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404."""
    return Response({"detail": gettext("Not found.")}, status=404)


not_found.cls.renderer_classes = [JSONRenderer]
not_found.cls.authentication_classes = []
not_found.cls.permission_classes = [AllowAny]
