"""Time zones (accounts/zones.py, config/formats/): each user's zone, activated for their
requests from the session; one date format with the zone shown; the admin's date inputs
day first and 24-hour."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import TimeZoneProfile
from accounts.zones import SESSION_ZONE_KEY, set_zone
from classes.models import Assignment
from tests.factories import LessonFactory, QuizFactory, make_single_question

pytestmark = pytest.mark.django_db

# 19:30 UTC on Christmas Day: 14:30 in New York (EST), 20:30 in Paris (CET).
DUE = datetime(2026, 12, 25, 19, 30, tzinfo=UTC)


@pytest.fixture
def due_quiz(class_a):
    quiz = QuizFactory(lesson=LessonFactory(open_to_all=False), open_to_all=False)
    make_single_question(quiz)
    Assignment.objects.create(
        classroom=class_a, quiz=quiz, opens_at=timezone.now() - timedelta(days=1), due_at=DUE
    )
    return quiz


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_user_in_new_york_sees_their_local_time_with_its_zone(student, due_quiz):
    set_zone(student, "America/New_York")
    page = _login(student).get(reverse("quizzes:start", args=[due_quiz.pk]))
    assert "25 Dec 2026, 14:30 EST" in page.text
    work = _login(student).get(reverse("classes:work"))
    assert "25 Dec 2026, 14:30 EST" in work.text


def test_without_a_zone_of_their_own_a_user_sees_the_sites(student, due_quiz):
    page = _login(student).get(reverse("quizzes:start", args=[due_quiz.pk]))
    assert settings.TIME_ZONE == "UTC" and "25 Dec 2026, 19:30 UTC" in page.text


def test_the_student_chooses_their_zone_on_their_account_page(student, due_quiz):
    client = _login(student)
    url = reverse("accounts:time_zone")
    page = client.get(url)
    assert page.status_code == 200 and "The school&#x27;s time zone (UTC)" in page.text
    assert client.post(url, {"time_zone": "Europe/Paris"}).status_code == 302
    assert TimeZoneProfile.objects.get(user=student).time_zone == "Europe/Paris"
    assert client.session[SESSION_ZONE_KEY] == "Europe/Paris"
    # At once, in the same session:
    page = client.get(reverse("quizzes:start", args=[due_quiz.pk]))
    assert "25 Dec 2026, 20:30 CET" in page.text
    # Back to the school's zone:
    assert client.post(url, {"time_zone": ""}).status_code == 302
    assert "25 Dec 2026, 19:30 UTC" in client.get(reverse("classes:work")).text


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "utc; drop table", "x" * 500])
def test_a_zone_that_does_not_exist_is_refused_and_nothing_changes(student, value):
    set_zone(student, "Europe/Paris")
    client = _login(student)
    response = client.post(reverse("accounts:time_zone"), {"time_zone": value})
    assert response.status_code == 400 and "is not a time zone" in response.text
    assert TimeZoneProfile.objects.get(user=student).time_zone == "Europe/Paris"


def test_the_zone_is_read_from_the_session_not_the_database(student, due_quiz):
    set_zone(student, "America/New_York")
    client = _login(student)
    assert client.session[SESSION_ZONE_KEY] == "America/New_York"
    # A zone changed behind the session's back is not looked up on each page...
    TimeZoneProfile.objects.filter(user=student).update(time_zone="Asia/Tokyo")
    page = client.get(reverse("quizzes:start", args=[due_quiz.pk]))
    assert "14:30 EST" in page.text
    # ...but at the next login.
    page = _login(student).get(reverse("quizzes:start", args=[due_quiz.pk]))
    assert "26 Dec 2026, 04:30 JST" in page.text


def test_the_teacher_sets_a_students_zone_and_only_their_own_students(
    teacher_client, class_a, class_b, student, other_student
):
    url = reverse("accounts:student", args=[class_a.pk, student.pk])
    page = teacher_client.get(url)
    assert page.status_code == 200 and 'name="time_zone"' in page.text
    response = teacher_client.post(url, {"action": "time_zone", "time_zone": "Europe/London"})
    assert response.status_code == 302
    assert TimeZoneProfile.objects.get(user=student).time_zone == "Europe/London"
    bad = teacher_client.post(url, {"action": "time_zone", "time_zone": "Nowhere/Land"})
    assert bad.status_code == 400 and "is not a time zone" in bad.text
    assert TimeZoneProfile.objects.get(user=student).time_zone == "Europe/London"
    theirs = reverse("accounts:student", args=[class_b.pk, other_student.pk])
    foreign = teacher_client.post(theirs, {"action": "time_zone", "time_zone": "Asia/Tokyo"})
    assert foreign.status_code == 404
    assert not TimeZoneProfile.objects.filter(user=other_student).exists()


# --- one format -----------------------------------------------------------------------------


def test_the_settings_and_the_locale_say_the_same_format():
    for name in ("DATE_FORMAT", "TIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
        assert formats.get_format(name) == getattr(settings, name), name
    assert formats.get_format("DATETIME_FORMAT") == "j M Y, H:i T"
    assert formats.get_format("DATETIME_INPUT_FORMATS")[0] == "%d/%m/%Y %H:%M"


def test_the_admin_reads_day_first_24_hour_input_in_the_teachers_zone(
    teacher, teacher_client, class_a, due_quiz
):
    assignment = Assignment.objects.get()
    url = reverse("admin:classes_assignment_change", args=[assignment.pk])
    page = teacher_client.get(url)
    assert 'value="25/12/2026 19:30"' in page.text
    assert not re.search(r"\b[ap]\.?m\.?\b", page.text.split("<body", 1)[1], re.I)
    form = {
        "classroom": class_a.pk,
        "quiz": due_quiz.pk,
        "opens_at": "01/12/2026 08:00",
        "due_at": "25/12/2026 14:30",
        "late_policy": "refuse",
        "overrides-TOTAL_FORMS": 0,
        "overrides-INITIAL_FORMS": 0,
    }
    assert teacher_client.post(url, form).status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at == datetime(2026, 12, 25, 14, 30, tzinfo=UTC)
    # A teacher in Paris types Paris time.
    set_zone(teacher, "Europe/Paris")
    paris = _login(teacher)
    assert paris.post(url, form).status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at == datetime(2026, 12, 25, 13, 30, tzinfo=UTC)
    listing = paris.get(reverse("admin:classes_assignment_changelist"))
    assert "25 Dec 2026, 14:30 CET" in listing.text
    # Nonsense is refused with the format to use, and nothing changes.
    bad = paris.post(url, {**form, "due_at": "12/25/2026 2:30 PM"})
    assert bad.status_code == 200 and "Enter a valid date/time" in bad.text
    assignment.refresh_from_db()
    assert assignment.due_at == datetime(2026, 12, 25, 13, 30, tzinfo=UTC)


def test_no_hand_written_date_format_in_templates_or_code():
    """Dates go through the project's formats: `|date:"DATETIME_FORMAT"` (or the machine
    format 'c' in a datetime attribute), `lessons.dates.show` in Python."""
    root = settings.BASE_DIR
    allowed = {
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "TIME_FORMAT",
        "c",
    }
    found = []
    for path in (root / "templates").rglob("*.html"):
        for fmt in re.findall(r"\|(?:date|time):[\"']([^\"']*)[\"']", path.read_text()):
            if fmt not in allowed:
                found.append(f"{path.relative_to(root)}: {fmt}")
    packages = ["accounts", "classes", "config", "drafting", "lessons", "lms", "quizzes", "reports"]
    for package in packages:
        for path in (root / package).rglob("*.py"):
            text = path.read_text()
            skip = "migrations" in path.parts or "formats" in path.parts  # the definitions
            if re.search(r"strftime\(|:%[dHYBbM]", text) and not skip:
                found.append(str(path.relative_to(root)))
    assert not found
