from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .signals import user_changed
        from .staff import sync_on_migrate

        # Not limited to this app: the roles name permissions of every app, created in each one's turn.
        post_migrate.connect(sync_on_migrate, weak=False, dispatch_uid="accounts.staff_roles_sync")
        # Every write to a user's row reaches the cache of signed-in users (UPDATEs: managers.UserQuerySet).
        post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="accounts.user_saved")
        post_delete.connect(user_changed, sender=get_user_model(), dispatch_uid="accounts.user_deleted")
        # Importing services registers the e-mail link builder (notifications.links) in every process,
        # the worker that sends the e-mails included.
        from . import services  # noqa: F401
