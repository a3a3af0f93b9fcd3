import pytest
from django.contrib.auth.models import Group

from accounts.constants import GROUP_APPROVE, GROUP_PROCESS, GROUP_RECEIVE, STAFF_GROUPS
from tests.support.otp import login_verified

pytestmark = pytest.mark.django_db


def test_the_three_staff_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Cán bộ tiếp nhận", "Chuyên viên xử lý", "Lãnh đạo phê duyệt"}
    assert STAFF_GROUPS == (GROUP_RECEIVE, GROUP_PROCESS, GROUP_APPROVE)


@pytest.mark.parametrize("name", STAFF_GROUPS)
def test_staff_groups_can_see_accounts_and_emails(name):
    permissions = set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))
    assert {("accounts", "view_user"), ("notifications", "view_email")} <= permissions
    assert ("accounts", "change_user") not in permissions and ("accounts", "delete_user") not in permissions


def test_user_admin_pages_open(client):
    from tests.factories.accounts import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory.unconfirmed()
    login_verified(client, admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200 and "Xác nhận e-mail" in page.content.decode()
    assert client.get("/admin/axes/accessattempt/").status_code == 200  # where staff can lift a lockout


@pytest.mark.django_db(transaction=True)
def test_staff_groups_and_their_permissions_come_back_after_a_flush():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    for name in STAFF_GROUPS:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_user", "view_email", "view_dossier", "change_dossier"} <= codenames
