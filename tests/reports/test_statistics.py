"""/thong-ke/: every figure checked against the hand-made year in data.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.selectors import dossier_statistics
from reports.services import figures_rebuild
from tests.factories.dossiers import Builder

from .data import build_year, local

YEAR = timezone.localdate().year - 1


@pytest.fixture
def year(db):
    built = build_year(Builder(), YEAR)
    figures_rebuild()  # the builder writes dossiers directly, not through the moves that keep the figures
    return built


def _row(stats_rows, key):
    return next(r for r in stats_rows if r.key == key)


def test_totals_for_the_year_match_the_hand_count(year):
    t = dossier_statistics(year=YEAR).total
    # Received: 1, 2, 3, 4, 5, 6, 7, 11 (not the draft, the unreceived one or last year's).
    assert t.received == 8
    assert (t.resolved, t.on_time, t.late) == (5, 3, 2)  # on time 1, 4, 7; late 2, 5
    assert t.on_time_share == 60.0
    assert t.overdue == 1  # 3 only: 6 waits for a supplement, 11 is due later
    assert (t.online, t.online_share) == (7, 87.5)  # 3 came to the counter
    assert (t.paid, t.paid_online, t.paid_online_share) == (3, 2, 66.7)
    assert (t.rated, t.rating) == (4, 3.5)  # (5 + 3 + 4 + 2) / 4


def test_per_agency_and_per_month(year):
    stats = dossier_statistics(year=YEAR)
    a, b = _row(stats.by_agency, "000.00.31.H34"), _row(stats.by_agency, "000.00.32.H34")
    assert [r.label for r in stats.by_agency] == ["Sở Tư pháp", "Sở Xây dựng"]
    assert (a.received, a.resolved, a.on_time, a.late, a.overdue) == (6, 4, 2, 2, 1)
    assert (a.online_share, a.paid_online_share, a.rating) == (83.3, 50.0, 4.0)
    assert (b.received, b.resolved, b.on_time, b.late, b.overdue) == (2, 1, 1, 0, 0)
    assert (b.online_share, b.paid_online_share, b.rating) == (100.0, 100.0, 2.0)

    months = {m.key: m for m in stats.by_month}
    assert list(months) == list(range(1, 13))
    assert months[1].received == 1  # 11: 1 January local time, though 31 December in UTC
    assert (months[3].received, months[3].resolved, months[3].on_time, months[3].late, months[3].overdue) == (4, 2, 1, 1, 1)
    assert (months[4].received, months[4].resolved, months[4].on_time, months[4].late) == (3, 3, 2, 1)
    assert sum(m.received for m in stats.by_month) == 8
    assert all(months[m].received == 0 for m in (2, 5, 6, 7, 8, 9, 10, 11, 12))


def test_filters_month_and_agency(year, client):
    stats = dossier_statistics(year=YEAR, month=4, agency=year["a"])
    assert (stats.total.received, stats.total.resolved, stats.total.on_time, stats.total.late) == (2, 2, 1, 1)
    assert stats.total.rating == 3.5
    assert [m.key for m in stats.by_month] == [4]
    assert dossier_statistics(year=YEAR - 1).total.received == 1  # 10

    page = client.get(f"/thong-ke/?year={YEAR}&month=4&agency=000.00.31.H34")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<div class="fs-3 fw-semibold" id="stat-received">2</div>' in html
    assert '<span id="stat-on-time-share">50,0%</span>' in html
    assert "Sở Tư pháp" in html and "Sở Xây dựng" not in html.split('id="by-agency"')[1]


def test_the_page_shows_the_figures_and_a_chart(year, client):
    html = client.get(f"/thong-ke/?year={YEAR}").content.decode()
    assert '<div class="fs-3 fw-semibold" id="stat-received">8</div>' in html
    assert '<span id="stat-online-share">87,5%</span>' in html
    assert '<span id="stat-paid-online-share">66,7%</span>' in html
    assert '<div class="fs-3 fw-semibold" id="stat-rating">3,50/5</div>' in html
    # Drawn for a desktop and for a phone: twelve months in each.
    assert html.count('class="chart-received"') == 24 and html.count('class="chart-resolved"') == 24
    assert "<title>T3: 4 hồ sơ tiếp nhận</title>" in html and "<title>T4: 3 hồ sơ đã giải quyết</title>" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]  # nothing for the CSP to block
    assert 'href="/thong-ke/"' in html  # the menu link


def test_query_count_does_not_grow_with_the_number_of_dossiers(
    db, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    builder = Builder()
    procedure = builder.procedure()
    owner = builder.citizen()

    def add(n):
        for i in range(n):
            builder.dossier(
                status=9, procedure=procedure, owner=owner, received_at=local(YEAR, 1 + i % 12, 3),
                due_date=local(YEAR, 12, 31).date(), finished_at=local(YEAR, 1 + i % 12, 5), rating=1 + i % 5,
            )
        with django_capture_on_commit_callbacks(execute=True):  # the cached page is forgotten at commit
            figures_rebuild()

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"/thong-ke/?year={YEAR}").status_code == 200
    add(45)
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(f"/thong-ke/?year={YEAR}")
    assert '<div class="fs-3 fw-semibold" id="stat-received">50</div>' in response.content.decode()
    assert len(five.captured_queries) <= 4  # agencies for the filter, the figures, the overdue ones (+ session)


@pytest.mark.parametrize(
    "query",
    [
        "year=abc", "year=1900", "year=99999999999999999999", "month=13", "month=0", "month=-1", "month=x",
        "agency=KHONG-CO", "agency=%00", "year=&month=&agency=", "year=2025.5", "month[]=1", "year=%F0%9F%92%A5",
    ],
)
def test_bad_filters_never_break_the_page(db, client, query):
    response = client.get(f"/thong-ke/?{query}")
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "Thống kê tình hình giải quyết hồ sơ" in html
    if response.status_code == 400:
        assert 'class="invalid-feedback d-block"' in html
    assert f"Số liệu năm {timezone.localdate().year}" in html  # falls back to this year


def test_each_card_holds_its_own_figures(year, client):
    """Online payment sits with the dossiers received, late resolutions with the resolved, not with satisfaction."""
    import re

    html = client.get(f"/thong-ke/?year={YEAR}").content.decode()
    cards = re.findall(r'<div class="card-body">(.*?)</div></div></div>', html, flags=re.S)
    by_figure = {name: i for i, card in enumerate(cards) for name in re.findall(r'id="stat-([\w-]+)"', card)}
    assert by_figure["received"] == by_figure["online-share"] == by_figure["paid-online-share"]
    assert by_figure["resolved"] == by_figure["on-time-share"] == by_figure["late"]
    assert by_figure["rating"] not in (by_figure["paid-online-share"], by_figure["late"])


def test_the_tables_that_scroll_on_a_phone_take_the_focus(year, client):
    html = client.get(f"/thong-ke/?year={YEAR}").content.decode()
    assert html.count('class="table-responsive" tabindex="0" role="region"') == 2


def test_the_months_are_named_in_the_visitors_language(year, client, settings):
    """T1…T12 is Vietnamese ("tháng"): an English visitor reads Jan…Dec under the bars, in the table and in the
    bars' titles."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/thong-ke/?year={YEAR}").content.decode()
    labels = re.findall(r'class="chart-label" text-anchor="middle">([^<]+)</text>', html)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert labels == months * 2  # the desktop's chart and the phone's
    assert re.findall(r'<tr data-key="\d+">\s*<th scope="row">([^<]+)</th>', html) == months
    assert "<title>Mar: 4 " in html and not re.search(r">T\d{1,2}\b", html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(f"/thong-ke/?year={YEAR}").content.decode()
    assert re.findall(r'class="chart-label" text-anchor="middle">([^<]+)</text>', html)[:12] == [f"T{m}" for m in range(1, 13)]
