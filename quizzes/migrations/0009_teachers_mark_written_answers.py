"""Teachers write rubrics (the levels of a written question) and mark written answers
(`quizzes.mark_response`); they still never change an attempt's score any other way."""

from django.db import migrations

GROUP = "Teachers"

PERMISSIONS = {
    "quizzes": {
        "rubriclevel": ("view", "add", "change", "delete"),
        "response": ("mark",),
    },
}


def _wanted(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(*_wanted(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_wanted(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_written_answers_and_rubrics"),
        ("classes", "0002_teachers_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
