"""`manage.py draft_lesson`: good input writes a bundle import_lesson accepts; bad input
gives a clear error (a DraftError code in the shared function) and writes nothing."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from drafting import MAX_CHARS, DraftError, draft_from_text

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "bridge-closure.txt").read_text(encoding="utf-8")


def run(tmp_path, content, *extra, name="article.txt"):
    article = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    article.write_bytes(content)
    out = tmp_path / "draft.json"
    stdout = io.StringIO()
    call_command(
        "draft_lesson", str(article), "--title", "A lesson", "-o", str(out), *extra, stdout=stdout
    )
    return json.loads(out.read_text(encoding="utf-8")), stdout.getvalue()


def test_a_good_article_becomes_a_bundle_that_imports(tmp_path, db):
    data, said = run(tmp_path, GOOD, "--outlet", "The Riverside Post", "--date", "3 March")
    assert "nothing is published" in said
    assert data["lesson"]["article"]["publisher"] == "The Riverside Post"
    assert data["lesson"]["article"]["date"] == "3 March"
    call_command("import_lesson", str(tmp_path / "draft.json"), stdout=io.StringIO())


def test_the_link_is_kept_with_the_article(tmp_path):
    data, _ = run(tmp_path, GOOD, "--url", "https://example.org/bridge")
    assert data["lesson"]["article"]["url"] == "https://example.org/bridge"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n\n\t  ",
        "Le caf\u00e9 est ferm\u00e9, a dit le maire.".encode("latin-1"),  # not UTF-8
        b"x" * (4 * MAX_CHARS + 1),  # far past any article (a 2 MB paste and more)
        b"Text\x00with NUL bytes.",
        b"12 34 -- !!! 56\n\n7.8",  # no sentence
        b"HEADLINE ONLY",
    ],
    ids=["empty", "blank", "latin-1", "too-large", "binary", "no-sentences", "headline-only"],
)
def test_bad_input_is_a_clear_error_and_leaves_the_output_alone(tmp_path, content):
    out = tmp_path / "draft.json"
    out.write_text("previous draft", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("draft_lesson", str(article), "--title", "T", "-o", str(out))
    assert str(article) in str(error.value)
    assert out.read_text(encoding="utf-8") == "previous draft"
    assert {p.name for p in tmp_path.iterdir()} == {"article.txt", "draft.json"}  # no temp file


def test_a_missing_file_or_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("draft_lesson", str(tmp_path / "nope.txt"), "--title", "T")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(
            "draft_lesson",
            str(tmp_path / "a.txt"),
            "--title",
            "T",
            "-o",
            str(tmp_path / "x/y.json"),
        )


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"text": ""}, "empty"),
        ({"text": " \n "}, "empty"),
        ({"text": "a" * (MAX_CHARS + 1)}, "too_long"),
        ({"text": "-- 12 --"}, "no_sentences"),
        ({"text": GOOD, "title": "  "}, "no_title"),
        ({"text": GOOD, "title": "t" * 201}, "long_title"),
        ({"text": GOOD, "outlet": "o" * 201}, "long_outlet"),
        ({"text": None}, "not_text"),
    ],
)
def test_the_shared_function_refuses_bad_input_with_a_code(kwargs, code):
    kwargs = {"title": "A lesson", **kwargs}
    text = kwargs.pop("text")
    with pytest.raises(DraftError) as error:
        draft_from_text(text, **kwargs)
    assert error.value.code == code


def test_only_quotes_gives_a_draft_that_says_what_it_could_not_find(tmp_path):
    data, said = run(tmp_path, '"We will not move."\n\n"Nobody asked us about any of it."')
    assert "no speaker" in said
    kinds = {c["kind"] for c in data["claims"]}
    assert kinds == {"quote"}
    assert "no speaker" in data["lesson"]["article"]["note"]


def test_no_quotes_and_no_sources_are_noted(tmp_path):
    data, said = run(tmp_path, "The river rose overnight. Schools closed early on Monday.")
    assert "No quotation found" in said and "No reporting verb" in said
    assert {c["source"] for c in data["claims"]} == {"the-article"}


def test_unbalanced_quotation_marks_are_noted_and_still_drafted(tmp_path):
    data, said = run(tmp_path, 'The mayor said "we will act. The council met on Monday.')
    assert "Unbalanced quotation marks" in said
    assert [c["source"] for c in data["claims"]][0] != "the-article"


def test_html_pasted_in_is_reduced_to_its_text(tmp_path):
    html = (
        "<html><body><h2>The Vote</h2><p>The council voted on <b>Monday</b>.</p>"
        "<p>&ldquo;It was close,&rdquo; said Mayor Jo Park.</p><script>x()</script></body></html>"
    )
    data, said = run(tmp_path, html, name="article.html")
    assert "HTML" in said
    assert data["sections"][0]["title"] == "The Vote"
    reading = json.dumps([data["sections"], data["claims"], data["quizzes"]])
    assert "<" not in reading and "x()" not in reading
    assert data["lesson"]["source_text"] == html  # the paste itself is kept verbatim
    assert any(c["kind"] == "quote" for c in data["claims"])


def test_without_an_output_file_the_bundle_goes_to_stdout(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "draft_lesson", str(tmp_path / "a.txt"), "--title", "T", stdout=stdout, stderr=stderr
    )
    assert json.loads(stdout.getvalue())["format"] == "sourcewise.lesson/1"
    assert "nothing is published" in stderr.getvalue()
