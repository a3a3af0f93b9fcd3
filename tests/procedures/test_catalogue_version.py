"""The catalogue's version (procedures.versioning): every kind of change moves it, in the writing transaction, once;
a rollback does not; each process reads it at most once a second, and at once after its own commit."""

import threading
import time

import pytest
import tablib
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from procedures import versioning
from procedures.constants import Channel
from procedures.imports import procedures_import, records_from_file
from procedures.models import (Agency, CatalogueVersion, FeeItem, Field, Procedure, ProcedureChannel,
                               RequiredComponent, SearchSynonym)
from procedures.resources import FieldResource
from procedures.selectors import catalogue_version
from procedures.services import catalogue_changed, catalogue_rows_saved
from tests.procedures.national_data import data_dir

from .conftest import admin_add, admin_delete, admin_form_data, admin_save, admin_url, procedure_change_data

pytestmark = pytest.mark.django_db

VERSION_TABLE = CatalogueVersion._meta.db_table


def _birth(catalogue) -> Procedure:
    return Procedure.objects.get(code="1.001193.000.00.00.H34")


def _save(obj, **values):
    """A write as a service makes it: the row, then catalogue.changed."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    catalogue_rows_saved(model=type(obj), pks=[obj.pk])


def _channel_deleted(session, procedure):
    ProcedureChannel.objects.create(procedure=procedure, channel=Channel.ONLINE)
    page = session.get(admin_url(Procedure, "change", procedure.pk))
    data = admin_form_data(page)
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is ProcedureChannel)
    session.post(admin_url(Procedure, "change", procedure.pk), {**data, f"{prefix}-0-DELETE": "on"})
    assert not procedure.channels.exists()


def _spreadsheet(procedure):
    dataset = tablib.Dataset(headers=["code", "name"])
    dataset.append(["CT", "Chứng thực"])
    result = FieldResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and Field.objects.filter(code="CT").exists()


# Every writer of the catalogue, as its users write: the operator in the admin (change, add, delete, inlines, the
# procedure's agencies), a spreadsheet import, a bulk write of a service. Each emits catalogue.changed.
CHANGES = {
    "procedure renamed": lambda s, p: admin_save(s, p, name="Đăng ký khai sinh cho trẻ em"),
    "procedure deleted": lambda s, p: admin_delete(s, p),
    "component added": lambda s, p: admin_add(s, RequiredComponent, procedure=p.pk, name="Giấy chứng sinh"),
    "component renamed": lambda s, p: admin_save(s, p.components.get(), name="Tờ khai theo mẫu"),
    "component deleted": lambda s, p: admin_delete(s, p.components.get()),
    "fee added": lambda s, p: admin_add(s, FeeItem, procedure=p.pk, name="Lệ phí", amount=8000),
    "fee changed": lambda s, p: admin_save(s, FeeItem.objects.create(procedure=p, name="Lệ phí", amount=8000),
                                           amount=0),
    "channel deleted": _channel_deleted,
    "agency renamed": lambda s, p: admin_save(s, p.agencies.order_by("pk").first(), name="UBND phường Kon Tum"),
    "agency removed": lambda s, p: admin_save(s, p, agencies=list(p.agencies.order_by("pk").values_list("pk", flat=True))[1:]),
    "agency added": lambda s, p: admin_save(s, p, agencies=[*p.agencies.values_list("pk", flat=True), Agency.objects.create(
        code="000.30.02.H34", name="UBND xã Ia Chim").pk]),
    "field renamed": lambda s, p: admin_save(s, p.field, name="Hộ tịch, chứng thực"),
    "field added": lambda s, p: admin_add(s, Field, code="CT", name="Chứng thực"),
    "spreadsheet import": lambda s, p: _spreadsheet(p),
    "synonym added": lambda s, p: admin_add(s, SearchSynonym, phrase="làm giấy cho bé", expansion="đăng ký khai sinh",
                                            is_active="on"),
    "synonym changed": lambda s, p: admin_save(s, SearchSynonym.objects.create(phrase="giấy cho bé"), is_active=""),
    "synonym deleted": lambda s, p: admin_delete(s, SearchSynonym.objects.create(phrase="giấy cho bé")),
    "bulk write": lambda s, p: (Procedure.objects.filter(pk=p.pk).update(processing_days=3), catalogue_changed()),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_writer_of_the_catalogue_moves_the_version(admin_session, catalogue, change):
    procedure = _birth(catalogue)
    before = catalogue_version()
    CHANGES[change](admin_session, procedure)
    assert catalogue_version() > before


def test_the_search_columns_follow_the_agencies_and_names_changed_in_the_admin(admin_session, catalogue):
    birth = _birth(catalogue)
    ward = birth.agencies.get(code="000.30.01.H34")
    admin_save(admin_session, ward, name="Ủy ban nhân dân xã Đăk Cấm")
    admin_save(admin_session, birth.field, name="Hộ tịch và chứng thực")
    added = Agency.objects.create(code="000.30.02.H34", name="Ủy ban nhân dân xã Ia Chim")
    admin_save(admin_session, birth, agencies=[ward.pk, added.pk])
    birth.refresh_from_db()
    assert all(word in birth.search_text for word in ("dak cam", "ia chim", "chung thuc"))
    assert "tai nguyen" not in birth.search_text  # the agency taken off


def test_a_rolled_back_change_does_not_move_it(catalogue):
    before = catalogue_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        _save(_birth(catalogue), name="Đăng ký khai sinh cho trẻ em")
        assert catalogue_version() > before  # the writing connection sees its own change...
        raise RuntimeError
    # ...which is gone with the savepoint, and the version with it.
    assert catalogue_version() == before == CatalogueVersion.objects.get().value


def test_a_transaction_moves_it_once_however_many_rows_it_writes(catalogue):
    procedure = _birth(catalogue)
    catalogue_version()  # read since the catalogue was made: the next change moves it
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for n in range(50):
            RequiredComponent.objects.create(procedure=procedure, position=n, name=f"Giấy tờ số {n}")
            catalogue_changed()
        procedure.components.all().delete()
        catalogue_changed()
    assert sum(f'UPDATE "{VERSION_TABLE}"' in q["sql"] for q in queries.captured_queries) == 1


def test_a_change_after_a_page_read_the_version_moves_it_again(catalogue):
    """What a page made from the rows under the version of the moment is not kept as the rows after the next change."""
    procedure = _birth(catalogue)
    with transaction.atomic():
        _save(procedure, name="Đăng ký khai sinh (1)")
        first = catalogue_version()
        _save(procedure, name="Đăng ký khai sinh (2)")
        assert catalogue_version() > first


def test_an_import_that_changes_only_the_papers_moves_it():
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    number, record = next(iter(records_from_file("tthc_all.jsonl.gz", content)))
    procedures_import(records=[(number, record)])
    before = catalogue_version()
    papers = {**record, "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn khiếu nại1 bản chính"}
    procedures_import(records=[(number, papers)])
    assert catalogue_version() > before
    assert list(Procedure.objects.get().components.values_list("name", flat=True)) == ["Đơn khiếu nại"]


def test_an_inline_edit_in_the_admin_shows_at_once_on_the_cached_page(admin_session, catalogue):
    visitor = Client()
    visitor.get(catalogue.get_absolute_url())
    assert visitor.get(catalogue.get_absolute_url())["X-Page-Cache"] == "hit"
    data = procedure_change_data(admin_session.get(admin_url(Procedure, "change", catalogue.pk)), catalogue)
    renamed = next(name for name, value in data.items() if value == "Đơn đề nghị (Mẫu 01)")
    data[renamed] = "Đơn đề nghị (Mẫu 02)"  # an inline's field
    assert admin_session.post(admin_url(Procedure, "change", catalogue.pk), data).status_code == 302
    text = visitor.get(catalogue.get_absolute_url()).content.decode()
    assert "Đơn đề nghị (Mẫu 02)" in text and "Mẫu 01" not in text


def test_a_bulk_delete_in_the_admin_shows_at_once_on_the_cached_page(admin_session, catalogue):
    visitor = Client()
    visitor.get(catalogue.get_absolute_url())
    assert "Đề án thăm dò" in visitor.get(catalogue.get_absolute_url()).content.decode()
    response = admin_session.post(admin_url(RequiredComponent, "changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": list(catalogue.components.filter(name="Đề án thăm dò").values_list("pk", flat=True))})
    assert response.status_code == 302 and catalogue.components.count() == 1
    assert "Đề án thăm dò" not in visitor.get(catalogue.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)  # committed: no write of this test's own is pending
def test_a_process_reads_the_version_at_most_once_a_second(catalogue, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(versioning, "READ_SECONDS", 3600)  # a slow machine may take over a second for the loop
    catalogue_version()
    with django_assert_num_queries(0):
        for _ in range(1000):
            catalogue_version()
    monkeypatch.setattr(versioning, "READ_SECONDS", 0.05)
    time.sleep(0.06)
    with django_assert_num_queries(1):
        catalogue_version()
        catalogue_version()


@pytest.mark.django_db(transaction=True)  # committed: no write of this test's own is pending
def test_a_cached_page_costs_no_query_and_one_a_second(catalogue, monkeypatch):
    """The figure of the report: what an anonymous visitor's cached page costs the database."""
    url = catalogue.get_absolute_url()
    monkeypatch.setattr(versioning, "READ_SECONDS", 3600)  # 50 pages may take over a second on a loaded machine
    Client().get(url)
    with CaptureQueriesContext(connection) as within:
        for _ in range(50):
            assert Client().get(url)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(versioning, "READ_SECONDS", 0.05)
    time.sleep(0.06)
    with CaptureQueriesContext(connection) as after:
        assert Client().get(url)["X-Page-Cache"] == "hit"
    assert (len(within), [VERSION_TABLE in q["sql"] for q in after.captured_queries]) == (0, [True])


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_is_still_served_while_the_database_does_not_answer(catalogue, monkeypatch):
    from django.db import OperationalError

    url = catalogue.get_absolute_url()
    Client().get(url)
    versioning.forget()  # the second has passed: the version is read again

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CatalogueVersion.objects, "filter", down)
    assert Client().get(url)["X-Page-Cache"] == "hit"


