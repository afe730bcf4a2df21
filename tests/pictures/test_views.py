"""Lead pictures on the public pages: item page, cards, link previews, structured data."""

import json
import re

import pytest

from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_picture, picture_bytes
from tests.news.test_views import DETAIL_QUERIES, UNFILTERED_LIST_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture():
    return make_picture(
        data=picture_bytes(1600, 900), caption="A boat reaches the harbour at dawn."
    )


def jsonld(response):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.text)
    return json.loads(match.group(1))


def meta(response, key):
    match = re.search(
        rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', response.text
    )
    return match and match.group(1)


def test_detail_page_shows_the_picture_with_srcset_sizes_and_dimensions(client, picture):
    item = make_news_item(lead_picture=picture)
    html = client.get(item.get_absolute_url()).text
    urls = {r["width"]: r for r in picture.renditions}
    webp_srcset = ", ".join(f"/media/{urls[w]['webp']} {w}w" for w in (480, 800, 1200))
    jpeg_srcset = ", ".join(f"/media/{urls[w]['jpeg']} {w}w" for w in (480, 800, 1200))
    assert f'<source type="image/webp" srcset="{webp_srcset}"' in html
    assert f'srcset="{jpeg_srcset}"' in html
    assert 'sizes="(min-width: 48rem) 46rem, 100vw"' in html
    assert 'width="1200" height="675" alt="Families wait at a registration desk."' in html
    assert 'loading="eager"' in html and 'fetchpriority="high"' in html
    assert "A boat reaches the harbour at dawn." in html
    assert '<span class="credit">© IOM 2024/J. Doe</span>' in html


def test_link_previews_name_the_picture_by_its_absolute_url(client, picture):
    item = make_news_item(lead_picture=picture)
    response = client.get(item.get_absolute_url())
    widest = f"http://testserver/media/{picture.renditions[-1]['jpeg']}"
    assert meta(response, "og:image") == widest
    assert meta(response, "twitter:image") == widest
    assert meta(response, "og:image:width") == "1200"
    assert meta(response, "og:image:height") == "675"
    assert meta(response, "og:image:alt") == "Families wait at a registration desk."
    assert meta(response, "twitter:card") == "summary_large_image"
    assert jsonld(response)["image"] == {
        "@type": "ImageObject",
        "url": widest,
        "contentUrl": widest,
        "width": 1200,
        "height": 675,
        "caption": "A boat reaches the harbour at dawn.",
        "creditText": "© IOM 2024/J. Doe",
    }


def test_an_item_without_picture_has_no_image_tags(client):
    response = client.get(make_news_item().get_absolute_url())
    assert meta(response, "og:image") is None
    assert meta(response, "twitter:card") == "summary"
    assert "image" not in jsonld(response)
    assert "<picture>" not in response.text


def test_media_on_another_host_is_kept_as_it_is(client, picture, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://media.example.org/"},
        },
    }
    item = make_news_item(lead_picture=picture)
    response = client.get(item.get_absolute_url())
    assert meta(response, "og:image") == (
        f"https://media.example.org/{picture.renditions[-1]['jpeg']}"
    )


def test_cards_show_a_small_lazy_picture(client, picture):
    make_news_item(lead_picture=picture, title="Boat arrives")
    html = client.get("/news/").text
    card = html[html.index('<div class="card-picture">') :]
    card = card[: card.index("</picture>")]
    assert 'loading="lazy"' in card
    assert 'sizes="16rem"' in card
    assert " 480w" in card and " 800w" in card and " 1200w" not in card
    assert 'width="800" height="450"' in card
    assert html.count('<div class="card-picture">') == 1


def test_home_and_related_cards_show_the_picture(client, picture):
    make_news_item(lead_picture=picture)
    other = make_news_item()
    assert picture.renditions[0]["jpeg"] in client.get("/").text
    assert picture.renditions[0]["jpeg"] in client.get(other.get_absolute_url()).text


@pytest.mark.parametrize("pictures", [0, 3])
def test_list_and_detail_query_counts_are_unchanged(client, django_assert_num_queries, pictures):
    items = [
        make_news_item(
            lead_picture=make_picture(data=picture_bytes(500, 300)) if n < pictures else None
        )
        for n in range(4)
    ]
    with django_assert_num_queries(UNFILTERED_LIST_QUERIES):
        response = client.get("/news/")
    assert response.text.count("<picture>") == pictures
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(items[0].get_absolute_url())
    # The item's own picture and the related cards' pictures: no query for any of them.
    assert response.text.count("<picture>") == pictures


def test_a_drafts_picture_is_on_no_public_page(picture, staff_client):
    from django.test import Client

    anonymous = Client()
    draft = make_news_item(lead_picture=picture, publication_status=PublicationStatus.DRAFT)
    make_news_item(countries=draft.countries)  # a published neighbour whose page lists related
    name = picture.renditions[0]["jpeg"]
    for url in ["/news/", "/", "/search/?q=IOM", "/news/feed/rss/", draft.get_absolute_url()]:
        response = anonymous.get(url)
        assert response.status_code in (200, 404), url
        assert name not in response.content.decode(), url
    # Staff previewing the draft see it (never cached, noindex).
    assert name in staff_client.get(draft.get_absolute_url()).text


def test_editing_a_picture_refreshes_cached_pages(picture, monkeypatch):
    from iomcms import pagecache

    calls = []
    monkeypatch.setattr(pagecache, "content_changed", lambda using=None: calls.append(using))
    picture.alt_text = "Another description."
    picture.save()
    assert calls


def test_a_picture_without_renditions_draws_nothing(client, picture):
    from pictures.models import Picture

    Picture.objects.filter(pk=picture.pk).update(renditions=[])
    response = client.get(make_news_item(lead_picture=picture).get_absolute_url())
    assert response.status_code == 200
    assert "<picture>" not in response.text and "lead-picture" not in response.text
    assert meta(response, "og:image") is None
    assert meta(response, "twitter:card") == "summary"
