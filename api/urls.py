from django.urls import path, re_path

from .problems import Problem, problem_response
from .v1 import api


def not_found(request, rest=""):
    """Any other address under /api/: a problem document too, not the site's HTML page."""
    return problem_response(Problem("not-found"))


urlpatterns = [path("v1/", api.urls), re_path(r"^(?P<rest>.*)$", not_found)]
