from django.urls import path

from . import views

app_name = "representation"

urlpatterns = [
    path("", views.home, name="home"),
    path("chon/", views.switch, name="switch"),
    path("<uuid:uuid>/thu-hoi/", views.revoke, name="revoke"),
    path("<uuid:uuid>/van-ban/", views.document, name="document"),
    path("thanh-vien/", views.member_add, name="member_add"),
    path("thanh-vien/<int:pk>/ket-thuc/", views.member_end, name="member_end"),
]
