from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.NewsItemListView.as_view(), name="list"),
    path("<slug:slug>/", views.NewsItemDetailView.as_view(), name="detail"),
]
