# No app_name: the names "home" and "search" are the site's own, used by every page's header.
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
]
