"""Search as citizens type: i/y folded alike, a full-text GIN index, and the everyday names people use.

The search columns are recomputed (y after a lone consonant is now folded to i, and the columns end
with a space so that " word " is a whole word). On PostgreSQL the folded column gets a stored,
generated tsvector ('simple' configuration: no stemming, every word kept) with a GIN index, so that
prefixes ('cap':*) are answered by the index and a common word matching most rows is not re-parsed
row by row. Django does not know the column; it is only read by procedures.selectors.
"""

from django.db import migrations, models

FTS_INDEX = "procedures_search_fts"
FTS_COLUMN = "search_vector"
FTS_EXPRESSION = "to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text))"

# (what people type, the words of the legal names); an empty right side drops the words from the query.
# Longer phrases win over shorter ones at the same place in the query.
SYNONYMS = [
    ("làm sổ đỏ", "cấp giấy chứng nhận quyền sử dụng đất lần đầu hộ gia đình cá nhân"),
    ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "giấy chứng nhận quyền sử dụng đất"),
    ("bìa đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("giấy khai sinh", "khai sinh"),
    ("làm khai sinh", "đăng ký khai sinh"),
    ("làm giấy khai sinh", "đăng ký khai sinh"),
    ("làm giấy chứng tử", "đăng ký khai tử"),
    ("giấy chứng tử", "khai tử"),
    ("báo tử", "khai tử"),
    ("cccd", "căn cước"),
    ("cmnd", "căn cước"),
    ("căn cước công dân", "căn cước"),
    ("chứng minh nhân dân", "căn cước"),
    ("chứng minh thư", "căn cước"),
    ("passport", "cấp hộ chiếu"),
    ("visa", "thị thực"),
    ("bằng lái xe", "giấy phép lái xe"),
    ("bằng lái", "giấy phép lái xe"),
    ("gplx", "giấy phép lái xe"),
    ("cà vẹt", "chứng nhận đăng ký xe"),
    ("đăng ký xe máy", "đăng ký xe"),
    ("đăng ký ô tô", "đăng ký xe"),
    ("nhập hộ khẩu", "đăng ký thường trú"),
    ("hộ khẩu", "thường trú"),
    ("kt3", "tạm trú"),
    ("giấy xác nhận độc thân", "xác nhận tình trạng hôn nhân"),
    ("xác nhận độc thân", "xác nhận tình trạng hôn nhân"),
    ("độc thân", "tình trạng hôn nhân"),
    ("cưới", "kết hôn"),
    ("đăng ký kinh doanh", "đăng ký thành lập hộ kinh doanh"),
    ("mở công ty", "đăng ký thành lập công ty"),
    ("đăng ký hộ kinh doanh", "đăng ký thành lập hộ kinh doanh"),
    ("mst", "mã số thuế"),
    ("bhxh", "bảo hiểm xã hội"),
    ("bhyt", "bảo hiểm y tế"),
    ("sao y", "chứng thực bản sao"),
    ("công chứng bản sao", "chứng thực bản sao"),
    ("đk", "đăng ký"),
    ("xin", ""),
    ("làm", "cấp"),  # làm hộ chiếu, làm căn cước: what people ask to have issued
    ("thủ tục", ""),
    ("ở đâu", ""),
    ("cho con", ""),
    ("cho bé", ""),
    ("cho tôi", ""),
    ("của tôi", ""),
    ("như thế nào", ""),
]


def refold(apps, schema_editor):
    from procedures.text import name_for_search, searchable

    Procedure = apps.get_model("procedures", "Procedure")
    batch = []
    for procedure in Procedure.objects.select_related("field").prefetch_related("agencies").iterator(chunk_size=1000):
        procedure.name_folded = searchable(name_for_search(procedure.name))
        procedure.search_text = searchable(
            procedure.code, procedure.code.replace(".", " "), procedure.name, procedure.field.name,
            *[agency.name for agency in procedure.agencies.all()],
        )
        batch.append(procedure)
        if len(batch) >= 1000:
            Procedure.objects.bulk_update(batch, ["name_folded", "search_text"])
            batch = []
    Procedure.objects.bulk_update(batch, ["name_folded", "search_text"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE procedures_procedure ADD COLUMN IF NOT EXISTS {FTS_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({FTS_EXPRESSION}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON procedures_procedure USING gin ({FTS_COLUMN})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FTS_INDEX}")
        schema_editor.execute(f"ALTER TABLE procedures_procedure DROP COLUMN IF EXISTS {FTS_COLUMN}")


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("procedures", "SearchSynonym")
    for phrase, expansion in SYNONYMS:
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"expansion": expansion})


def unseed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("procedures", "SearchSynonym")
    SearchSynonym.objects.filter(phrase__in=[phrase for phrase, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0005_national_data_model")]

    operations = [
        migrations.AlterField(
            model_name="searchsynonym",
            name="expansion",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: “sổ đỏ” → “giấy chứng nhận quyền sử dụng đất”. Để trống: bỏ qua các từ này khi tìm "
                          "(“xin”, “làm”).",
                max_length=300,
                verbose_name="từ ngữ trong tên thủ tục",
            ),
        ),
        migrations.RunPython(refold, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(seed_synonyms, unseed_synonyms),
    ]
