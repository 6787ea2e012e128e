from django.apps import AppConfig


class BundleConfig(AppConfig):
    """The lesson bundle format. No models: it reads and writes those of lessons and
    quizzes, and gives the project its import_lesson and export_lesson commands."""

    name = "bundle"
    verbose_name = "Lesson bundles"
