from django.urls import path

from . import views

app_name = "uploads_tus"
urlpatterns = [
    path("", views.collection, name="collection"),
    path("<uuid:uuid>/", views.upload, name="upload"),
]
