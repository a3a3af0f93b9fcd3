from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mau/<int:pk>/", views.blank_form, name="blank_form"),
    path("<str:code>/", views.detail, name="detail"),
]
