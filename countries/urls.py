from django.urls import path

from . import views

app_name = "countries"
urlpatterns = [
    path("<str:iso>/", views.country_detail, name="detail"),
]
