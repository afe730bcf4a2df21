from django.urls import path

from iomcms.methods import read_only

from . import exports, feeds, views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("export.csv", exports.ProjectCsvView.as_view(), name="export-csv"),
    path("statistics/", views.ProjectStatisticsView.as_view(), name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics-csv"),
    # GET and HEAD only, like every public page (iomcms/methods.py).
    path("feed/rss/", read_only(feeds.ProjectRssFeed()), name="feed-rss"),
    path("feed/atom/", read_only(feeds.ProjectAtomFeed()), name="feed-atom"),
    path("iati.xml", views.iati_list, name="iati"),
    path("<slug:slug>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<slug:slug>/iati.xml", views.iati_detail, name="detail-iati"),
]
