from django.contrib.auth.base_user import BaseUserManager
from django.db import models

from .user_cache import user_cache_forget


class UserQuerySet(models.QuerySet):
    """Writes that go past the model's save() and delete() forget the cached copies of the rows they change (accounts/user_cache.py)."""

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        for pk in pks:
            user_cache_forget(pk)
        return count

    def delete(self):
        pks = list(self.values_list("pk", flat=True))
        deleted = super().delete()
        for pk in pks:
            user_cache_forget(pk)
        return deleted

    def bulk_update(self, objs, fields, batch_size=None):
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        for obj in objs:
            user_cache_forget(obj.pk)
        return count


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_active", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})
