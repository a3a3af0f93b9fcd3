from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .staff import sync_on_migrate

        # Not limited to this app: the roles name permissions of every app, created in each one's turn.
        post_migrate.connect(sync_on_migrate, weak=False, dispatch_uid="accounts.staff_roles_sync")
        # Importing services registers the e-mail link builder (notifications.links) in every process,
        # the worker that sends the e-mails included.
        from . import services  # noqa: F401
