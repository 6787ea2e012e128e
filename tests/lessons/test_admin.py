"""lessons/admin.py: lesson bundles uploaded and downloaded in the admin."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bundle.dump import dumps
from lessons.models import Lesson
from tests.factories import (
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


SHIPPED = Path(__file__).resolve().parents[2] / "lessons/bundles/cuba-venezuela-casualties.json"


def test_download_a_lesson_bundle(teacher_client, quiz):
    response = teacher_client.get(reverse("admin:lessons_lesson_export", args=[quiz.lesson.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{quiz.lesson.slug}.json"'
    assert response.content.decode() == dumps(quiz.lesson)
    assert json.loads(response.content)["format"]


def test_upload_the_shipped_bundle_then_download_and_upload_it_again(teacher_client):
    text = SHIPPED.read_text(encoding="utf-8")
    url = reverse("admin:lessons_lesson_import")
    upload = SimpleUploadedFile(SHIPPED.name, text.encode(), content_type="application/json")
    response = teacher_client.post(url, {"file": upload}, follow=True)
    lesson = Lesson.objects.get()
    assert "Imported cuba-venezuela-casualties.json: the lesson" in response.text
    assert "was created" in response.text
    assert lesson.quizzes.exists() and lesson.claims.exists()
    downloaded = teacher_client.get(reverse("admin:lessons_lesson_export", args=[lesson.pk]))
    assert downloaded.content.decode() == dumps(lesson)
    again = SimpleUploadedFile("again.json", downloaded.content, content_type="application/json")
    response = teacher_client.post(url, {"file": again}, follow=True)
    assert "was unchanged" in response.text
    assert Lesson.objects.count() == 1


def test_a_bad_bundle_lists_its_problems_and_writes_nothing(teacher_client):
    upload = SimpleUploadedFile("broken.json", b'{"format": ', content_type="application/json")
    response = teacher_client.post(reverse("admin:lessons_lesson_import"), {"file": upload})
    assert response.status_code == 400
    assert (
        "Nothing was imported" in response.text and "broken.json: not valid JSON" in response.text
    )
    assert not Lesson.objects.exists()


def test_import_page_is_linked_from_the_lesson_list(teacher_client):
    page = teacher_client.get(reverse("admin:lessons_lesson_changelist"))
    assert reverse("admin:lessons_lesson_import") in page.text
    assert teacher_client.get(reverse("admin:lessons_lesson_import")).status_code == 200


def test_import_needs_add_and_change_permission(client, quiz):
    client.force_login(TeacherFactory(username="no-group"))
    assert client.get(reverse("admin:lessons_lesson_import")).status_code == 403
    assert (
        client.get(reverse("admin:lessons_lesson_export", args=[quiz.lesson.pk])).status_code == 403
    )
