from django.urls import path

from . import views

app_name = "sms_sandbox"
urlpatterns = [
    path("", views.page, {"channel": views.SMS}, name="page"),
    path("MainService.svc/json/SendMultipleMessage_V4_post_json/", views.sms_send, name="send"),
]
