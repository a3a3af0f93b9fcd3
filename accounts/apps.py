from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .staff import grant_on_migrate

        post_migrate.connect(
            grant_on_migrate(["accounts.view_user", "notifications.view_email"]), sender=self, weak=False
        )
