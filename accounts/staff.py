"""The staff groups follow accounts.roles exactly: created, given their role's permissions, no more."""

from .roles import RETIRED_GROUPS, ROLES


def staff_roles_sync(*, group_model=None, permission_model=None, using: str = "default") -> int:
    """Make every role's group exist and hold exactly its role's permissions; return how many are missing.

    Used by the data migration (with historical models) and after every migrate or flush (post_migrate),
    so an emptied database - a transactional test, a restored dump - gets the scheme back, and a grant
    made by hand outside the scheme does not survive the next deploy. Permissions of an app not migrated
    yet are counted as missing and given on a later call.
    """
    if group_model is None or permission_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    wanted = {role.group: {tuple(p.split(".", 1)) for p in role.permissions()} for role in ROLES}
    codenames = {codename for perms in wanted.values() for _, codename in perms}
    found = {
        (app_label, codename): pk
        for pk, app_label, codename in permission_model.objects.using(using)
        .filter(codename__in=codenames)
        .values_list("pk", "content_type__app_label", "codename")
    }
    missing = 0
    for name, perms in wanted.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set([found[p] for p in perms if p in found])
        missing += len([p for p in perms if p not in found])
    group_model.objects.using(using).filter(name__in=RETIRED_GROUPS).delete()
    return missing


def sync_on_migrate(sender, using="default", apps=None, **kwargs):
    """post_migrate receiver: runs after each app's permissions were created; the last run sees them all."""
    staff_roles_sync(using=using)
