import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from news.models import NewsItemProject
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT

# Pinned query counts (the same on SQLite and PostgreSQL):
# list: COUNT + one page of rows, and one count per facet whose own filter is set, plus the
# language's (iomcms/facets.py, the facet cache off in tests): with a search, a facet whose
# filter is not set (kind) is counted among the candidates, its column read with them.
# detail: the item + its public contacts (one prefetch with the contact joined) + its public
# projects (one prefetch, the project joined) + related news (news/related.py).
LIST_QUERIES = 2 + 3
# Unfiltered, country, year and kind count the same rows and share one query; the language
# facet counts every language (iomcms/facets.py, count_together).
UNFILTERED_LIST_QUERIES = 2 + 2
DETAIL_QUERIES = 4


def rows(response):
    return list(response.context["object_list"])


# --- List --------------------------------------------------------------------------------------


def test_list_shows_published_items_only(client):
    published = make_news_item(title="Published story")
    draft = make_news_item(title="Secret draft story", publication_status=DRAFT)
    response = client.get("/news/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Published story" in content
    assert published.get_absolute_url() in content
    assert "Secret draft story" not in content
    assert draft.get_absolute_url() not in content
    assert rows(response) == [published]


def test_list_is_newest_first_with_undated_last(client):
    undated = make_news_item(published_on=None)
    old = make_news_item(published_on=datetime.date(2012, 1, 1))
    new = make_news_item(published_on=datetime.date(2022, 1, 1))
    assert rows(client.get("/news/")) == [new, old, undated]


def test_list_card_shows_kind_date_and_lead(client):
    make_news_item(
        title="Statement on Darién",
        kind="statement",
        published_on=datetime.date(2023, 8, 9),
        lead="The Director General said today.",
    )
    content = client.get("/news/").content.decode()
    assert "Statement" in content
    assert '<time datetime="2023-08-09">9 August 2023</time>' in content
    assert "The Director General said today." in content


def test_filter_q_matches_every_word_in_title_lead_or_dateline(client):
    both = make_news_item(title="Floods in Piura", lead="Families displaced", dateline="Lima")
    in_dateline = make_news_item(title="Floods response", lead="", dateline="Piura")
    neither = make_news_item(title="Floods in Tumbes", lead="", dateline="Lima")
    draft = make_news_item(title="Floods in Piura draft", publication_status=DRAFT)
    found = rows(client.get("/news/", {"q": "piura FLOODS"}))
    assert set(found) == {both, in_dateline}
    assert neither not in found and draft not in found


def test_filter_country_matches_any_of_the_item_countries(client):
    colombia_ecuador = make_news_item(countries=["CO", "EC"])
    ecuador = make_news_item(countries=["EC"])
    peru = make_news_item(countries=["PE"])
    assert set(rows(client.get("/news/", {"country": "EC"}))) == {colombia_ecuador, ecuador}
    assert rows(client.get("/news/", {"country": "CO"})) == [colombia_ecuador]
    assert rows(client.get("/news/", {"country": "PE"})) == [peru]


def test_filter_year(client):
    in_2019 = make_news_item(published_on=datetime.date(2019, 12, 31))
    also_2019 = make_news_item(published_on=datetime.date(2019, 1, 1))
    make_news_item(published_on=datetime.date(2020, 1, 1))
    make_news_item(published_on=datetime.date(2018, 12, 31))
    make_news_item(published_on=None)
    assert rows(client.get("/news/", {"year": "2019"})) == [in_2019, also_2019]


def test_filter_kind(client):
    statement = make_news_item(kind="statement")
    make_news_item(kind="press-release")
    assert rows(client.get("/news/", {"kind": "statement"})) == [statement]


def test_filters_combine(client):
    match = make_news_item(kind="story", countries=["SV"], published_on=datetime.date(2017, 3, 1))
    make_news_item(kind="story", countries=["SV"], published_on=datetime.date(2016, 3, 1))
    make_news_item(kind="news", countries=["SV"], published_on=datetime.date(2017, 3, 1))
    make_news_item(kind="story", countries=["GT"], published_on=datetime.date(2017, 3, 1))
    response = client.get("/news/", {"kind": "story", "country": "SV", "year": "2017"})
    assert rows(response) == [match]


def test_pagination_keeps_the_filters(client, page_link):
    colombia = [make_news_item(countries=["CO"], kind="story") for _ in range(21)]
    make_news_item(countries=["EC"], kind="story")
    make_news_item(countries=["CO"], kind="news")
    first = client.get("/news/", {"country": "CO", "kind": "story"})
    assert len(rows(first)) == 20
    assert "Showing 1–20 of 21" in first.content.decode()
    next_url = page_link(first, "next")
    assert parse_qs(urlsplit(next_url).query) == {
        "country": ["CO"], "kind": ["story"], "page": ["2"],
    }  # fmt: skip
    second = client.get(next_url)
    assert second.status_code == 200
    assert rows(second) == [colombia[0]]  # the oldest one
    assert set(rows(first)) | set(rows(second)) == set(colombia)
    previous = parse_qs(urlsplit(page_link(second, "prev")).query)
    assert previous == {"country": ["CO"], "kind": ["story"], "page": ["1"]}


def test_pagination_link_does_not_repeat_the_page_parameter(client, page_link):
    for _ in range(41):
        make_news_item()
    second = client.get("/news/", {"page": "2", "kind": "press-release"})
    assert parse_qs(urlsplit(page_link(second, "next")).query) == {
        "kind": ["press-release"], "page": ["3"],
    }  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        {"year": "abc"},
        {"year": "99999999999"},
        {"country": "ZZZ"},
        {"kind": "gossip"},
        {"q": "x" * 5000},
        {"q": "a\x00b"},
    ],
)
def test_invalid_filter_is_shown_as_ignored_and_the_valid_one_still_applies(client, bad):
    ecuador_news = make_news_item(countries=["EC"], kind="news")
    peru_news = make_news_item(countries=["PE"], kind="news")
    make_news_item(countries=["EC"], kind="statement")
    if "country" in bad:  # the bad country is dropped, the kind still applies
        valid, expected = {"kind": "news"}, {ecuador_news, peru_news}
    else:
        valid, expected = {"country": "PE"}, {peru_news}
    response = client.get("/news/", {**valid, **bad})
    assert response.status_code == 200
    assert "ignored" in response.content.decode()
    assert set(rows(response)) == expected


