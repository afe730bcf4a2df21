import datetime

import pytest
from django.db import IntegrityError, transaction

from iomcms.publishing import PublicationStatus, WorkflowState
from news.models import NewsItem, NewsItemContact
from tests.factories import make_contact, make_news_item

pytestmark = pytest.mark.django_db

DANGEROUS_HTML = [
    ("<p>Hi</p><script>alert(1)</script>", "<p>Hi</p>"),
    ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    (
        '<a href="JaVaScRiPt:alert(1)" title="t">x</a>',
        '<a title="t" rel="noopener noreferrer">x</a>',
    ),
    ('<img src="x" onerror="alert(1)"><p>ok</p>', "<p>ok</p>"),
    ('<iframe src="https://evil.example"></iframe><p>ok</p>', "<p>ok</p>"),
    ("<style>body{display:none}</style><p>ok</p>", "<p>ok</p>"),
    ('<p style="color:red">ok</p>', "<p>ok</p>"),
    ("<!-- note --><p>ok</p>", "<p>ok</p>"),
]


def test_str_is_the_title():
    assert str(make_news_item(title="Migrants rescued off Lampedusa")) == (
        "Migrants rescued off Lampedusa"
    )


def test_get_absolute_url_uses_the_namespaced_detail_url():
    item = make_news_item(title="Aid reaches Cúcuta")
    assert item.slug == "aid-reaches-cucuta"
    assert item.get_absolute_url() == "/news/aid-reaches-cucuta/"


def test_ordering_newest_first_and_undated_last():
    old = make_news_item(published_on=datetime.date(2015, 5, 1))
    undated_a = make_news_item(published_on=None)
    new = make_news_item(published_on=datetime.date(2021, 5, 1))
    undated_b = make_news_item(published_on=None)
    middle = make_news_item(published_on=datetime.date(2018, 5, 1))
    # Undated items come last on every database, newest row first among them.
    assert list(NewsItem.objects.all()) == [new, middle, old, undated_b, undated_a]
    assert list(NewsItem.objects.published().for_list()) == [
        new, middle, old, undated_b, undated_a,
    ]  # fmt: skip


def test_same_date_is_ordered_by_newest_row():
    day = datetime.date(2020, 6, 1)
    first = make_news_item(published_on=day)
    second = make_news_item(published_on=day)
    assert list(NewsItem.objects.all()) == [second, first]


def test_published_excludes_drafts():
    published = make_news_item()
    draft = make_news_item(publication_status=PublicationStatus.DRAFT)
    assert list(NewsItem.objects.published()) == [published]
    assert list(NewsItem.objects.in_state(WorkflowState.DRAFT)) == [draft]
    assert published.is_public() and not draft.is_public()


def test_new_items_are_drafts_by_default():
    item = NewsItem.objects.create(title="Untitled")
    assert item.publication_status == PublicationStatus.DRAFT
    assert not NewsItem.objects.published().exists()


def test_slug_is_generated_and_unique():
    a = make_news_item(title="IOM Welcomes New Member State")
    b = make_news_item(title="IOM welcomes new member state!")
    c = make_news_item(title="IOM welcomes new member state")
    assert [a.slug, b.slug, c.slug] == [
        "iom-welcomes-new-member-state",
        "iom-welcomes-new-member-state-2",
        "iom-welcomes-new-member-state-3",
    ]


def test_slug_is_kept_on_later_saves_and_when_given():
    item = make_news_item(title="First title")
    item.title = "Second title"
    item.save()
    item.refresh_from_db()
    assert item.slug == "first-title"
    assert make_news_item(title="Anything", slug="chosen-slug").slug == "chosen-slug"


def test_slug_of_a_title_without_latin_letters_falls_back():
    assert make_news_item(title="移民").slug == "item"
    assert make_news_item(title="!!!").slug == "item-2"


def test_long_title_gives_a_slug_within_the_field_length():
    title = ("word " * 60).strip()  # 299 characters, the title's limit is 300
    first = make_news_item(title=title)
    second = make_news_item(title=title)
    max_length = NewsItem._meta.get_field("slug").max_length
    assert len(first.slug) <= max_length and len(second.slug) <= max_length
    assert first.slug != second.slug


@pytest.mark.parametrize(("dirty", "clean"), DANGEROUS_HTML)
def test_body_is_sanitized_on_save(dirty, clean):
    item = make_news_item(body=dirty)
    item.refresh_from_db()
    assert item.body == clean


