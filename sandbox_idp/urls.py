from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "sandbox_idp"

urlpatterns = [
    # A test drives it over plain HTTP, as an operator would with curl; the sandbox holds nothing worth forging.
    path("dieu-khien/", csrf_exempt(views.control), name="control"),
]
