"""Queries compiled once per process (common.prepared) return what the ORM returns, on either database."""

from decimal import Decimal

import pytest
from django.db.models import Q
from django.core.management import call_command

from common.collation import vi_order
from common.prepared import Prepared
from procedures.constants import Channel
from procedures.models import Agency, FeeItem, Procedure, ProcedureChannel, RequiredComponent
from procedures.selectors import procedure_page

pytestmark = pytest.mark.django_db


def test_a_procedure_page_has_the_rows_the_orm_finds_in_the_same_order():
    call_command("generate_procedures", "60", "--seed", "7", verbosity=0)
    for procedure in Procedure.objects.order_by("id")[:20]:  # as the national data gives them, in its order
        for position, channel in enumerate((Channel.ONLINE, Channel.POST, Channel.COUNTER)[: 1 + procedure.pk % 3]):
            ProcedureChannel.objects.create(procedure=procedure, position=3 - position, channel=channel,
                                            time_value=Decimal("7.5"), time_unit="Ngày làm việc", fee_amount=50000)
    shown = {"agencies": 0, "components": 0, "fees": 0, "channels": 0}
    for procedure in Procedure.objects.order_by("id"):
        page = procedure_page(code=procedure.code)
        expected = {
            "agencies": Agency.objects.filter(procedures=procedure).order_by(vi_order("name")),
            "components": RequiredComponent.objects.filter(procedure=procedure).order_by("position", "id"),
            "fees": FeeItem.objects.filter(procedure=procedure).order_by("id"),
            "channels": ProcedureChannel.objects.filter(procedure=procedure).order_by("position", "id"),
        }
        for name, queryset in expected.items():
            rows = getattr(page, name)
            assert [r.pk for r in rows] == [r.pk for r in queryset], (procedure.code, name)
            # Every column reaches the row, as through the ORM (no field left to load later).
            assert [_values(r) for r in rows] == [_values(r) for r in queryset], (procedure.code, name)
            shown[name] += len(rows)
    assert min(shown.values()) > 0, shown  # the generated catalogue has rows of every kind
    assert shown["agencies"] > Procedure.objects.count()  # some procedures have several agencies to order


def _values(row) -> dict:
    return {k: v for k, v in row.__dict__.items() if k != "_state"}


def test_a_procedure_page_is_five_queries(django_assert_num_queries):
    call_command("generate_procedures", "3", "--seed", "7", verbosity=0)
    code = Procedure.objects.order_by("id").values_list("code", flat=True).first()
    procedure_page(code=code)  # compiled here, once per process
    with django_assert_num_queries(5):
        procedure_page(code=code)


def test_constant_parameters_stay_and_each_argument_takes_its_place():
    call_command("generate_procedures", "6", "--seed", "7", verbosity=0)
    first, second = Procedure.objects.order_by("id")[:2]
    Procedure.objects.filter(pk=second.pk).update(is_active=False)
    active_between = Prepared(lambda low, high: Procedure.objects.filter(is_active=True, pk__gte=low, pk__lte=high)
                              .order_by("id"))
    assert [p.pk for p in active_between.rows(first.pk, second.pk)] == [first.pk]
    assert [p.pk for p in active_between.rows(second.pk, second.pk)] == []


def test_an_argument_that_is_not_one_parameter_is_refused():
    twice = Prepared(lambda pk: Procedure.objects.filter(Q(pk=pk) | Q(national_code=str(pk))))
    with pytest.raises(AssertionError, match="not one parameter"):
        twice.rows(1)
    derived = Prepared(lambda pk: Procedure.objects.filter(pk__in=[pk, pk + 1]))  # pk + 1 would be kept as is
    with pytest.raises(AssertionError, match="not one parameter"):
        derived.rows(1)
    joined = Prepared(lambda code: Procedure.objects.select_related("field").filter(code=code))
    with pytest.raises(AssertionError, match="select_related"):
        joined.rows("1.000001")