def test_out_of_range_page_shows_the_last_page(client):
    items = [make_news_item() for _ in range(21)]
    response = client.get("/news/", {"page": "999"})
    assert response.status_code == 200
    assert rows(response) == [items[0]]


@pytest.mark.parametrize("rows_count", [1, 25])
def test_list_query_count_is_constant(client, django_assert_num_queries, rows_count):
    contacts = [make_contact(), make_contact()]
    for _ in range(rows_count):
        make_news_item(
            contacts=contacts, countries=["CO", "EC"], published_on=datetime.date(2020, 6, 1)
        )
    with django_assert_num_queries(UNFILTERED_LIST_QUERIES):
        response = client.get("/news/")
    assert len(rows(response)) == min(rows_count, 20)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/news/", {"country": "CO", "q": "IOM", "year": "2020", "page": "2"})
    assert len(rows(response)) == (5 if rows_count == 25 else 1)


# --- Detail ------------------------------------------------------------------------------------


@pytest.fixture
def release():
    officer = make_contact(
        name="Jorge Gallo",
        office="IOM Colombia",
        email="jgallo@iom.int",
        phone="+57.1.594.6410 ext. 142",
        mobile="57.311 5619495 or 57.1.594 6410",
    )
    hidden = make_contact(name="Hidden Person", email="hidden@iom.int", is_public=False)
    second = make_contact(name="Ana Pérez", office="IOM Ecuador", email="aperez@iom.int")
    return make_news_item(
        title="IOM assists Venezuelan migrants",
        kind="press-release",
        dateline="Bogotá",
        published_on=datetime.date(2019, 3, 1),
        lead="A lead sentence.",
        body="<p>First paragraph of the <strong>body</strong>.</p>",
        countries=["CO", "EC"],
        contacts=[second, hidden, officer],
    )


