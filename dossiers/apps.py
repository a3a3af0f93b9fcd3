from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.staff import grant_on_migrate

        # The same permissions as migration 0002 grants; kept after a flush too.
        post_migrate.connect(
            grant_on_migrate(
                [f"dossiers.{c}" for c in ("view_dossier", "change_dossier", "view_dossierevent",
                                           "view_dossierfile", "view_calendarday")]
            ),
            sender=self,
            weak=False,
        )
        # Register the Celery tasks in every process (as notifications does): beat names them by path.
        from . import tasks  # noqa: F401
