from django.urls import path

from iomcms.methods import read_only

from . import exports, feeds, views

app_name = "news"
urlpatterns = [
    path("", views.NewsItemListView.as_view(), name="list"),
    path("export.csv", exports.NewsItemCsvView.as_view(), name="export-csv"),
    # GET and HEAD only, like every public page (iomcms/methods.py).
    path("feed/rss/", read_only(feeds.NewsRssFeed()), name="feed-rss"),
    path("feed/atom/", read_only(feeds.NewsAtomFeed()), name="feed-atom"),
    path("<slug:slug>/", views.NewsItemDetailView.as_view(), name="detail"),
]
