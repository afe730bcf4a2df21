"""What the API says about a news item, a project and a press contact: what their pages show.

Read-only representations (DRF serializers, so drf-spectacular documents them from the same
code). Conventions, the same in every payload:

- ``url``: the item's canonical public page, absolute, under its own language's prefix
  (``https://host/fr/news/<slug>/``: :func:`iomcms.languages.reverse_in`).
- Dates ISO 8601 (``2024-05-17``; ``modified``, a date-time in UTC); a project's ``start`` and
  ``end`` are ISO 8601 dates to the precision known (``"2017"``, ``"2017-03"``,
  ``"2017-03-01"``); unknown values are ``null``.
- Coded values as ``{"code", "name"}`` (countries: ISO 3166 alpha-2 and the English name;
  kind, status, coverage); a project's type and region as ``{"slug", "name"}``, the values the
  ``type`` and ``region`` filters take.
- Money as a decimal string with its currency: ``{"amount": "1250000.00", "currency": "USD"}``.
- ``translations``: the item's public translations only (``{"language", "url"}``), never a
  draft or scheduled one.
- HTML fields (``body``, ``description``) are the stored, sanitized HTML
  (:func:`iomcms.sanitize.clean_html`), as the page shows it.
"""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iomcms.languages import language_codes

CURRENCY = "USD"
DATETIME = serializers.DateTimeField()  # ISO 8601, as DRF writes it
MARKER = "slug-marker"


class Addresses:
    """Absolute page addresses for one request: ``reverse()`` once per language and URL name,
    not once per row."""

    def __init__(self, request):
        self.base = f"{request.scheme}://{request.get_host()}"
        self._parts = {}

    def page(self, url_name, slug, language=None):
        parts = self._parts.get((url_name, language))
        if parts is None:
            with translation.override(language or translation.get_language()):
                path = reverse(url_name, kwargs={"slug": MARKER})
            parts = self._parts[(url_name, language)] = path.rpartition(MARKER)[::2]
        prefix, suffix = parts
        return f"{self.base}{prefix}{slug}{suffix}"

    def absolute(self, path):
        return f"{self.base}{path}"


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SlugNameSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class BudgetSerializer(serializers.Serializer):
    amount = serializers.CharField(help_text='A decimal string, e.g. "1250000.00".')
    currency = serializers.CharField(help_text='Always "USD".')


class TranslationSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=language_codes())
    url = serializers.URLField()


def coded(value, label):
    return {"code": value, "name": str(label)} if value else None


class CountriesField(serializers.Field):
    """A CountryField (multiple or single) as ``[{code, name}]``."""

    def to_representation(self, value):
        if hasattr(value, "code"):  # a single CountryField's Country
            value = [value] if value else []
        return [{"code": country.code, "name": str(country.name)} for country in value]


CountriesField = extend_schema_field(CodeNameSerializer(many=True))(CountriesField)


