"""Export a lesson as a bundle (docs/lesson-bundle.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bundle.dump import dumps
from lessons.models import Lesson


class Command(BaseCommand):
    help = "Write a lesson as a bundle file, to standard output or to -o FILE."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="the lesson's slug")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead")

    def handle(self, *args, slug, output, **options):
        lesson = Lesson.objects.filter(slug=slug).first()
        if lesson is None:
            raise CommandError(f'No lesson with the slug "{slug}".')
        text = dumps(lesson)
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8", newline="\n")
        self.stdout.write(f'Wrote lesson "{slug}" to {output}.')
