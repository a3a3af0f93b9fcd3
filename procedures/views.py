import mimetypes

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.downloads import stored_file_response
from common.page_cache import public_page

from . import selectors
from .forms import CATALOGUE_PARAMS, catalogue_filters, level_options
from .models import Procedure, RequiredComponent


ROW_SECONDS = 3600
# A row of the table: its number on the page, then the procedure's cells (_procedure_rows). Joined in the view:
# a template loop over twenty rows already rendered cost more than reading them (and format_html_join, escaping
# what is safe already, cost as much again).
NUMBERED_ROW = '    <tr>\n      <td class="text-center col-stt">{:d}</td>{}    </tr>\n'


# This process's rendered rows, of one catalogue version: {version: {(language, pk): cells}}. A dict read, where
# the local cache unpickled each row (a twentieth of an uncached search's Python); ROWS_KEPT rows at most, about
# 1.5 kB each.
ROWS_KEPT = 5000
_rows: dict[int, dict[tuple[str, int], str]] = {}


def _procedure_rows(ids: list[int], *, version: int) -> list[str]:
    """The table's cells of each procedure, rendered once per catalogue version and language.

    A search then reads only the ranked ids and these rows (this process's copy, else one cache read), not the
    procedures, their fields and agencies; a change of the catalogue changes the version, so the next page
    shows it at once.
    """
    language, kept = get_language(), _kept_rows(version)
    found = {pk: kept[(language, pk)] for pk in ids if (language, pk) in kept}
    wanted = {pk: f"catalogue:row:v{version}:{language}:{pk}" for pk in ids if pk not in found}
    if wanted:
        shared = cache.get_many(list(wanted.values()))  # rendered by another process
        found.update({pk: shared[key] for pk, key in wanted.items() if key in shared})
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            labels = {"code": _("Mã chuẩn"), "field": _("Lĩnh vực"), "agencies": _("Cơ quan thực hiện"),
                      "level": _("Mức độ"), "submit": _("Nộp trực tuyến"), "where": _("Xem nơi nộp")}
            labels = {name: str(label) for name, label in labels.items()}  # translated once, not once per row
            rendered = {
                procedure.pk: render_to_string("procedures/_catalogue_row.html", {"procedure": procedure, "labels": labels})
                for procedure in selectors.procedures_listed(ids=missing)
            }
            cache.set_many({wanted[pk]: html for pk, html in rendered.items()}, ROW_SECONDS)
            found.update(rendered)
        kept.update(((language, pk), found[pk]) for pk in wanted if pk in found)
    return [mark_safe(found[pk]) for pk in ids if pk in found]  # our own template's output


def _kept_rows(version: int) -> dict[tuple[str, int], str]:
    kept = _rows.get(version)
    if kept is None or len(kept) >= ROWS_KEPT:
        _rows.clear()  # another version's (never asked for again: versions are never reused), or full
        kept = _rows[version] = {}
    return kept


# A search is kept from its second request in five minutes: popular ones are served from the cache,
# one-off ones do not fill it.
@public_page(version=selectors.CATALOGUE_PAGES, popular_after=2, params=(*CATALOGUE_PARAMS, "page"))
def catalogue(request):
    """Tra cứu thủ tục: search and filter the catalogue."""
    version = selectors.catalogue_version()
    filters = catalogue_filters(request.GET)
    more_found = False
    if filters["q"]:
        # One query ranks the (bounded) matches: their number is the count, and a page is a slice of them.
        ids, more_found = selectors.procedure_search_ids(**filters, version=version)
    else:
        ids = selectors.procedure_search(**filters, version=version).values_list("pk", flat=True)
    paginator = Paginator(ids, settings.CATALOGUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = _procedure_rows(list(page.object_list), version=version)
    active_filters = {k: v for k, v in filters.items() if k != "q" and v}
    query = request.GET.copy()
    query.pop("page", None)
    suggestions = [] if page.paginator.count else _drop_filter_suggestions(filters, query, version)
    return render(
        request,
        "procedures/catalogue.html",
        {
            "filters": filters,
            "page": page,
            # A number, and our own template's output (safe strings).
            "rows": mark_safe("".join(NUMBERED_ROW.format(n, row) for n, row in enumerate(rows, page.start_index()))),
            "more_found": more_found,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "active_filters": active_filters,
            # Lazy: the template's fragment cache only asks for them when the selects are not cached.
            "agency_groups": selectors.agencies_by_level,
            "fields": selectors.field_list,
            "catalogue_version": version,
            "levels": level_options,
            "scopes": selectors.scope_choices,
            "querystring": query.urlencode(),
            "suggestions": suggestions,
        },
    )


FILTER_LABELS = {"agency": _("cơ quan thực hiện"), "field": _("lĩnh vực"), "level": _("mức độ"), "scope": _("cấp thực hiện"),
                 "q": _("từ khóa")}


def _drop_filter_suggestions(filters: dict, query, version: int) -> list[dict]:
    """For an empty result, offer the same search without each filter that has results."""
    suggestions = []
    for name in ("agency", "field", "level", "scope", "q"):
        if not filters.get(name):
            continue
        relaxed = {**filters, name: "" if name != "level" else None}
        count = selectors.procedure_count(**relaxed, version=version)
        if count:
            without = query.copy()
            without.pop(name, None)
            suggestions.append({"label": FILTER_LABELS[name], "count": count, "query": without.urlencode()})
    return suggestions


@public_page(version=selectors.CATALOGUE_PAGES)
def detail(request, code):
    """One procedure with everything a citizen needs before submitting."""
    try:
        page = selectors.procedure_page(code=code)
    except Procedure.DoesNotExist:
        # The short national code (1.001193), the code without dots or a public service's code (….02)
        # open the procedure too, at its one canonical address (DESIGN.md §4).
        canonical = selectors.procedure_code_resolve(code=code)
        if canonical is None:
            raise Http404(_("Không tìm thấy thủ tục"))
        return redirect("procedures:detail", code=canonical, permanent=True)
    procedure = page.procedure
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "agencies": page.agencies,
            "agency_lines": page.agency_lines,
            "fees": page.fees,
            "has_channels": bool(page.channels),
            "procedure_sections": [
                (_("Trình tự thực hiện"), procedure.steps),
                (_("Yêu cầu, điều kiện"), procedure.conditions),
                (_("Căn cứ pháp lý"), "" if procedure.legal_documents else procedure.legal_basis),
            ],
            "frequent": selectors.frequent_procedures(limit=6, exclude_code=procedure.code),
            "channels": page.channel_rows,
            "component_groups": page.component_groups,
        },
    )


def blank_form(request, pk):
    """Download the blank form (mẫu đơn) of a component. Forms are public documents."""
    component = get_object_or_404(RequiredComponent.objects.filter(procedure__is_active=True), pk=pk)
    if not component.blank_form:
        raise Http404(_("Không có mẫu"))
    name = component.blank_form.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return stored_file_response(
        name=component.blank_form.name, filename=name, content_type=content_type, storage=component.blank_form.storage
    )
