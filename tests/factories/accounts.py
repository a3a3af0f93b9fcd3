import datetime

import factory
from django.utils import timezone

from accounts.constants import AccountType, Gender
from accounts.models import User

PASSWORD = "Mật khẩu dài của tôi 2025"


class UserFactory(factory.django.DjangoModelFactory):
    """A confirmed citizen; `UserFactory.unconfirmed()` and `UserFactory.organisation()` for the others."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"nguoidan{n}@example.vn")
    account_type = AccountType.INDIVIDUAL
    full_name = "Nguyễn Văn An"
    identity_number = factory.Sequence(lambda n: f"06209{n:07d}")
    phone = "0912345678"
    date_of_birth = datetime.date(1990, 5, 17)
    gender = Gender.MALE
    province_code = 51
    commune_code = factory.LazyFunction(lambda: _first_commune(51))
    street_address = "12 Trần Hưng Đạo"
    is_active = True
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @classmethod
    def unconfirmed(cls, **kwargs):
        return cls(is_active=False, email_confirmed_at=None, **kwargs)

    @classmethod
    def organisation(cls, **kwargs):
        kwargs.setdefault("identity_number", "0100109106")
        return cls(account_type=AccountType.ORGANISATION, full_name="Công ty TNHH Sao Mai", date_of_birth=None,
                   gender="", representative="Trần Thị Bình", **kwargs)


def _first_commune(province: int) -> int:
    from accounts.selectors import commune_choices

    return commune_choices(province_code=province)[0][0]
