from django.urls import path

from . import views

app_name = "embargo"
urlpatterns = [
    path("<str:token>/", views.embargo_page, name="page"),
]
