"""Remove the live links already stored in the outbox (password reset, confirmation, e-mail change).

Rows written before 0002 kept the whole e-mail, link included, readable by anyone who could read the table.
A link removed here is not lost for its owner: every one of them can be asked for again on the portal.
"""

import re

from django.db import migrations

PLACEHOLDER = "[liên kết bảo mật — chỉ có trong thư đã gửi]"
LINK = re.compile(r"https?://[^\s\"'<>]*/(?:xac-nhan|xac-nhan-email|dat-lai-mat-khau)/[^/\s\"'<>]+/[^/\s\"'<>]+/?")


def redact(apps, schema_editor):
    Email = apps.get_model("notifications", "Email")
    for email in Email.objects.filter(link_builder="").only("pk", "body_text", "body_html").iterator():
        text, html = LINK.sub(PLACEHOLDER, email.body_text), LINK.sub(PLACEHOLDER, email.body_html)
        if (text, html) != (email.body_text, email.body_html):
            Email.objects.filter(pk=email.pk).update(body_text=text, body_html=html)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_email_reference_and_secret_links")]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
