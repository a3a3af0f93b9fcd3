"""The clerk's dossier list in the admin: the search box, the overdue filter, deep pages and the count, with a
bounded number of queries; on PostgreSQL, the indexes that keep it fast at a million dossiers serve its queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from tests.support.otp import login_verified

CHANGELIST = "/admin/dossiers/dossier/"


def _codes(response) -> list[str]:
    """The dossier codes listed on the page, in their order."""
    return re.findall(r'<th class="field-code"><a [^>]*>([^<]+)</a>', response.content.decode())


@pytest.fixture
def desk(build):
    """One agency's clerk, logged in, and the dossiers a counter sees; another agency's lookalike."""
    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    made = {
        "an": build.dossier(DossierStatus.RECEIVED, procedure=procedure, applicant_name="Nguyễn Văn An",
                            applicant_identity="079203001234"),
        "binh": build.dossier(DossierStatus.PROCESSING, procedure=procedure, applicant_name="Trần Thị Bình",
                              applicant_identity="062188004321"),
        "cuong": build.dossier(DossierStatus.SUBMITTED, procedure=procedure, applicant_name="Lê Cường",
                               applicant_identity="0401234567"),  # a company's tax code
    }
    made["other"] = build.dossier(DossierStatus.RECEIVED, applicant_name="Nguyễn Văn An",
                                  applicant_identity="079203001234")  # another agency's
    return agency, made


@pytest.fixture
def clerk_client(client, build, desk):
    login_verified(client, build.clerk(desk[0]))
    return client


def _found(client, q: str) -> set[str]:
    return set(_codes(client.get(CHANGELIST, {"q": q})))


def test_the_search_finds_a_dossier_by_its_code_whole_or_in_part(clerk_client, desk):
    _, made = desk
    an = made["an"].code
    assert _found(clerk_client, an) == {an}
    assert _found(clerk_client, an.lower()) == {an}  # typed in any case
    assert _found(clerk_client, an[:-2]) >= {an}  # the start of it
    assert _found(clerk_client, an[-6:]) >= {an}  # its day and number
    assert made["other"].code not in _found(clerk_client, made["other"].code)  # another agency's: not there


def test_the_search_finds_an_applicant_by_name_in_any_case(clerk_client, desk):
    _, made = desk
    assert _found(clerk_client, "Nguyễn Văn An") == {made["an"].code}
    assert _found(clerk_client, "nguyễn văn") == {made["an"].code}
    assert _found(clerk_client, "thị bình") == {made["binh"].code}
    assert _found(clerk_client, "an") >= {made["an"].code}
    assert _found(clerk_client, "Phạm") == set()


@pytest.mark.postgres
def test_the_search_folds_vietnamese_capitals_on_postgresql(clerk_client, desk):
    # SQLite's LIKE folds only ASCII letters; PostgreSQL's UPPER() folds Ễ, Ă, Đ… too.
    _, made = desk
    assert _found(clerk_client, "NGUYỄN VĂN AN") == {made["an"].code}
    assert _found(clerk_client, "lê cường") == {made["cuong"].code}


def test_the_search_finds_an_identity_or_tax_number_whole_or_its_start(clerk_client, desk):
    _, made = desk
    assert _found(clerk_client, "079203001234") == {made["an"].code}
    assert _found(clerk_client, "062188") == {made["binh"].code}
    assert _found(clerk_client, "0401234567") == {made["cuong"].code}


def test_the_overdue_filter_lists_exactly_the_overdue_dossiers(client, build):
    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    today = timezone.localdate()
    past, future = today - timedelta(days=2), today + timedelta(days=5)

    def make(status, due):
        return build.dossier(status, procedure=procedure, due_date=due).code

    late = {make(DossierStatus.RECEIVED, past), make(DossierStatus.PROCESSING, past),
            make(DossierStatus.PAYMENT, past), make(DossierStatus.WITHDRAWAL, past)}
    on_time = {
        make(DossierStatus.PROCESSING, future),
        make(DossierStatus.PROCESSING, today),  # due today is not late yet
        make(DossierStatus.SUPPLEMENT, past),  # the clock waits on the citizen
        make(DossierStatus.DONE, past),  # done: the clock stopped
        make(DossierStatus.RETURNED, past),
        make(DossierStatus.SUBMITTED, None),
    }
    build.dossier(DossierStatus.PROCESSING, due_date=past)  # another agency's
    login_verified(client, build.clerk(agency))

    overdue = client.get(CHANGELIST, {"overdue": "yes"})
    assert set(_codes(overdue)) == late
    assert overdue.context["cl"].result_count == 4
    assert re.search(r"\b4 hồ sơ\b", overdue.content.decode())
    assert set(_codes(client.get(CHANGELIST, {"overdue": "no"}))) == on_time
    assert set(_codes(client.get(CHANGELIST, {"hang": "overdue"}))) == late  # the work queue's bucket agrees


def test_a_deep_page_read_by_keys_first_lists_the_same_rows_in_the_same_order(client, build, monkeypatch):
    from common import pagination
    from dossiers.admin import DossierAdmin

    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    today = timezone.localdate()
    for i in range(7):
        build.dossier(DossierStatus.PROCESSING, procedure=procedure, is_online=i % 2 == 0,
                      due_date=today + timedelta(days=i % 3))
    login_verified(client, build.clerk(agency))
    monkeypatch.setattr(DossierAdmin, "list_per_page", 3)
    pages = [_codes(client.get(CHANGELIST, {"p": n})) for n in (1, 2, 3)]
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 1)  # pages 2 and 3 now read by their keys first
    deferred = [_codes(client.get(CHANGELIST, {"p": n})) for n in (1, 2, 3)]
    assert deferred == pages
    assert [len(p) for p in pages] == [3, 3, 1]
    expected = Dossier.objects.filter(agency=agency).order_by(*DossierAdmin.ordering, "-pk")
    assert sum(pages, []) == [d.code for d in expected]


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "nguyễn văn"}, {"overdue": "yes"}, {"hang": "progress"}, {"status__exact": "2"}, {"p": "2"}],
)
def test_the_list_takes_a_bounded_number_of_queries_whatever_the_filter(
    client, build, monkeypatch, django_assert_max_num_queries, query
):
    from common import pagination

    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    past = timezone.localdate() - timedelta(days=1)
    for i in range(120):
        build.dossier(DossierStatus.RECEIVED, procedure=procedure, due_date=past if i % 2 else None,
                      applicant_name="Nguyễn Văn An" if i % 3 else "Trần Bình")
    login_verified(client, build.clerk(agency))
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 1)
    client.get(CHANGELIST, query)  # the session, the calendar, the permissions: once
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST, query)
    assert response.status_code == 200 and _codes(response)


@pytest.mark.postgres
def test_a_count_the_planner_finds_cheap_is_exact_even_when_large(client, build, monkeypatch):
    from common import pagination

    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    for _ in range(3):
        build.dossier(DossierStatus.RECEIVED, procedure=procedure)
    login_verified(client, build.clerk(agency))
    monkeypatch.setattr(pagination, "EXACT_BELOW", 1)  # every list is "large" now
    assert client.get(CHANGELIST).context["cl"].result_count == 3  # three rows cost next to nothing to count
    monkeypatch.setattr(pagination, "EXACT_COST_BELOW", 0)  # … and every count "costly": the estimate
    assert client.get(CHANGELIST).context["cl"].result_count >= 1


def _plan(queryset, *, ordered: bool = False) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table of a few rows is read whole; forbid that (and sorting, for an ordered page) to see which
        # index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if ordered:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize("field,index", [("code", "dossier_code_trgm"), ("applicant_name", "dossier_name_trgm"),
                                         ("applicant_identity", "dossier_identity_trgm")])
def test_the_search_uses_the_expressions_of_the_trigram_indexes(db, field, index):
    """The planner uses an expression index only for the very same expression as Django's icontains: prove it."""
    assert index in _plan(Dossier.objects.filter(**{f"{field}__icontains": "nguyễn"}).order_by().values("pk"))


