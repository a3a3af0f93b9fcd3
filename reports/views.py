from django.shortcuts import render

from common.page_cache import public_page

from .charts import NARROW_LEFT, NARROW_WIDTH, month_bars
from .forms import ServiceIndexFilterForm, StatisticsFilterForm
from .selectors import dossier_statistics
from .services import FIGURES_PAGES, INDEX_PAGES
from .service_index import GROUPS, not_computed, service_index


@public_page(version=FIGURES_PAGES, params=tuple(StatisticsFilterForm.base_fields))
def statistics(request):
    """Thống kê: dossiers received and resolved, on time, online, per agency and per month."""
    form = StatisticsFilterForm(request.GET or None)
    filters = form.filters()
    stats = dossier_statistics(**filters)
    return render(
        request,
        "reports/statistics.html",
        {"form": form, "stats": stats, "agency": filters["agency"], "chart": month_bars(stats.by_month),
         "chart_narrow": month_bars(stats.by_month, width=NARROW_WIDTH, left=NARROW_LEFT)},
        status=400 if form.errors else 200,
    )


@public_page(version=INDEX_PAGES, params=tuple(ServiceIndexFilterForm.base_fields))
def index(request):
    """Chỉ số phục vụ (Decision 766/QĐ-TTg): each indicator with its numerator and denominator, per agency."""
    form = ServiceIndexFilterForm(request.GET or None)
    filters = form.filters()
    result = service_index(**filters)
    card = result.agencies[0] if filters["agency"] is not None and result.agencies else result.province
    groups = {g.key: g for g in GROUPS}
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "result": result,
            "agency": filters["agency"],
            "card": card,
            "not_computed": [(groups[key], name, why) for key, name, why in not_computed()],
        },
        status=400 if form.errors else 200,
    )
