from django.shortcuts import render

from .charts import NARROW_LEFT, NARROW_WIDTH, month_bars
from .forms import StatisticsFilterForm
from .selectors import dossier_statistics


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
