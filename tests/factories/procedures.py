"""The catalogue's factories write as its writers do (the admin, the imports): the rows, then
procedures.services, which keeps the search columns and emits catalogue.changed."""

import factory

from procedures.constants import AgencyLevel, FeeKind, OnlineLevel
from procedures.models import Agency, FeeItem, Field, Procedure, RequiredComponent
from procedures.services import catalogue_changed, catalogue_rows_saved


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            catalogue_rows_saved(model=cls._meta.model, pks=[instance.pk])


class AgencyFactory(CatalogueFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100 % 100:02d}.{n % 100:02d}.H34")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    level = AgencyLevel.PROVINCIAL
    phone = "0260.3862516"


class FieldFactory(CatalogueFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(CatalogueFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"1.{900000 + n:06d}.000.00.00.H34")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    online_level = OnlineLevel.FULL
    processing_days = 10

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if not create:
            return
        self.agencies.set(extracted if extracted is not None else [AgencyFactory()])

    @classmethod
    def with_components(cls, *, components: int = 2, fees=(("le_phi", "Lệ phí cấp phép", 150000),), **kwargs):
        procedure = cls(**kwargs)
        for position in range(components):
            RequiredComponent.objects.create(
                procedure=procedure, position=position, name=f"Giấy tờ số {position + 1}", is_required=position == 0
            )
        for kind, name, amount in fees:
            FeeItem.objects.create(procedure=procedure, kind=kind or FeeKind.CHARGE, name=name, amount=amount)
        catalogue_changed()
        return procedure
