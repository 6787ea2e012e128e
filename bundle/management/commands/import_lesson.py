"""Import lesson bundles (docs/lesson-bundle.md): all of them, or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bundle.errors import BundleError
from bundle.upsert import import_bundle


class Command(BaseCommand):
    help = (
        "Create or update lessons from bundle files. Every file is checked first; with any "
        "problem in any file nothing is written and the problems are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="a lesson bundle (.json)")
        parser.add_argument(
            "--create-only",
            action="store_true",
            help=(
                "Create lessons that do not exist; leave a lesson whose slug exists as it is "
                '(reported "skipped: exists"). What `make run` and `make serve` do at every '
                "start, so a restart never undoes a teacher's edits."
            ),
        )

    def handle(self, *args, files, create_only=False, **options):
        problems, summaries = [], []
        # One transaction for all the files: a bad file leaves the good ones unwritten too.
        with transaction.atomic():
            for path in files:
                try:
                    summaries.append(
                        import_bundle(path, name=path, create_only=create_only).summary()
                    )
                except BundleError as error:
                    problems.extend(error.problems)
            if problems:
                raise CommandError(
                    f"Nothing imported: {len(problems)} problem(s).\n" + "\n".join(problems)
                )
        for summary in summaries:
            self.stdout.write(summary)
