from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.mine, name="mine"),
    path("ho-so/nop/<str:procedure_code>/", views.start, name="start"),
    path("ho-so/soan/<uuid:uuid>/buoc-<int:step>/", views.wizard, name="wizard"),
    path("ho-so/soan/<uuid:uuid>/tep/<uuid:file_uuid>/xoa/", views.draft_file_delete, name="draft_file_delete"),
    path("ho-so/tep/<uuid:uuid>/", views.file_download, name="file"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
]
