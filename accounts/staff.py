"""The staff groups (tiếp nhận / xử lý / phê duyệt) and the admin permissions each app gives them."""

from django.contrib.auth.models import Group, Permission

from .constants import STAFF_GROUPS


def staff_groups_grant(*, permissions: list[str]) -> None:
    """Make sure every staff group exists and holds these permissions ("app_label.codename").

    The migrations create the groups; each app also calls this after migrate and after a flush
    (post_migrate), so an emptied database - a transactional test, a restored dump - gets them back.
    """
    wanted = {tuple(p.split(".", 1)) for p in permissions}
    found = [
        perm
        for perm in Permission.objects.filter(codename__in={c for _, c in wanted}).select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    for name in STAFF_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*found)


def grant_on_migrate(permissions: list[str]):
    """A post_migrate receiver that grants `permissions` to the staff groups."""

    def receiver(sender, using="default", **kwargs):
        staff_groups_grant(permissions=permissions)

    return receiver