class PublicItemSerializer(serializers.Serializer):
    """Fields every news item and project has."""

    url_name = None

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(help_text="The public page (canonical address).")
    language = serializers.ChoiceField(choices=language_codes())
    title = serializers.CharField()
    translations = serializers.SerializerMethodField(
        help_text="The public versions of this item in other languages."
    )
    modified = serializers.SerializerMethodField(
        help_text="When the public last saw it change (an edit, or its go-live)."
    )

    @property
    def addresses(self):
        return self.context["addresses"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.addresses.page(self.url_name, obj.slug, obj.language)

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, obj):
        versions = self.context["translations"].get(obj.pk, [])
        return [
            {
                "language": row.language,
                "url": self.addresses.page(self.url_name, row.slug, row.language),
            }
            for row in versions
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified(self, obj):
        return DATETIME.to_representation(obj.last_public_change())


class MediaContactSerializer(serializers.Serializer):
    """A press contact as a release lists them."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(help_text="The contact's public page.")
    name = serializers.CharField()
    job_title = serializers.CharField()
    office = serializers.CharField()
    organization = serializers.CharField()
    phones = serializers.SerializerMethodField()
    emails = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["addresses"].page("contacts:detail", obj.slug)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_phones(self, obj):
        return [number for number in (obj.phone, obj.mobile) if number]

    @extend_schema_field(serializers.ListField(child=serializers.EmailField()))
    def get_emails(self, obj):
        return [obj.email] if obj.email else []

    @extend_schema_field(CodeNameSerializer(allow_null=True))
    def get_country(self, obj):
        return coded(obj.country.code, obj.country.name) if obj.country else None


class NewsItemSerializer(PublicItemSerializer):
    url_name = "news:detail"

    kind = serializers.SerializerMethodField()
    dateline = serializers.CharField()
    published_on = serializers.DateField(
        allow_null=True, help_text="null: an undated archive item."
    )
    lead = serializers.CharField(help_text="Plain text.")
    body = serializers.CharField(help_text="Sanitized HTML.")
    countries = CountriesField()
    contacts = serializers.SerializerMethodField(help_text="The media contacts, in order.")

    @extend_schema_field(CodeNameSerializer)
    def get_kind(self, obj):
        return coded(obj.kind, obj.get_kind_display())

    @extend_schema_field(MediaContactSerializer(many=True))
    def get_contacts(self, obj):
        # One contact serializer for every row of the page: building one per row (DRF copies
        # every field of it) was a third of a list's time.
        child = self.__dict__.get("_contact_serializer")
        if child is None:
            child = self._contact_serializer = MediaContactSerializer(context=self.context)
        return [child.to_representation(link.contact) for link in obj.public_contact_links]


class ProjectSerializer(PublicItemSerializer):
    url_name = "projects:detail"

    project_code = serializers.CharField()
    prima_id = serializers.CharField()
    status = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()
    start = serializers.CharField(help_text='ISO 8601 to the precision known: "2017", "2017-03".')
    end = serializers.CharField(help_text='ISO 8601 to the precision known: "2017", "2017-03".')
    year = serializers.IntegerField(allow_null=True, help_text="The funding year.")
    budget = serializers.SerializerMethodField()
    countries = CountriesField(source="benefiting_states", help_text="Benefiting member states.")
    summary = serializers.CharField(help_text="Plain text.")
    description = serializers.CharField(help_text="Sanitized HTML.")

    def to_representation(self, obj):
        data = super().to_representation(obj)
        for name in ("start", "end"):
            data[name] = data[name] or None
        return data

    @extend_schema_field(CodeNameSerializer(allow_null=True))
    def get_status(self, obj):
        return coded(obj.status, obj.get_status_display())

    @extend_schema_field(CodeNameSerializer(allow_null=True))
    def get_coverage(self, obj):
        return coded(obj.coverage, obj.get_coverage_display())

    @extend_schema_field(SlugNameSerializer(allow_null=True))
    def get_type(self, obj):
        kind = obj.project_type
        return {"slug": kind.slug, "name": kind.name} if kind else None

    @extend_schema_field(SlugNameSerializer(allow_null=True))
    def get_region(self, obj):
        region = obj.region
        return {"slug": region.slug, "name": region.name} if region else None

    @extend_schema_field(BudgetSerializer(allow_null=True))
    def get_budget(self, obj):
        if obj.budget_usd is None:
            return None
        return {"amount": f"{obj.budget_usd:.2f}", "currency": CURRENCY}


class ReleaseSerializer(serializers.Serializer):
    """A release on a contact's page."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField()
    language = serializers.ChoiceField(choices=language_codes())
    title = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["addresses"].page("news:detail", obj.slug, obj.language)


class ContactSerializer(MediaContactSerializer):
    pass


class ContactDetailSerializer(ContactSerializer):
    releases = serializers.SerializerMethodField(
        help_text="Their public releases, newest first (at most 50, as on their page)."
    )

    @extend_schema_field(ReleaseSerializer(many=True))
    def get_releases(self, obj):
        return ReleaseSerializer(self.context["releases"], many=True, context=self.context).data
