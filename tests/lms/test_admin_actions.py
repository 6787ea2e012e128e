"""The quiz list's export actions: one quiz downloads as a file, with what it loses told
in the admin's messages; several quizzes are refused with an error and change nothing."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib import messages
from django.urls import reverse

from ..factories import UserFactory, make_teacher
from . import gift_reader
from .lms_fixtures import article_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client):
    client.force_login(make_teacher("teacher-lms"))
    return client


def _post(client, action, quizzes):
    return client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": action, "_selected_action": [q.pk for q in quizzes]},
    )


def _messages(response):
    return [(m.level, m.message) for m in messages.get_messages(response.wsgi_request)]


@pytest.mark.parametrize("action", ["export_moodle_xml", "export_gift"])
def test_the_actions_are_offered_on_the_quiz_list(teacher_client, action):
    article_quiz()
    html = teacher_client.get(reverse("admin:quizzes_quiz_changelist")).text
    assert f'value="{action}"' in html


def test_one_quiz_downloads_as_moodle_xml(teacher_client):
    quiz, _ = article_quiz()
    response = _post(teacher_client, "export_moodle_xml", [quiz])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{quiz.lesson.slug}-{quiz.key}-moodle.xml"'
    )
    root = ET.fromstring(response.content)
    assert len(root.findall("question")) == 1 + 6
    told = _messages(response)
    assert told[0][0] == messages.SUCCESS and "6 of 6 questions" in told[0][1]
    assert [level for level, _ in told[1:]] == [messages.WARNING]


def test_one_quiz_downloads_as_gift(teacher_client):
    quiz, _ = article_quiz()
    response = _post(teacher_client, "export_gift", [quiz])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-{quiz.key}-gift.txt"')
    read_back = gift_reader.parse(response.content.decode("utf-8"))
    assert [q.qtype for q in read_back][0] == "category" and len(read_back) == 1 + 6


@pytest.mark.parametrize("action", ["export_moodle_xml", "export_gift"])
def test_several_quizzes_are_refused_with_an_error(teacher_client, action):
    first, _ = article_quiz()
    second, _ = article_quiz(slug="another")
    response = _post(teacher_client, action, [first, second])
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("admin:quizzes_quiz_changelist"))
    assert [level for level, _ in _messages(response)] == [messages.ERROR]


def test_a_student_cannot_export(client):
    quiz, _ = article_quiz()
    client.force_login(UserFactory(username="pupil"))
    response = _post(client, "export_moodle_xml", [quiz])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
