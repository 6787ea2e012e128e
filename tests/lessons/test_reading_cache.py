"""lessons/reading.py and lessons/signals.py: the lesson page's reading, cached by the
lesson's content version. Every kind of edit reaches the next request; the per-reader
parts of the page stay outside the cached fragment."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from bundle.upsert import import_bundle
from lessons import reading
from lessons.models import Claim, Lesson, Section, Source
from lessons.signals import content_changed
from lessons.views import MARKS_SESSION_KEY
from tests.bundle.sample import bundle, write
from tests.factories import ClaimFactory, LessonFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lesson():
    lesson = LessonFactory(slug="cuba")
    claim = ClaimFactory(section=SectionFactory(lesson=lesson), key="havana-confirms")
    SourceFactory(lesson=lesson, name="Unheard voice", key="unheard")
    assert claim.lesson == lesson
    return lesson


def unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def page(client, slug="cuba"):
    response = client.get(reverse("lessons:detail", args=[slug]))
    assert response.status_code == 200
    return response.text


def test_the_second_request_is_served_from_the_cache(student_client, lesson, monkeypatch):
    first = page(student_client)
    built = []
    monkeypatch.setattr(reading, "build_reading", lambda lesson: built.append(lesson))
    # The same page (but for the CSRF token, masked anew each time), not built again.
    assert unmasked(page(student_client)) == unmasked(first)
    assert built == []


def test_editing_a_claim_through_the_orm_changes_the_next_page(student_client, lesson):
    assert "confirmed" in page(student_client)
    claim = Claim.objects.get(key="havana-confirms")
    claim.cue = "acknowledged"
    claim.save()
    text = page(student_client)
    assert "acknowledged" in text and ">confirmed<" not in text


def test_editing_a_claim_in_the_admin_changes_the_next_page(
    student_client, superuser_client, lesson
):
    page(student_client)
    claim = Claim.objects.get(key="havana-confirms")
    before = Lesson.objects.get().updated_at
    form = {
        "lesson": claim.lesson_id,
        "key": claim.key,
        "order": claim.order,
        "section": claim.section_id,
        "source": claim.source_id,
        "cue": "conceded",
        "kind": claim.kind,
        "content": claim.content,
        "quoted": claim.quoted,
        "evidence": claim.evidence,
    }
    response = superuser_client.post(reverse("admin:lessons_claim_change", args=[claim.pk]), form)
    assert response.status_code == 302, response.context["adminform"].errors
    assert Lesson.objects.get().updated_at > before
    assert "conceded" in page(student_client)


def test_editing_a_section_or_deleting_a_source_changes_the_next_page(student_client, lesson):
    assert "Unheard voice" in page(student_client)
    Source.objects.get(key="unheard").delete()
    assert "Unheard voice" not in page(student_client)
    section = Section.objects.get()
    section.title = "A new title"
    section.save()
    assert "A new title" in page(student_client)


def test_a_bulk_write_that_calls_content_changed_changes_the_next_page(student_client, lesson):
    page(student_client)
    Section.objects.filter(lesson=lesson).update(title="Renamed in bulk")
    content_changed(lesson.pk)  # what a write without signals must do (lessons/signals.py)
    assert "Renamed in bulk" in page(student_client)


def test_importing_a_bundle_changes_the_next_page(student_client, tmp_path):
    data = bundle()
    import_bundle(write(tmp_path, data))
    slug = data["lesson"]["slug"]
    Lesson.objects.filter(slug=slug).update(open_to_all=True)  # readable without a class
    assert ">called<" in page(student_client, slug)
    # An edit of one claim, and nothing else.
    data["claims"][0]["cue"] = "described"
    import_bundle(write(tmp_path, data))
    text = page(student_client, slug)
    assert ">described<" in text and ">called<" not in text
    # A removal only: the import deletes the claim (no signal may move the version here:
    # the import does it once, at its end).
    key = data["claims"][-1]["key"]
    assert f'href="#claim-{key}"' in text
    data["claims"].pop()
    for quiz in data["quizzes"]:  # and the questions that ask about it
        quiz["questions"] = [q for q in quiz["questions"] if f'"{key}"' not in json.dumps(q)]
    import_bundle(write(tmp_path, data), checks=[])
    assert f'href="#claim-{key}"' not in page(student_client, slug)


def test_importing_an_unchanged_bundle_keeps_the_version(tmp_path):
    data = bundle()
    import_bundle(write(tmp_path, data))
    before = Lesson.objects.get().updated_at
    import_bundle(write(tmp_path, data))
    assert Lesson.objects.get().updated_at == before


def test_a_changed_lesson_field_with_changed_children_moves_the_version(tmp_path):
    data = bundle()
    import_bundle(write(tmp_path, data))
    before = Lesson.objects.get().updated_at
    data["lesson"]["title"] = "A new title"
    data["claims"][0]["cue"] = "described"
    assert import_bundle(write(tmp_path, data)).status == "updated"
    assert Lesson.objects.get().updated_at > before


def test_the_per_reader_parts_stay_outside_the_cached_fragment(
    client, student, other_student, lesson
):
    client.force_login(student)
    session = client.session
    session[MARKS_SESSION_KEY] = "off"
    session.save()
    mine = page(client)
    assert 'class="reading marks-off"' in mine
    client.force_login(other_student)
    theirs = page(client)  # a cache hit: the reading was rendered for the first reader
    assert 'class="reading marks-on"' in theirs and 'aria-pressed="true"' in theirs
    name, other_name = (u.get_short_name() or u.get_username() for u in (student, other_student))
    assert f"Signed in as {other_name}" in theirs and f"Signed in as {name}" not in theirs
    fragment = cache.get(reading.reading_cache_key(Lesson.objects.get()))
    for per_reader in ("csrfmiddlewaretoken", "marks-on", "marks-off", "Signed in"):
        assert per_reader not in fragment.sections + fragment.voices


def test_a_failing_cache_costs_the_rendering_not_the_page(student_client, lesson, monkeypatch):
    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(reading, "caches", {"default": Broken()})
    assert "confirmed" in page(student_client)


def test_the_key_carries_the_lesson_its_version_and_the_code(lesson):
    key = reading.reading_cache_key(lesson)
    assert str(lesson.pk) in key and lesson.updated_at.isoformat() in key
    assert reading.code_version() in key
