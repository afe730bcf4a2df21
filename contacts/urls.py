from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="list"),
    path("<slug:slug>/", views.ContactDetailView.as_view(), name="detail"),
]
