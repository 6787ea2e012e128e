"""Draft a lesson bundle from an article's text (docs/authoring.md)."""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drafting import MAX_CHARS, DraftError, draft_from_text

# A UTF-8 character is at most 4 bytes: a bigger file cannot be within MAX_CHARS.
MAX_BYTES = 4 * MAX_CHARS


def read_article(path: str) -> str:
    """The file's text, or a CommandError that says what is wrong with it."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from None
    if len(raw) > MAX_BYTES:
        raise CommandError(
            f"{path}: the file is too large (over {MAX_BYTES // 1000:,} kB); an article is "
            f"at most {MAX_CHARS:,} characters."
        )
    if b"\x00" in raw:
        raise CommandError(f"{path}: this is not a text file (it holds NUL bytes).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: the file is not UTF-8 text (byte 0x{raw[error.start]:02x} at position "
            f"{error.start}). Save it as UTF-8 and try again."
        ) from None


def validate_bundle(data: dict) -> list[str]:
    """The lesson app's own check of a bundle, without touching the database."""
    from bundle.validate import validate

    return validate(data, name="draft")


class Command(BaseCommand):
    help = (
        "Draft a lesson from an article's text: sections, sources, claims and questions, "
        "all unpublished, written as a lesson bundle for import_lesson."
    )

    def add_arguments(self, parser):
        parser.add_argument("article", help="the article as a UTF-8 text (or HTML) file")
        parser.add_argument("--title", required=True, help="the lesson's title")
        parser.add_argument("--outlet", default="", help="who published the article")
        parser.add_argument("--date", default="", help="when, as free text")
        parser.add_argument("--url", default="", help="a link to the article")
        parser.add_argument("-o", "--output", help="the bundle file to write (default: stdout)")

    def handle(self, *args, article, title, outlet, date, url, output, **options):
        text = read_article(article)
        try:
            draft = draft_from_text(text, title=title, outlet=outlet, date=date, url=url)
        except DraftError as error:
            raise CommandError(f"{article}: {error.message}") from None
        data = draft.to_bundle()
        problems = validate_bundle(data)
        if problems:  # a drafting bug: say so rather than write a bundle import refuses
            raise CommandError("The draft is not a valid bundle:\n" + "\n".join(problems))
        payload = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output:
            _write_whole(Path(output), payload)
        else:
            self.stdout.write(payload, ending="")
        counts = draft.counts
        summary = (
            f"Drafted {counts['sections']} sections, {counts['sources']} sources, "
            f"{counts['claims']} claims ({counts['attributed']} attributed, "
            f"{counts['quotes']} quotes) and {counts['questions']} questions"
            + (f" into {output}" if output else "")
            + "; nothing is published."
        )
        err = self.stderr if output is None else self.stdout
        err.write(summary)
        for note in draft.notes:
            err.write(f"Note: {note}")


def _write_whole(path: Path, payload: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"{path}: the folder {directory} does not exist.")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(payload)
        os.replace(tmp, path)
    except OSError as error:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
        raise CommandError(f"{path}: cannot write the file ({error.strerror}).") from None
