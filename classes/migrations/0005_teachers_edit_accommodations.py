"""Teachers add, change and delete accommodations and date overrides (the admin scopes
them to the teacher's own classes and students, like classes and assignments)."""

from django.db import migrations

GROUP = "Teachers"
MODELS = ("accommodation", "assignmentoverride")
ACTIONS = ("view", "add", "change", "delete")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="classes",
            codename__in=[f"{a}_{m}" for m in MODELS for a in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="classes",
                codename__in=[f"{a}_{m}" for m in MODELS for a in ACTIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("classes", "0004_accommodations_and_date_overrides")]

    operations = [migrations.RunPython(grant, revoke)]
