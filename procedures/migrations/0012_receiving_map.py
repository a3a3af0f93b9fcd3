"""The receiving map: each agency's kind and the 2025 commune it serves, the map's rules, the links it made."""

import django.db.models.deletion
from django.db import migrations, models


def kinds_from_names(apps, schema_editor):
    """Give the agencies that exist their kind by what their name starts with; the operator fixes the rest."""
    Agency = apps.get_model("procedures", "Agency")
    starts = (("ủy ban nhân dân", "ubnd"), ("uỷ ban nhân dân", "ubnd"), ("ubnd", "ubnd"), ("công an", "cong_an"),
              ("sở ", "so_nganh"), ("ban ", "so_nganh"))
    for agency in Agency.objects.only("pk", "name"):
        name = agency.name.lower()
        kind = next((k for prefix, k in starts if name.startswith(prefix)), None)
        if kind:
            Agency.objects.filter(pk=agency.pk).update(kind=kind)


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0011_procedure_components_source_digest'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedure',
            name='receiving_address',
            field=models.TextField(blank=True, verbose_name='địa chỉ tiếp nhận (theo CSDL quốc gia)'),
        ),
        migrations.AddField(
            model_name='agency',
            name='commune_code',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='Mã đơn vị hành chính cấp xã sau sắp xếp năm 2025 mà cơ quan phục vụ; để trống với cơ quan cấp tỉnh.', null=True, verbose_name='xã, phường phục vụ (mã 2025)'),
        ),
        migrations.AddField(
            model_name='agency',
            name='kind',
            field=models.CharField(choices=[('ubnd', 'Ủy ban nhân dân'), ('cong_an', 'Công an'), ('so_nganh', 'Sở, ban, ngành'), ('khac', 'Cơ quan khác')], default='khac', max_length=10, verbose_name='loại cơ quan'),
        ),
        migrations.CreateModel(
            name='MappedAgencyLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mapped_links', to='procedures.agency')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mapped_links', to='procedures.procedure')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('procedure', 'agency'), name='mapped_link_unique')],
            },
        ),
        migrations.CreateModel(
            name='ReceivingRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('tinh', 'Cấp tỉnh'), ('xa', 'Cấp xã'), ('khac', 'Cơ quan khác')], max_length=10, verbose_name='cấp thực hiện')),
                ('commune_kinds', models.CharField(blank=True, default='', max_length=60, verbose_name='cơ quan của từng xã, phường')),
                ('agencies', models.ManyToManyField(blank=True, related_name='receiving_rules', to='procedures.agency', verbose_name='cơ quan tiếp nhận')),
                ('field', models.ForeignKey(blank=True, help_text='Để trống: mọi lĩnh vực không có dòng riêng.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='receiving_rules', to='procedures.field', verbose_name='lĩnh vực')),
            ],
            options={
                'verbose_name': 'bản đồ cơ quan tiếp nhận',
                'verbose_name_plural': 'bản đồ cơ quan tiếp nhận',
                'ordering': ['level', 'field__name'],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('field__isnull', False)), fields=('level', 'field'), name='receiving_rule_level_field_unique', violation_error_message='Bản đồ đã có một dòng cho cấp và lĩnh vực này.'),
                    models.UniqueConstraint(condition=models.Q(('field__isnull', True)), fields=('level',), name='receiving_rule_level_any_field_unique', violation_error_message='Bản đồ đã có một dòng cho cấp này và mọi lĩnh vực.'),
                ],
            },
        ),
        migrations.RunPython(kinds_from_names, migrations.RunPython.noop),
    ]
