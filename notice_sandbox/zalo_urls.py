from django.urls import path

from . import views

app_name = "zalo_sandbox"
urlpatterns = [
    path("", views.page, {"channel": views.ZALO}, name="page"),
    path("v3.0/oa/message/cs", views.zalo_message_cs, name="message_cs"),
    path("v3.0/oa/user/detail", views.zalo_user_detail, name="user_detail"),
]
