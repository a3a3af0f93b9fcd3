from django.urls import path, re_path

from common.page_cache import public_page
from procedures.selectors import CATALOGUE_PAGES

from .problems import Problem, problem_response
from .v1 import api

# The catalogue's reads are kept as the pages are (common.page_cache): per catalogue version, for requests without a
# key or a session; a search from its second request in five minutes, as the catalogue page's.
KEPT = {
    "procedure_search": public_page(version=CATALOGUE_PAGES, popular_after=2,
                                    params=("q", "agency", "field", "level", "scope", "page")),
    "procedure_detail": public_page(version=CATALOGUE_PAGES),
}


def not_found(request, rest=""):
    """Any other address under /api/: a problem document too, not the site's HTML page."""
    return problem_response(Problem("not-found"))


def _v1():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name in KEPT:
            pattern.callback = KEPT[pattern.name](pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [path("v1/", _v1()), re_path(r"^(?P<rest>.*)$", not_found)]
