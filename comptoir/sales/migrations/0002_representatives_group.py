"""The "Sales representatives" group: a staff user in it is a representative (issue 18).

A group rather than a flag on the user: the admin's permissions already hang on groups, the
merchant can widen or narrow what representatives may open without a code change, and the
scoping reads membership once per request. Its permissions: to see the companies, their users,
orders, invoices and approval requests, to answer quotes, to act as a buyer and to enter
orders; the scoping limits each to the representative's companies.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Sales representatives"
PERMISSIONS = [
    ("customers", "view_company"),
    ("customers", "view_address"),
    ("accounts", "view_user"),
    ("ordering", "view_order"),
    ("quotes", "view_quote"),
    ("quotes", "change_quote"),
    ("payments", "view_invoice"),
    ("approvals", "view_approvalrequest"),
    ("tax", "view_taxcertificate"),
    ("sales", "view_assignment"),
    ("sales", "view_actingevent"),
    ("sales", "act_as_buyer"),
    ("sales", "enter_orders"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this group needs them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0004_locations"),
        ("accounts", "0005_roles_and_locations"),
        ("ordering", "0012_staff_attribution"),
        ("quotes", "0003_staff_attribution"),
        ("payments", "0006_invoice_late_payment"),
        ("approvals", "0004_staff_attribution"),
        ("tax", "0002_certificate_expired_and_reminders"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
