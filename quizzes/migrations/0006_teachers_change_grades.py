"""Teachers may change a grade: the "Teachers" group gets `add_gradechange` (a grade
override of their own students' responses, a re-grade of a question) and
`view_gradechange` (the audit). Scores stay read-only otherwise: every change goes
through `quizzes.regrading` and leaves a GradeChange."""

from django.db import migrations

GROUP = "Teachers"
CODENAMES = ("add_gradechange", "view_gradechange")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0005_grade_change_audit"),
        ("classes", "0002_teachers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
