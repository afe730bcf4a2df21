from django.urls import path

from . import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.NewsItemListView.as_view(), name="list"),
    path("feed/rss/", feeds.NewsRssFeed(), name="feed-rss"),
    path("feed/atom/", feeds.NewsAtomFeed(), name="feed-atom"),
    path("<slug:slug>/", views.NewsItemDetailView.as_view(), name="detail"),
]
