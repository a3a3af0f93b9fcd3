from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("chi-so/", views.index, name="index"),
]
