"""The "Teachers" group, with exactly the permissions a teacher needs.

- Authoring (view, add, change, delete): lessons, sources, sections, claims, quizzes,
  questions, choices; and their own classes and assignments (the admin scopes these to
  the teacher's own classes).
- Results (view only): attempts, responses and their selections. Attempts are written by
  learners taking a quiz; a teacher reads them and never edits a score.
- Users and groups: nothing. A teacher never browses or edits accounts: students join a
  class with its join code, and a teacher removes a student from their own class on the
  class's page, which offers only that class's students. Giving `change_user` would let a
  teacher make anyone (themselves included) staff or superuser.
"""

from django.db import migrations

GROUP = "Teachers"

PERMISSIONS = {
    "lessons": {
        "lesson": ("view", "add", "change", "delete"),
        "source": ("view", "add", "change", "delete"),
        "section": ("view", "add", "change", "delete"),
        "claim": ("view", "add", "change", "delete"),
    },
    "quizzes": {
        "quiz": ("view", "add", "change", "delete"),
        "question": ("view", "add", "change", "delete"),
        "choice": ("view", "add", "change", "delete"),
        "attempt": ("view",),
        "response": ("view",),
        "selection": ("view",),
    },
    "classes": {
        "classroom": ("view", "add", "change", "delete"),
        "assignment": ("view", "add", "change", "delete"),
    },
}


def create_teachers_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)


def remove_teachers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0001_initial"),
        ("quizzes", "0001_initial"),
        ("classes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_teachers_group, remove_teachers_group)]