def test_allowed_tags_and_links_are_kept():
    html = (
        "<h2>Facts</h2><p><strong>Bold</strong> and <em>italic</em>, "
        '<a href="https://www.iom.int/" title="IOM">a link</a>, '
        '<a href="mailto:press@iom.int">mail</a>.</p>'
        "<ul><li>one</li></ul><blockquote>quote</blockquote>"
        '<table><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table>'
    )
    item = make_news_item(body=html)
    item.refresh_from_db()
    for fragment in [
        "<h2>Facts</h2>",
        "<strong>Bold</strong>",
        "<em>italic</em>",
        'href="https://www.iom.int/"',
        'title="IOM"',
        'href="mailto:press@iom.int"',
        "<ul><li>one</li></ul>",
        "<blockquote>quote</blockquote>",
        '<th scope="col">A</th>',
        "<td>1</td>",
    ]:
        assert fragment in item.body


def test_body_is_sanitized_on_every_save_not_only_the_first():
    item = make_news_item(body="<p>fine</p>")
    item.body = '<p>fine</p><script>alert("x")</script>'
    item.save()
    item.refresh_from_db()
    assert item.body == "<p>fine</p>"


def test_contacts_keep_their_position_order():
    first, second, third = make_contact(), make_contact(), make_contact()
    item = make_news_item(contacts=[third, first, second])
    assert [link.contact for link in item.contact_links.all()] == [third, first, second]


def test_a_contact_is_linked_to_an_item_only_once():
    contact = make_contact()
    item = make_news_item(contacts=[contact])
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsItemContact.objects.create(news_item=item, contact=contact, position=5)


def test_news_item_contact_str():
    contact = make_contact(name="Ana Pérez", office="IOM Peru")
    item = make_news_item(title="Floods in Piura", contacts=[contact])
    assert str(item.contact_links.get()) == "Ana Pérez (IOM Peru) on Floods in Piura"


def test_legacy_key_unique_when_present_blank_allowed_many_times():
    make_news_item(legacy_key="")
    make_news_item(legacy_key="")
    make_news_item(legacy_key="pr-2017-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_news_item(legacy_key="pr-2017-001")
    assert NewsItem.objects.filter(legacy_key="").count() == 2


def test_the_public_order_index_covers_the_schedule_on_postgresql():
    """published() tests go_live_at and expire_at: with them in the index, counting the public
    rows stays an index-only scan (news/migrations/0006, bench/results/lists.txt)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_indexdef('news_public_order_idx'::regclass)")
            (definition,) = cursor.fetchone()
            assert definition.endswith(
                "(publication_status, published_on DESC NULLS LAST, id DESC) "
                "INCLUDE (go_live_at, expire_at)"
            )
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'news_public_order_idx'")
            (definition,) = cursor.fetchone()
            assert "publication_status, published_on DESC, id DESC" in definition


def test_the_public_list_in_one_language_has_its_index(client):
    """/fr/news/ (status, language, then the public order): news/migrations/0012; on SQLite
    news.sqlite_indexes puts it back after a table rebuild."""
    from django.db import connection

    from news.sqlite_indexes import restore_sqlite_indexes

    name = "news_public_language_order_idx"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_get_indexdef('{name}'::regclass)")
            (definition,) = cursor.fetchone()
            assert definition.endswith(
                "(publication_status, language, published_on DESC NULLS LAST, id DESC) "
                "INCLUDE (go_live_at, expire_at)"
            )
        else:
            cursor.execute(f"DROP INDEX {name}")  # as a table rebuild would

            class Editor:  # what restore_sqlite_indexes uses of a schema editor
                def execute(self, sql):
                    cursor.execute(sql)

            Editor.connection = connection
            restore_sqlite_indexes(None, Editor())
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
            (definition,) = cursor.fetchone()
            assert "publication_status, language, published_on DESC, id DESC" in definition
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM news_newsitem WHERE publication_status = "
                "'published' AND language = 'fr' ORDER BY published_on DESC, id DESC LIMIT 20"
            )
            assert name in " ".join(str(row) for row in cursor.fetchall())
    make_news_item(language="fr", title="Retours depuis le Niger")
    assert "Retours depuis le Niger" in client.get("/fr/news/").content.decode()
