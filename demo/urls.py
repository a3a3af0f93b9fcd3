"""The demo mailbox, mounted at /tai-khoan/hop-thu/ when DEMO_MODE is on (the address README and `make run` give)."""

from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [
    path("", views.mailbox_list, name="mailbox"),
    path("<str:name>/<int:index>/", views.mailbox_detail, name="mailbox_detail"),
]
