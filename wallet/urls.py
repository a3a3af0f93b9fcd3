from django.urls import path

from . import views

app_name = "wallet"

urlpatterns = [
    path("", views.index, name="index"),
    path("giay-to/<uuid:uuid>/", views.download, name="download"),
    path("giay-to/<uuid:uuid>/xoa/", views.delete, name="delete"),
    path("giay-to/<uuid:uuid>/chia-se/", views.share, name="share"),
    path("chia-se/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    path("dung/<uuid:dossier>/<int:component>/", views.attach, name="attach"),
    path("luu-tep/<uuid:uuid>/", views.keep_file, name="keep_file"),
]
