"""Every admin form and inline (quizzes/admin.py, lessons/admin.py, bundle/admin.py,
classes/admin.py), posted as a teacher would: with each question kind, valid and invalid.
Never a server error; every refusal shown on the page with its code; pickers list only
the lesson's own items; keys made from names."""

import pytest
from django.contrib import admin
from django.urls import reverse

from classes.models import Assignment, Classroom
from lessons.models import Claim, Source, validate_key
from quizzes.models import Choice, Question
from quizzes.validation import CLASSIFICATION_LABELS
from tests.admin_forms import add_row, change_form_data, shown_errors
from tests.factories import (
    ChoiceFactory,
    ClaimFactory,
    QuestionFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def world(superuser):
    section = SectionFactory(title="The news")
    lesson = section.lesson
    havana = SourceFactory(lesson=lesson, name="The Cuban government", aliases="Havana")
    washington = SourceFactory(lesson=lesson, name="Washington")
    claim = ClaimFactory(lesson=lesson, section=section, source=havana)
    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(quiz=quiz, kind=K.TRUE_FALSE, section=section)
    ChoiceFactory(question=question, text="True", correct=True)
    ChoiceFactory(question=question, text="False")
    # Another lesson with an item of the same name: it must never be offered here.
    other = SectionFactory(title="The news")
    elsewhere = SourceFactory(lesson=other.lesson, name="The Cuban government")
    foreign_claim = ClaimFactory(lesson=other.lesson, section=other, source=elsewhere)
    classroom = Classroom.objects.create(name="9B", teacher=superuser)
    return {
        "lesson": lesson,
        "section": section,
        "havana": havana,
        "washington": washington,
        "claim": claim,
        "quiz": quiz,
        "question": question,
        "elsewhere": elsewhere,
        "other_section": other,
        "foreign_claim": foreign_claim,
        "classroom": classroom,
    }


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _page(client, obj):
    response = client.get(_change_url(obj))
    assert response.status_code == 200
    return response


def test_every_admin_with_inlines_takes_its_own_form_back(superuser_client, world):
    objects = {
        "lesson": world["lesson"],
        "quiz": world["quiz"],
        "question": world["question"],
        "classroom": world["classroom"],
    }
    with_inlines = {m._meta.model_name for m, a in admin.site._registry.items() if a.inlines}
    assert set(objects) <= with_inlines
    for name in with_inlines:
        if name not in objects:
            continue  # read-only records (attempts, responses): nothing to post
        obj = objects[name]
        response = superuser_client.post(
            _change_url(obj), change_form_data(_page(superuser_client, obj))
        )
        assert response.status_code == 302, (name, shown_errors(response))


# --- the quiz page's question rows, each kind -------------------------------------------


def _question_row(world, kind, **values):
    return {
        "order": 5,
        "key": "",
        "kind": kind,
        "skill": "attribution",
        "points": 1,
        "prompt": f"A new {kind} question about the news?",
        "section": world["section"].pk,
        "claim": world["claim"].pk if kind == K.WHO_SAID else "",
        "evidence": "",
        **values,
    }


@pytest.mark.parametrize("kind", K.values)
def test_a_question_of_each_kind_is_added_from_the_quiz_page(superuser_client, world, kind):
    quiz = world["quiz"]
    row = _question_row(world, kind)
    if kind == K.EVIDENCE_PICK:
        # Its choices are the section's sentences: it needs three, and one as evidence.
        section = world["section"]
        section.body += " It was the largest loss in years."
        section.save()
        row["evidence"] = "Washington called it law enforcement."
    data = add_row(change_form_data(_page(superuser_client, quiz)), "questions", row)

    response = superuser_client.post(_change_url(quiz), data)

    assert response.status_code == 302, shown_errors(response)
    added = quiz.questions.get(kind=kind, order=5)
    if kind == K.EVIDENCE_PICK:
        assert [c.correct for c in added.choices.all()] == [False, True, False]
    # A key made from the prompt's first words (at most 40 characters), one the model takes.
    assert added.key.startswith(f"a-new-{kind.replace('_', '-')}-question")
    assert len(added.key) <= 40
    validate_key(added.key)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"kind": K.WHO_SAID, "claim": ""}, "claim_missing"),
        ({"evidence": "Words nowhere in the section."}, "evidence_not_in_section"),
        ({"kind": K.WHO_SAID, "claim": "foreign"}, "invalid_choice"),
        ({"section": "foreign"}, "invalid_choice"),
        ({"key": "Not A Key"}, "invalid"),  # SlugField's own validator speaks first
    ],
    ids=["who-said-without-claim", "evidence", "foreign-claim", "foreign-section", "bad-key"],
)
def test_a_bad_question_row_is_refused_with_its_error_shown(superuser_client, world, values, code):
    quiz = world["quiz"]
    values = {
        k: (world["foreign_claim"].pk if k == "claim" else world["other_section"].pk)
        if v == "foreign"
        else v
        for k, v in values.items()
    }
    row = _question_row(world, values.pop("kind", K.SINGLE), **values)
    data = add_row(change_form_data(_page(superuser_client, quiz)), "questions", row)

    response = superuser_client.post(_change_url(quiz), data)

    assert response.status_code == 200
    assert code in shown_errors(response)
    assert quiz.questions.count() == 1


