from django.urls import path

from . import exports, views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="list"),
    path("export.csv", exports.ContactCsvView.as_view(), name="export-csv"),
    path("<slug:slug>.vcf", views.contact_vcard, name="vcard"),
    path("<slug:slug>/", views.ContactDetailView.as_view(), name="detail"),
]
