from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("dat/<str:agency_code>/", views.book, name="book"),
    path("ve/<str:token>/", views.manage, name="manage"),
]
