from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from . import cache  # noqa: F401  (the quiz's content version, the result's revision)
