from django.urls import path

from . import views

app_name = "sandbox_dvcqg"

urlpatterns = [
    path("", views.index, name="index"),
    path("control/", views.control_api, name="control"),
    path("tra-cuu/", views.lookup, name="lookup"),
    # The one-stop protocol
    path("motcua/login", views.motcua_login, name="motcua_login"),
    path("motcua/service", views.motcua_service, name="motcua_service"),
    # v2
    path("v2/oauth2/token", views.v2_token, name="v2_token"),
    path("v2/files", views.v2_files, name="v2_files"),
    path("v2/dossiers", views.v2_dossiers, name="v2_dossiers"),
    path("v2/dossiers/<str:code>/progress", views.v2_progress, name="v2_progress"),
    path("v2/dossiers/<str:code>/status", views.v2_status, name="v2_status"),
]
