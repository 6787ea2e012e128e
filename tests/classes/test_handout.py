"""The printable class handout: the class's own teacher (or a superuser) sees the name, the
join address, the code and a QR code of the address; nobody else learns the class exists."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classes.handout import qr_svg
from classes.models import Classroom

from ..factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(teacher):
    return Classroom.objects.create(name="Year 10 · Media & news", teacher=teacher)


def _url(classroom):
    return reverse("classes:handout", args=[classroom.pk])


def _join_url(classroom):
    return f"http://testserver/signup/?code={classroom.join_code}"


def test_the_teacher_sees_name_address_code_and_a_qr_code_of_the_address(
    client, teacher, classroom
):
    client.force_login(teacher)
    response = client.get(_url(classroom))
    assert response.status_code == 200
    html = response.text
    assert '<h1 id="handout-title">Year 10 · Media &amp; news</h1>' in html
    assert classroom.display_code in html
    assert re.search(r'class="handout-code">\s*' + classroom.display_code, html)
    assert f'<a href="{_join_url(classroom)}">{_join_url(classroom)}</a>' in html
    # The QR code is segno's for exactly this address, inline, and not one for another.
    assert html.count("<svg") == 1
    assert qr_svg(_join_url(classroom)) in html
    assert qr_svg(_join_url(classroom).replace(classroom.join_code, "ABCDEFGH")) not in html
    assert 'role="img" aria-label="QR code' in html
    assert "css/handout.css" in html


def test_the_page_holds_nothing_the_content_security_policy_blocks(client, teacher, classroom):
    client.force_login(teacher)
    response = client.get(_url(classroom))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.text
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"<style\b", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_a_new_code_makes_a_new_handout(client, teacher, classroom):
    client.force_login(teacher)
    old = classroom.display_code
    classroom.regenerate_join_code()
    html = client.get(_url(classroom)).text
    assert classroom.display_code in html and old not in html
    assert qr_svg(_join_url(classroom)) in html


def test_a_superuser_sees_any_class(client, classroom):
    client.force_login(TeacherFactory(username="head", is_superuser=True))
    assert client.get(_url(classroom)).status_code == 200


def test_another_teacher_gets_a_404(client, other_teacher, classroom):
    client.force_login(other_teacher)
    assert client.get(_url(classroom)).status_code == 404


def test_a_student_of_the_class_gets_a_404(client, student, classroom):
    classroom.students.add(student)
    client.force_login(student)
    assert client.get(_url(classroom)).status_code == 404


def test_an_unknown_class_is_a_404(client, teacher, classroom):
    client.force_login(teacher)
    assert client.get(reverse("classes:handout", args=[classroom.pk + 100])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, classroom):
    response = client.get(_url(classroom))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_only_get_is_allowed(client, teacher, classroom):
    client.force_login(teacher)
    assert client.post(_url(classroom)).status_code == 405


def test_query_count_does_not_grow_with_the_class(client, teacher, classroom):
    client.force_login(teacher)
    counts = []
    for size in (1, 25):
        classroom.students.add(*[UserFactory(username=f"s{size}-{n}") for n in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(classroom)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