# --- a question's choices, each kind ----------------------------------------------------


def _choices(world, kind, *, valid):
    h, w = world["havana"].pk, world["washington"].pk
    rows = {
        K.SINGLE: [{"text": "32", "correct": True}, {"text": "12"}],
        K.MULTIPLE: [{"text": "32 died", "correct": True}, {"text": "None died"}],
        K.TRUE_FALSE: [{"text": "True", "correct": True}, {"text": "False"}],
        K.WHO_SAID: [{"source": h, "correct": True}, {"source": w}],
        K.MATCHING: [
            {"text": "Confirmed 32 deaths", "source": h, "correct": True},
            {"text": "Called it law enforcement", "source": w, "correct": True},
        ],
        K.CLASSIFICATION: [
            {"text": label, "correct": n == 1} for n, label in enumerate(CLASSIFICATION_LABELS)
        ],
    }[kind]
    if not valid:
        rows = [{**row, "correct": False} for row in rows]
    return rows


def _question_of(world, kind):
    claim = world["claim"] if kind == K.WHO_SAID else None
    return QuestionFactory(quiz=world["quiz"], kind=kind, claim=claim, section=world["section"])


# Every kind with choices typed in: an evidence pick's are made from its section, whatever
# the rows say (tests/quizzes/test_evidence_pick.py); a written question has none, and its
# rubric's inline is tested in tests/quizzes/test_written.py.
@pytest.mark.parametrize("kind", [k for k in K.values if k not in (K.EVIDENCE_PICK, K.WRITTEN)])
@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_choices_of_each_kind_are_saved_or_refused_on_the_question_page(
    superuser_client, world, kind, valid
):
    question = _question_of(world, kind)
    data = change_form_data(_page(superuser_client, question))
    for n, row in enumerate(_choices(world, kind, valid=valid)):
        data = add_row(data, "choices", {"order": n, "feedback": "", **row})

    response = superuser_client.post(_change_url(question), data)

    if valid:
        assert response.status_code == 302, shown_errors(response)
        assert question.choices.count() == len(_choices(world, kind, valid=True))
    else:
        assert response.status_code == 200
        expected = "matching_items" if kind == K.MATCHING else "no_correct_choice"
        assert expected in shown_errors(response)
        assert not question.choices.exists()


def test_a_choice_naming_another_lessons_source_is_refused(superuser_client, world):
    question = _question_of(world, K.WHO_SAID)
    data = change_form_data(_page(superuser_client, question))
    data = add_row(data, "choices", {"order": 0, "source": world["havana"].pk, "correct": True})
    data = add_row(data, "choices", {"order": 1, "source": world["elsewhere"].pk})

    response = superuser_client.post(_change_url(question), data)

    assert response.status_code == 200
    assert "invalid_choice" in shown_errors(response)
    assert not Choice.objects.filter(question=question).exists()


# --- the lesson page's claims and sections ----------------------------------------------


def _claim_row(world, **values):
    return {
        "order": 3,
        "key": "",
        "section": world["section"].pk,
        "source": world["washington"].pk,
        "cue": "called",
        "kind": Claim.Kind.PARAPHRASE,
        "content": "It was law enforcement.",
        "quoted": "",
        "evidence": "Washington called it law enforcement.",
        **values,
    }


