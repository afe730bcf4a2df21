"""Small factories: each fills in sensible defaults and takes overrides as keyword arguments."""

import datetime
import itertools
from decimal import Decimal

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from iomcms.text import match_key
from news.models import NewsItem, NewsItemContact
from projects.models import Project, ProjectType, Region

_counter = itertools.count(1)


def make_contact(**overrides):
    n = next(_counter)
    fields = {
        "name": f"Press Officer {n}",
        "office": "IOM Colombia",
        "email": f"officer{n}@iom.int",
        "phone": "+57 1 594 6410",
        "country": "CO",
        # Public on their own, so a test of a contact page needs no release. Tests of the
        # publication rule (ContactQuerySet.published) pass is_spokesperson=False.
        "is_spokesperson": True,
    }
    fields.update(overrides)
    return Contact.objects.create(**fields)


def make_news_item(*, contacts=(), **overrides):
    n = next(_counter)
    fields = {
        "title": f"IOM helps displaced families {n}",
        "kind": "press-release",
        "dateline": "Bogotá",
        "published_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        "lead": "A short lead sentence.",
        "body": "<p>Body paragraph.</p>",
        "countries": ["CO"],
        "publication_status": PublicationStatus.PUBLISHED,
    }
    fields.update(overrides)
    if fields["published_on"] is None and "legacy_key" not in overrides:
        # Only imported archive pages stay undated once published (NewsItem.save dates the
        # others), so an undated test item is an imported one.
        fields["legacy_key"] = f"test-archive-{n}"
    item = NewsItem.objects.create(**fields)
    for position, contact in enumerate(contacts):
        NewsItemContact.objects.create(news_item=item, contact=contact, position=position)
    return item


def make_region(name="Latin America and the Caribbean"):
    return Region.objects.get_or_create(name=name)[0]


def make_project_type(name="Community and Economic Development"):
    return ProjectType.objects.get_or_create(name=name)[0]


def make_project(**overrides):
    n = next(_counter)
    fields = {
        "title": f"Border community support {n}",
        "project_code": f"CE.{n:04d}",
        "prima_id": f"CO10P{n:04d}",
        "status": "active",
        "start": "2017",
        "end": "2018",
        "year": 2017,
        "budget_usd": Decimal("100000.00"),
        "coverage": "national",
        "benefiting_states": ["CO"],
        "description": "<p>What the project does.</p>",
        "publication_status": PublicationStatus.PUBLISHED,
    }
    fields.update(overrides)
    if "region" not in fields:
        fields["region"] = make_region()
    if "project_type" not in fields:
        fields["project_type"] = make_project_type()
    return Project.objects.create(**fields)


# Bulk helpers: many rows in one INSERT each, for admin changelists and list pages. They skip
# save(), so they set the slug (and anything else save() would fill in) themselves.


def bulk_contacts(count, **overrides):
    contacts = []
    for _ in range(count):
        n = next(_counter)
        fields = {
            "name": f"Bulk Officer {n}",
            "slug": f"bulk-officer-{n}",
            "office": "IOM Ecuador",
            "email": f"bulk{n}@iom.int",
            "phone": "+593 2 123 4567",
            "country": "EC",
            "is_spokesperson": True,  # public on their own, as in make_contact()
        }
        fields.update(overrides)
        # bulk_create skips save(), which sets the match key.
        fields.setdefault("match_key", match_key(fields["name"], fields["office"]))
        contacts.append(Contact(**fields))
    return Contact.objects.bulk_create(contacts)


def bulk_news_items(count, *, contacts=(), **overrides):
    items = []
    for _ in range(count):
        n = next(_counter)
        fields = {
            "title": f"Bulk news item {n}",
            "slug": f"bulk-news-item-{n}",
            "kind": "news",
            "dateline": "Quito",
            "published_on": datetime.date(2019, 1, 1) + datetime.timedelta(days=n % 365),
            "lead": "Bulk lead.",
            "body": "<p>Bulk body.</p>",
            "countries": ["EC"],
            "publication_status": PublicationStatus.PUBLISHED,
        }
        fields.update(overrides)
        items.append(NewsItem(**fields))
    items = NewsItem.objects.bulk_create(items)
    NewsItemContact.objects.bulk_create(
        NewsItemContact(news_item=item, contact=contact, position=position)
        for item in items
        for position, contact in enumerate(contacts)
    )
    return items


def bulk_projects(count, **overrides):
    region = overrides.pop("region", None) or make_region()
    project_type = overrides.pop("project_type", None) or make_project_type()
    projects = []
    for _ in range(count):
        n = next(_counter)
        fields = {
            "title": f"Bulk project {n}",
            "slug": f"bulk-project-{n}",
            "project_code": f"BK.{n:05d}",
            "status": "completed",
            "start": "2015",
            "end": "2016",
            "year": 2015,
            "budget_usd": Decimal("5000.00"),
            "coverage": "regional",
            "benefiting_states": ["EC"],
            "region": region,
            "project_type": project_type,
            "publication_status": PublicationStatus.PUBLISHED,
        }
        fields.update(overrides)
        projects.append(Project(**fields))
    return Project.objects.bulk_create(projects)


def bulk_named(model, count, prefix):
    """``count`` ProjectType or Region rows."""
    rows = []
    for _ in range(count):
        n = next(_counter)
        rows.append(model(name=f"{prefix} {n}", slug=f"{prefix.lower()}-{n}"))
    return model.objects.bulk_create(rows)


def inline_management(prefix, total=0, initial=0):
    """An admin inline's management form fields, for a change form POST."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def make_embargo_link(item, **overrides):
    """An embargo link to ``item`` (a news item or a project), valid for a week."""
    from django.utils import timezone

    from embargo.models import EmbargoLink

    fields = {
        EmbargoLink.field_for(item): item,
        "recipients": "Reuters Geneva desk",
        "expires_at": timezone.now() + datetime.timedelta(days=7),
    }
    fields.update(overrides)
    return EmbargoLink.objects.create(**fields)


def picture_bytes(width=1600, height=900, fmt="JPEG", exif=None, mode="RGB", color=(30, 90, 160)):
    """A small real picture file's bytes, made with Pillow (``exif``: a PIL.Image.Exif)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    Image.new(mode, (width, height), color).save(buffer, fmt, **extra)
    return buffer.getvalue()


def make_picture(name="photo.jpg", data=None, **overrides):
    """A Picture saved through its model (checked, stripped and rendered like an upload)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pictures.models import Picture

    fields = {"alt_text": "Families wait at a registration desk.", "credit": "© IOM 2024/J. Doe"}
    fields.update(overrides)
    upload = SimpleUploadedFile(name, data or picture_bytes(), content_type="image/jpeg")
    picture = Picture(file=upload, **fields)
    picture.full_clean()
    picture.save()
    return picture
