import pytest
from django.core.management import CommandError, call_command

from procedures.models import Procedure, procedure_code_validator
from procedures.selectors import procedure_search
from procedures.text import fold, searchable

pytestmark = pytest.mark.django_db


def test_generate_procedures_makes_searchable_rows_in_bulk(django_assert_max_num_queries):
    # A bounded number of queries for 200 procedures: the rows go in batches, not one by one.
    with django_assert_max_num_queries(40):
        call_command("generate_procedures", 200, seed=7, stdout=None)
    generated = Procedure.objects.filter(code__startswith="9.").prefetch_related("agencies", "components")
    assert generated.count() == 200
    for procedure in generated:
        procedure_code_validator(procedure.code)
        assert 2 <= len(procedure.components.all()) <= 4
        names = [searchable(a.name) for a in procedure.agencies.all()]
        assert names and all(name in procedure.search_text for name in names)

    target = generated.order_by("code")[123]
    word = max(target.name.split(), key=len)
    assert procedure_search(q=fold(word)).filter(pk=target.pk).exists()
    assert procedure_search(q=target.name)[0].name == target.name


def test_generate_procedures_again_continues_the_codes():
    call_command("generate_procedures", 3, seed=1)
    call_command("generate_procedures", 2, prefix="9", seed=1)
    codes = sorted(Procedure.objects.values_list("code", flat=True))
    assert codes == [f"9.{n:06d}.000.00.00.H34" for n in range(1, 6)]


@pytest.mark.parametrize("args", [["0"], ["5", "--prefix", "AB"]])
def test_generate_procedures_rejects_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("generate_procedures", *args)
    assert not Procedure.objects.exists()


@pytest.mark.postgres
def test_a_generated_catalogue_is_analysed_for_the_planner(django_capture_on_commit_callbacks):
    # Without it, a benchmark's freshly grown catalogue was planned as an empty table: two common words
    # searched at 100 000 procedures read every row of both words (11 ms) rather than the first 200 (1.3 ms).
    from django.db import connection

    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_procedures", 150, seed=7, stdout=None)
    with connection.cursor() as cursor:
        # The procedures and their agencies (the search page's rows read both).
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname IN "
                       "('procedures_procedure', 'procedures_procedure_agencies')")
        assert {name: tuples >= 150 for name, tuples in cursor.fetchall()} == {
            "procedures_procedure": True, "procedures_procedure_agencies": True}
