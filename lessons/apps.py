from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from . import signals  # noqa: F401  (the content version: lessons/signals.py)