@pytest.mark.postgres
@pytest.mark.parametrize("key", ["overdue", "progress", "due_soon", "citizen"])
def test_the_work_queue_buckets_read_their_first_page_in_order_from_an_index(build, key):
    from dossiers.admin import DossierAdmin
    from dossiers.selectors import dossier_staff_queryset, work_queue_filter

    agency = build.agency()
    clerk = build.clerk(agency)
    clerk.is_verified = lambda: True
    rows = dossier_staff_queryset(user=clerk).filter(work_queue_filter(user=clerk, key=key))
    plan = _plan(rows.order_by(*DossierAdmin.ordering, "-pk")[:50], ordered=True)
    assert "dossier_desk_pending_order" in plan, plan


def test_a_clerk_of_no_agency_sees_an_empty_list(client, build):
    from django.contrib.auth.models import Group

    from accounts.models import User

    build.dossier(DossierStatus.RECEIVED)
    user = User.objects.create_user(email="moi@kontum.gov.vn", password="x", is_staff=True, is_active=True)
    user.groups.add(Group.objects.get(name="Cán bộ tiếp nhận"))  # the role's permissions, but no agency yet
    login_verified(client, user)
    response = client.get(CHANGELIST, {"overdue": "yes"})
    assert response.status_code == 200 and _codes(response) == []
