"""/thong-ke/chi-so/: the Decision 766 indicators of March, worked out by hand from tests/reports/data.py.

March, agency A (Sở Tư pháp): dossiers 1, 2 (online) and 3 (at the counter).
  1 returned on time (received 5/3 09:00, finished 18/3 09:00: 13 days), rated 5, fee paid online,
    both required components with a file;
  2 done late (10/3 → 25/3: 15 days), fee paid at the counter, one component with a file;
  3 still processing past its due date: overdue.
March, agency B (Sở Xây dựng): dossier 6, online, waiting for a supplement (clock stopped: not overdue).
Every procedure has two required components; results are delivered electronically.
"""

import pytest
from django.utils import timezone

from reports.service_index import service_index
from reports.services import figures_rebuild
from tests.factories.dossiers import Builder

from .data import build_year

YEAR = timezone.localdate().year - 1


@pytest.fixture
def year(db):
    built = build_year(Builder(), YEAR)
    figures_rebuild()
    return built


def _values(card) -> dict:
    return {v.indicator.key: (v.numerator, v.denominator, v.share) for v in card.values}


def _points(card) -> dict:
    return {g.group.key: g.points for g in card.groups}


def test_agency_a_in_march(year):
    index = service_index(year=YEAR, month=3)
    a = next(c for c in index.agencies if c.key == "000.00.31.H34")
    assert _values(a) == {
        "on_time": (1, 2, 50.0),
        "overdue": (1, 3, 33.3),
        "online": (2, 3, 66.7),
        "payment": (1, 2, 50.0),  # of the two that owe a fee, 1 paid online
        "satisfaction": (1, 1, 100.0),
        "electronic_result": (2, 2, 100.0),
        "digitised": (3, 6, 50.0),  # 3 of the 2 × 3 required components
        "reused": (0, 3, 0.0),  # no paper from a citizen's wallet (tests/wallet counts one)
    }
    assert a.average_days == 14.0  # (13 + 15) / 2
    # progress 20 × (50 + 66.7) / 2 %, online 12 × 66.7 %, payment 10 × 50 %, satisfaction 18 × 100 %,
    # digitisation 22 × (100 + 50 + 0) / 3 %; transparency: no data on the portal.
    assert _points(a) == {"transparency": None, "progress": 11.7, "online": 8.0, "payment": 5.0,
                          "satisfaction": 18.0, "digitisation": 11.0}
    assert (a.points, a.available, a.out_of_100) == (53.7, 82, 65.5)


def test_agency_b_and_the_province_in_march(year):
    index = service_index(year=YEAR, month=3)
    b = next(c for c in index.agencies if c.key == "000.00.32.H34")
    assert _values(b) == {
        "on_time": (0, 0, None), "overdue": (0, 1, 0.0), "online": (1, 1, 100.0), "payment": (0, 0, None),
        "satisfaction": (0, 0, None), "electronic_result": (0, 0, None), "digitised": (0, 2, 0.0),
        "reused": (0, 1, 0.0),
    }
    assert b.average_days is None
    # Nothing to pay and nothing rated: those groups' weights are left out, not scored zero.
    assert _points(b) == {"transparency": None, "progress": 20.0, "online": 12.0, "payment": None,
                          "satisfaction": None, "digitisation": 0.0}
    assert (b.points, b.available, b.out_of_100) == (32.0, 54, 59.3)
    assert [c.key for c in index.agencies] == ["000.00.31.H34", "000.00.32.H34"]  # best first

    province = _values(index.province)
    assert province["on_time"] == (1, 2, 50.0) and province["overdue"] == (1, 4, 25.0)
    assert province["online"] == (3, 4, 75.0) and province["digitised"] == (3, 8, 37.5)
    assert service_index(year=YEAR, month=2).agencies == []


def test_the_page_shows_numerators_denominators_ranking_and_what_is_missing(year, client):
    html = client.get(f"/thong-ke/chi-so/?year={YEAR}&month=3").content.decode()
    row = html.split('data-indicator="online"')[1].split("</tr>")[0]
    assert '<td class="text-end numerator">3</td>' in row and '<td class="text-end denominator">4</td>' in row
    assert "75,0%" in row
    assert html.index('data-agency="000.00.31.H34"') < html.index('data-agency="000.00.32.H34"')
    assert "Đồng bộ hồ sơ, trạng thái lên Cổng Dịch vụ công quốc gia" in html  # cannot be computed, said why
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]

    html = client.get(f"/thong-ke/chi-so/?year={YEAR}&month=3&agency=000.00.31.H34").content.decode()
    assert '<div class="fs-3 fw-semibold" id="index-points">53,7/82</div>' in html
    assert '<span id="index-out-of-100">65,5</span>' in html
    assert '<div class="fs-3 fw-semibold" id="index-average-days">14,0 ngày</div>' in html
    assert 'id="index-agencies"' not in html


@pytest.mark.parametrize("query", ["month=13", "month=", "year=abc", "agency=KHONG-CO", "month=%00"])
def test_bad_filters_fall_back_to_this_month(db, client, query):
    response = client.get(f"/thong-ke/chi-so/?{query}")
    assert response.status_code in (200, 400)
    today = timezone.localdate()
    assert f"Tháng {today.month}/{today.year}" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?year={year}", "?month=13", "?year={year}&agency=000.00.31.H34"])
def test_the_month_select_names_the_month_of_the_figures(year, client, query):
    """Opened without a month (or with a bad one), the page shows this month's figures: its select says so,
    not "Tháng 1" (the first option)."""
    today = timezone.localdate()
    html = client.get("/thong-ke/chi-so/" + query.format(year=today.year)).content.decode()
    month_select = html.split('id="id_month"')[1].split("</select>")[0]
    assert f'<option value="{today.month}" selected>' in month_select
    assert month_select.count("selected") == 1
    assert f"Tháng {today.month}/{today.year}" in html
    assert f'<option value="{today.year}" selected>' in html.split('id="id_year"')[1].split("</select>")[0]