def test_detail_shows_the_item(client, release):
    response = client.get("/news/iom-assists-venezuelan-migrants/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>IOM assists Venezuelan migrants</h1>" in content
    assert '<span class="dateline">Bogotá</span>' in content
    assert '<time datetime="2019-03-01">1 March 2019</time>' in content
    assert "A lead sentence." in content
    assert "<p>First paragraph of the <strong>body</strong>.</p>" in content
    assert "Press release" in content


def test_detail_contacts_block_has_mailto_and_tel_links_in_order(client, release):
    content = client.get(release.get_absolute_url()).content.decode()
    assert "For more information, please contact" in content
    assert '<a href="mailto:jgallo@iom.int">jgallo@iom.int</a>' in content
    assert '<a href="tel:+5715946410;ext=142">+57.1.594.6410 ext. 142</a>' in content
    assert '<a href="tel:573115619495">57.311 5619495 or 57.1.594 6410</a>' in content
    assert '<a href="/contacts/jorge-gallo-iom-colombia/">Jorge Gallo</a>' in content
    assert content.index("Ana Pérez") < content.index("Jorge Gallo")


def test_detail_leaves_out_non_public_contacts(client, release):
    content = client.get(release.get_absolute_url()).content.decode()
    assert "Hidden Person" not in content
    assert "hidden@iom.int" not in content


def test_detail_without_public_contacts_has_no_contacts_block(client):
    item = make_news_item(contacts=[make_contact(is_public=False)])
    content = client.get(item.get_absolute_url()).content.decode()
    assert "For more information, please contact" not in content


def test_detail_lists_countries_with_links_to_their_pages(client, release):
    # The country page (countries/) links on to the news list filtered by the country.
    content = client.get(release.get_absolute_url()).content.decode()
    assert '<a href="/countries/co/">Colombia</a>' in content
    assert '<a href="/countries/ec/">Ecuador</a>' in content


def test_detail_of_an_undated_item(client):
    item = make_news_item(published_on=None)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert '<span class="date-unknown">Date unknown</span>' in response.content.decode()


def test_related_news_share_any_of_its_countries_and_are_published(client, release):
    assert [country.code for country in release.countries] == ["CO", "EC"]
    related = make_news_item(title="Also about Colombia", countries=["PE", "CO"])
    second = make_news_item(title="About Ecuador only", countries=["EC"])
    make_news_item(title="Draft about Colombia", countries=["CO"], publication_status=DRAFT)
    make_news_item(title="About Peru only", countries=["PE"])
    make_news_item(title="About Ecuadorians in Mexico", countries=["MX"], lead="EC and CO.")
    response = client.get(release.get_absolute_url())
    assert response.context["related_news"] == [second, related]
    content = response.content.decode()
    assert "Related news" in content
    assert "Also about Colombia" in content
    assert "Draft about Colombia" not in content
    assert "About Peru only" not in content


def test_related_news_of_an_item_without_country_share_its_kind(client):
    item = make_news_item(countries=[], kind="briefing")
    same_kind = make_news_item(countries=["PE"], kind="briefing")
    make_news_item(countries=[], kind="story")
    make_news_item(countries=[], kind="briefing", publication_status=DRAFT)
    assert client.get(item.get_absolute_url()).context["related_news"] == [same_kind]


def test_related_news_are_at_most_three_newest_first(client, release):
    others = [
        make_news_item(countries=["CO"], published_on=datetime.date(2020, 1, day))
        for day in range(1, 6)
    ]
    related = client.get(release.get_absolute_url()).context["related_news"]
    assert related == others[:1:-1]


def test_draft_detail_is_404(client):
    draft = make_news_item(publication_status=DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/news/no-such-item/").status_code == 404


@pytest.mark.parametrize("contacts_count", [1, 6])
def test_detail_query_count_is_constant(client, django_assert_num_queries, contacts_count):
    contacts = [make_contact() for _ in range(contacts_count)]
    item = make_news_item(contacts=contacts, countries=["CO", "EC"])
    for _ in range(contacts_count * 2):
        make_news_item(contacts=contacts[:2], countries=["CO", "EC"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(item.get_absolute_url())
    assert len(response.context["object"].public_contact_links) == contacts_count


def test_plain_text_fields_are_escaped(client):
    item = make_news_item(
        title='<script>alert("title")</script>',
        lead="<img src=x onerror=alert(1)>",
        dateline="<b>Goma</b>",
    )
    for url in [item.get_absolute_url(), "/news/", "/"]:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in content, url
        assert "<img src=x" not in content, url
    assert "&lt;b&gt;Goma&lt;/b&gt;" in client.get(item.get_absolute_url()).content.decode()


# --- Related projects (news.NewsItemProject, news/related.py) ------------------------------


def test_related_projects_are_the_public_linked_ones(client, release):
    live = make_project(title="Border support", project_code="CE.0373")
    draft = make_project(title="Secret pilot", publication_status=DRAFT)
    scheduled = make_project(
        title="Next year's programme",
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    for project in (live, draft, scheduled):
        NewsItemProject.objects.create(news_item=release, project=project)
    response = client.get(release.get_absolute_url())
    assert [link.project for link in response.context["object"].public_project_links] == [live]
    content = response.content.decode()
    assert "Related projects" in content
    assert f'<a href="{live.get_absolute_url()}">Border support</a>' in content
    assert "Secret pilot" not in content and "Next year" not in content


def test_an_item_without_public_projects_has_no_related_projects_section(client, release):
    NewsItemProject.objects.create(
        news_item=release, project=make_project(publication_status=DRAFT)
    )
    assert "Related projects" not in client.get(release.get_absolute_url()).content.decode()


@pytest.mark.parametrize("projects_count", [0, 1, 4])
def test_detail_query_count_whatever_the_countries_and_projects(
    client, django_assert_num_queries, projects_count
):
    item = make_news_item(countries=["CO", "EC", "PE", "VE", "BR"][: projects_count + 1])
    for project in [make_project() for _ in range(projects_count)]:
        NewsItemProject.objects.create(news_item=item, project=project)
    make_news_item(countries=["BR"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(item.get_absolute_url())
    assert len(response.context["object"].public_project_links) == projects_count
    assert len(response.context["related_news"]) == (1 if projects_count == 4 else 0)