def _in_another_thread(call):
    """Run `call` on its own database connection, as another process's request would."""
    result = []

    def run():
        try:
            result.append(call())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_others_see_the_new_version_once_committed_and_this_process_at_once(catalogue):
    before = catalogue_version()
    with transaction.atomic():
        _save(_birth(catalogue), name="Đăng ký khai sinh cho trẻ em")
        mine = catalogue_version()
        # Another connection reads the old version until the commit: nothing it makes from the old rows is kept
        # under the new one.
        assert (mine > before) and _in_another_thread(lambda: versioning.read()) == before
        assert _in_another_thread(lambda: CatalogueVersion.objects.get().value) == before
    # Committed: every thread of this process reads the new version at once, without waiting for the second.
    assert _in_another_thread(catalogue_version) == mine == CatalogueVersion.objects.get().value


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_is_read_within_a_second(catalogue, monkeypatch):
    monkeypatch.setattr(versioning, "READ_SECONDS", 3600)  # "not yet" holds however slow the machine is
    before = catalogue_version()
    CatalogueVersion.objects.update(value=before + 10)  # as another process's commit: this one is not told
    assert catalogue_version() == before
    monkeypatch.setattr(versioning, "READ_SECONDS", 1.0)  # the process's own period
    time.sleep(versioning.READ_SECONDS)
    assert catalogue_version() == before + 10


@pytest.mark.postgres
def test_a_large_import_refreshes_the_planner_statistics(django_capture_on_commit_callbacks):
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    records = list(records_from_file("tthc_all.jsonl.gz", content))
    with CaptureQueriesContext(connection) as small, django_capture_on_commit_callbacks(execute=True):
        procedures_import(records=records[:20])
    with CaptureQueriesContext(connection) as large, django_capture_on_commit_callbacks(execute=True):
        procedures_import(records=records[20:160])
    analyzed = [[q["sql"] for q in c.captured_queries if q["sql"].startswith("ANALYZE")] for c in (small, large)]
    assert analyzed == [[], ['ANALYZE "procedures_procedure", "procedures_procedure_agencies", '
                             '"procedures_requiredcomponent", "procedures_procedurechannel", "procedures_feeitem", '
                             '"procedures_searchrow"']]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'procedures_procedure'")
        assert cursor.fetchone()[0] >= 150  # the planner counts the rows imported
