from django.db import migrations


def create_role_groups(apps, schema_editor):
    from hiring.groups import sync_groups

    sync_groups(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0001_initial"),
        ("roles", "0001_initial"),
        ("interviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
