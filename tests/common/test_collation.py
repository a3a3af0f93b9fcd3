"""Names sort in Vietnamese order: Đ after D, the tones after the bare letter, Ă Â after A."""

import random

import pytest
from django.db import connection

from common.collation import vi_order, vi_sort_key
from procedures.models import Agency
from tests.factories.procedures import AgencyFactory, FieldFactory, ProcedureFactory

# Dictionary order, checked against PostgreSQL's ICU "vi-x-icu" (see the PostgreSQL test below).
VIETNAMESE_ORDER = [
    "an",
    "àn",
    "ản",
    "ãn",
    "án",
    "ạn",
    "Anh",
    "Ăn",
    "Ân",
    "Ba Tơ",
    "Bình Định",
    "Chư Păh",
    "Dak Hà",
    "Dương",
    "Đà Nẵng",
    "Đắk Glei",
    "Đồng Nai",
    "Ê Đê",
    "Ia H'Drai",
    "Kon Plông",
    "Kon Tum",
    "Ngọc Hồi",
    "Ơ Rê",
    "Ư Ba",
    "Ya Ly",
]


def test_python_key_gives_vietnamese_dictionary_order():
    shuffled = VIETNAMESE_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == VIETNAMESE_ORDER
    # Code-point order is what the portal had: every Đ name after Z.
    assert sorted(["Đồng Nai", "Dương", "Yên"])[-1] == "Đồng Nai"
    assert sorted(["Đồng Nai", "Dương", "Yên"], key=vi_sort_key) == ["Dương", "Đồng Nai", "Yên"]


def test_python_key_accepts_decomposed_input_and_none():
    import unicodedata

    assert vi_sort_key(unicodedata.normalize("NFD", "Đắk Hà")) == vi_sort_key("Đắk Hà")
    assert vi_sort_key(None) == vi_sort_key("")


@pytest.mark.django_db
def test_queries_sort_in_vietnamese_order_on_this_database():
    names = ["Sở Y tế", "Đoàn Thanh niên", "Ủy ban nhân dân xã Đắk Hà", "Sở Nội vụ", "Công an tỉnh", "Ban Dân tộc",
             "Ủy ban nhân dân xã Dak Long"]
    for name in names:
        AgencyFactory(name=name)
    listed = list(Agency.objects.filter(name__in=names).order_by(vi_order("name")).values_list("name", flat=True))
    assert listed == sorted(names, key=vi_sort_key)
    assert listed.index("Đoàn Thanh niên") < listed.index("Sở Nội vụ")
    assert listed.index("Ủy ban nhân dân xã Dak Long") < listed.index("Ủy ban nhân dân xã Đắk Hà")


@pytest.mark.postgres
@pytest.mark.django_db
def test_python_key_matches_postgresql_icu_collation():
    if connection.vendor != "postgresql":
        pytest.fail("needs DATABASE_URL pointing at PostgreSQL")
    shuffled = VIETNAMESE_ORDER[:]
    random.Random(3).shuffle(shuffled)
    with connection.cursor() as cursor:
        values = ", ".join(["(%s)"] * len(shuffled))
        cursor.execute(f'SELECT n FROM (VALUES {values}) AS t(n) ORDER BY n COLLATE "vi-x-icu"', shuffled)
        assert [row[0] for row in cursor.fetchall()] == VIETNAMESE_ORDER


@pytest.mark.django_db
def test_catalogue_filters_list_agencies_and_fields_in_vietnamese_order(client):
    import re

    for agency_name, field_name in [("Sở Xây dựng", "Xây dựng"), ("Đài Phát thanh", "Đất đai"), ("Sở Du lịch", "Du lịch")]:
        ProcedureFactory(agencies=[AgencyFactory(name=agency_name)], field=FieldFactory(name=field_name))
    page = client.get("/thu-tuc/").content.decode()
    options = [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", page)]
    assert [o for o in options if o in ("Xây dựng", "Đất đai", "Du lịch")] == ["Du lịch", "Đất đai", "Xây dựng"]
    assert [o for o in options if o.startswith(("Sở", "Đài"))] == ["Đài Phát thanh", "Sở Du lịch", "Sở Xây dựng"]
