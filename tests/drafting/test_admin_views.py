"""The admin's "New lesson from an article": a paste or an upload becomes a draft lesson
with its draft quiz, unpublished, in one call; bad input is a form error with its code,
a 4xx, and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Choice, Question, Quiz

ARTICLE = (
    "The city council approved a new footbridge over the river on Monday. "
    "“The bridge will open in May,” said Mayor Ana Ruiz. "
    "The engineer Tom Baker warned that “the budget is already stretched.”"
)
NEW = reverse("drafting:new_lesson")
MODELS = (Lesson, Source, Section, Claim, Quiz, Question, Choice)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def post(client, **fields):
    data = {"title": "A new footbridge", "text": ARTICLE, "outlet": "", "date": "", "url": ""}
    data.update(fields)
    return client.post(NEW, data)


def test_the_lesson_list_links_to_the_page(teacher_client):
    page = teacher_client.get(reverse("admin:lessons_lesson_changelist"))
    assert NEW.encode() in page.content
    assert teacher_client.get(NEW).status_code == 200


def test_a_paste_becomes_an_unpublished_draft_with_its_quiz(teacher_client):
    response = post(
        teacher_client, outlet="The Riverside Post", date="1 Dec 2026", url="news.example/b"
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("drafting:review", args=[lesson.pk])
    assert lesson.published is False
    assert lesson.source_text == ARTICLE  # verbatim
    assert lesson.article_publisher == "The Riverside Post"
    assert lesson.article_url == "https://news.example/b"
    assert set(lesson.sources.values_list("name", flat=True)) >= {
        "Mayor Ana Ruiz",
        "The engineer Tom Baker",
    }
    quiz = lesson.quizzes.get()
    assert quiz.published is False
    kinds = set(quiz.questions.values_list("kind", flat=True))
    assert {"who_said", "true_false"} <= kinds


def test_the_text_is_kept_exactly_as_pasted(teacher_client):
    text = "\n  " + ARTICLE + "\r\n\n"
    post(teacher_client, text=text)
    assert Lesson.objects.get().source_text == text


def test_a_second_draft_of_the_same_title_gets_its_own_slug(teacher_client):
    post(teacher_client)
    post(teacher_client)
    assert sorted(Lesson.objects.values_list("slug", flat=True)) == [
        "a-new-footbridge",
        "a-new-footbridge-2",
    ]
    assert Quiz.objects.count() == 2


def test_an_upload_is_used_instead_of_the_paste(teacher_client):
    upload = SimpleUploadedFile("article.txt", ARTICLE.encode("utf-8"), "text/plain")
    response = teacher_client.post(
        NEW, {"title": "Bridge", "text": "", "upload": upload, "outlet": "", "date": ""}
    )
    assert response.status_code == 302
    assert Lesson.objects.get().source_text == ARTICLE


def test_html_is_reduced_to_its_text_with_a_note(teacher_client):
    html = "<html><body><h1>Bridge</h1><p>" + ARTICLE + "</p><script>x()</script></body></html>"
    response = post(teacher_client, text=html)
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert "HTML" in lesson.article_note
    assert "x()" not in "".join(lesson.sections.values_list("body", flat=True))


@pytest.mark.parametrize(
    "fields, field, code",
    [
        ({"text": ""}, "text", "empty"),
        ({"text": "   \n\n  "}, "text", "empty"),
        ({"text": "word " * 420_000}, "text", "too_long"),  # a 2 MB paste
        ({"text": "2024 — 31 — 17.5 %"}, "text", "no_sentences"),
        ({"text": "<p><script>alert(1)</script></p>"}, "text", "no_sentences"),
        ({"title": ""}, "title", "required"),
        ({"title": "t" * 201}, "title", "max_length"),
        ({"outlet": "o" * 201}, "outlet", "max_length"),
        ({"url": "not a link"}, "url", "invalid"),
    ],
)
def test_bad_input_is_a_form_error_with_its_code_and_saves_nothing(
    teacher_client, fields, field, code
):
    before = counts()
    response = post(teacher_client, **fields)
    assert response.status_code == 400
    form = response.context["form"]
    assert code in [e.code for e in form.errors.as_data()[field]]
    assert counts() == before


def test_a_nul_in_the_paste_is_refused_before_the_form_and_saves_nothing(teacher_client):
    before = counts()
    response = post(teacher_client, text=ARTICLE + "\x00")
    assert response.status_code == 400  # config.middleware.RefuseNulMiddleware
    assert response.context["code"] == "nul"
    assert counts() == before


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("article.txt", "Caf\xe9 owners said prices rose.".encode("latin-1"), "not_utf8"),
        ("article.txt", b"Officials said it.\x00\x01", "nul"),
        ("article.pdf", b"%PDF-1.4", "file_type"),
        ("article.txt", b"a" * (800_001), "too_large"),
    ],
)
def test_a_bad_upload_is_a_form_error_with_its_code(teacher_client, name, content, code):
    before = counts()
    upload = SimpleUploadedFile(name, content, "text/plain")
    response = teacher_client.post(NEW, {"title": "Bridge", "text": "", "upload": upload})
    assert response.status_code == 400
    assert code in [e.code for e in response.context["form"].errors.as_data()["upload"]]
    assert counts() == before


@pytest.mark.parametrize(
    "text, note",
    [
        ("“The bridge will open in May.” “It is on budget.”", "quot"),
        ("The council approved the bridge. Officials said it “would open soon.", "quot"),
    ],
)
def test_only_quotes_or_unbalanced_quotes_give_a_draft_that_says_so(teacher_client, text, note):
    response = post(teacher_client, text=text)
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert note in lesson.article_note.lower()
    assert lesson.published is False


def test_a_failing_import_leaves_nothing_half_saved(teacher_client, monkeypatch):
    from bundle.errors import BundleError, Problem

    def refuse(lesson, report):
        # After every row is written: what a failing writer does (a draft's content
        # problems alone are kept as warnings, not refused).
        raise BundleError([Problem.at("the draft", "lesson", "refused for the test", "test")])

    # The draft's import runs no content checks; make its writer fail after writing.
    import drafting.authoring as authoring

    real = authoring.import_bundle
    monkeypatch.setattr(
        authoring,
        "import_bundle",
        lambda data, name, checks, owner: real(data, name=name, checks=[refuse], owner=owner),
    )
    response = post(teacher_client)
    assert response.status_code == 400
    assert "draft_invalid" in [
        e.code for e in response.context["form"].non_field_errors().as_data()
    ]
    assert counts() == {m.__name__: 0 for m in MODELS}


def test_students_and_the_anonymous_cannot_draft(client, student):
    assert client.get(NEW).status_code == 302  # to the admin login
    client.force_login(student)
    assert client.post(NEW, {"title": "x", "text": ARTICLE}).status_code == 302
    assert Lesson.objects.count() == 0


def test_staff_without_the_import_permissions_get_a_403(client, db):
    from tests.factories import TeacherFactory

    client.force_login(TeacherFactory())
    assert client.get(NEW).status_code == 403


def test_the_lesson_page_links_to_its_review(teacher_client):
    post(teacher_client)
    lesson = Lesson.objects.get()
    page = teacher_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    assert reverse("drafting:review", args=[lesson.pk]).encode() in page.content
    assert b"Review the draft" in page.content