def test_a_claim_is_added_from_the_lesson_page_with_a_key_made_for_it(superuser_client, world):
    lesson = world["lesson"]
    data = add_row(change_form_data(_page(superuser_client, lesson)), "claims", _claim_row(world))

    response = superuser_client.post(_change_url(lesson), data)

    assert response.status_code == 302, shown_errors(response)
    assert lesson.claims.get(order=3).key == "it-was-law-enforcement"


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"evidence": "Words nowhere in the section."}, "evidence_not_in_section"),
        ({"kind": Claim.Kind.QUOTE}, "quote_without_words"),
        ({"source": "foreign"}, "invalid_choice"),
    ],
    ids=["evidence", "quote-without-words", "foreign-source"],
)
def test_a_bad_claim_row_is_refused_with_its_error_shown(superuser_client, world, values, code):
    lesson = world["lesson"]
    values = {k: world["elsewhere"].pk if v == "foreign" else v for k, v in values.items()}
    data = add_row(
        change_form_data(_page(superuser_client, lesson)), "claims", _claim_row(world, **values)
    )

    response = superuser_client.post(_change_url(lesson), data)

    assert response.status_code == 200
    assert code in shown_errors(response)
    assert lesson.claims.count() == 1


def test_sections_are_added_with_keys_made_from_their_titles(superuser_client, world):
    lesson = world["lesson"]
    data = change_form_data(_page(superuser_client, lesson))
    for order in (8, 9):  # two sections of the same title, in one save
        data = add_row(
            data, "sections", {"order": order, "key": "", "title": "Reactions", "body": "More."}
        )

    response = superuser_client.post(_change_url(lesson), data)

    assert response.status_code == 302, shown_errors(response)
    keys = list(
        lesson.sections.filter(order__in=[8, 9]).order_by("order").values_list("key", flat=True)
    )
    assert keys == ["reactions", "reactions-2"]


# --- pickers: only the lesson's own items -----------------------------------------------


def _options(response, form_field):
    return {
        str(pk) for pk, _ in response.context["adminform"].form.fields[form_field].choices if pk
    }


def test_pickers_offer_only_the_lessons_items(superuser_client, world):
    lesson_page = _page(superuser_client, world["lesson"])
    claim_forms = next(
        i.formset
        for i in lesson_page.context["inline_admin_formsets"]
        if i.formset.prefix == "claims"
    )
    sources = {str(pk.value) for pk, _ in claim_forms.forms[0].fields["source"].choices if pk}
    assert sources == {str(world["havana"].pk), str(world["washington"].pk)}

    question_page = _page(superuser_client, _question_of(world, K.WHO_SAID))
    assert _options(question_page, "claim") == {str(world["claim"].pk)}
    assert _options(question_page, "section") == {str(world["section"].pk)}
    choices = question_page.context["inline_admin_formsets"][0].formset.forms[0]
    assert {str(pk.value) for pk, _ in choices.fields["source"].choices if pk} == sources

    claim_page = _page(superuser_client, world["claim"])
    assert _options(claim_page, "source") == sources
    source_page = _page(superuser_client, world["washington"])
    assert _options(source_page, "parent") == sources


def test_the_autocomplete_answers_with_the_asking_pages_lesson_only(superuser_client, world):
    url = reverse("admin:autocomplete")
    params = {"app_label": "lessons", "model_name": "claim", "field_name": "source", "term": ""}
    referer = "http://testserver" + _change_url(world["claim"])

    response = superuser_client.get(url, params, HTTP_REFERER=referer)

    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {str(world["havana"].pk), str(world["washington"].pk)}
    # Asked from nowhere in particular: nothing.
    assert superuser_client.get(url, params).json()["results"] == []


def test_a_source_added_without_a_key_gets_one(superuser_client, world):
    data = {
        "lesson": world["lesson"].pk,
        "key": "",
        "order": 0,
        "name": "President Miguel Díaz-Canel",
        "kind": Source.Kind.PERSON,
        "parent": "",
        "side": "Condemns the operation",
        "description": "",
        "aliases": "",
    }
    response = superuser_client.post(reverse("admin:lessons_source_add"), data)

    assert response.status_code == 302, shown_errors(response)
    assert (
        Source.objects.get(name="President Miguel Díaz-Canel").key == "president-miguel-diaz-canel"
    )


# --- classes: assignments ---------------------------------------------------------------


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "due-before-it-opens"])
def test_an_assignment_row_is_saved_or_refused(superuser_client, world, valid):
    classroom = world["classroom"]
    row = {
        "quiz": world["quiz"].pk,
        "opens_at": "2026-01-10T09:00",
        "due_at": "2026-01-17T09:00" if valid else "2026-01-03T09:00",
    }
    data = add_row(change_form_data(_page(superuser_client, classroom)), "assignments", row)

    response = superuser_client.post(_change_url(classroom), data)

    if valid:
        assert response.status_code == 302, shown_errors(response)
        assert Assignment.objects.filter(classroom=classroom).count() == 1
    else:
        assert response.status_code == 200
        assert "due_before_open" in shown_errors(response)
        assert not Assignment.objects.exists()
