import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from lessons.models import Claim, Lesson, Section, Source
from quizzes.forms import AnswerForm
from quizzes.models import Attempt, Choice, Question, Quiz, Response, Selection
from quizzes.results import ordered_choices


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.django.Password("pass-for-tests")


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True


def make_teacher(username):
    """A teacher as the product makes them: staff, in the "Teachers" group."""
    from django.contrib.auth.models import Group

    teacher = TeacherFactory(username=username)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    return teacher


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = Lesson

    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "A lesson about who said what."
    objectives = "Tell who said what.\nTell a quote from a paraphrase."
    published = True
    # Factories' content is open to every learner, so that tests of the quiz engine need
    # no class; the gate's tests (tests/classes/test_access.py) pass open_to_all=False,
    # the models' default.
    open_to_all = True


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    lesson = factory.SubFactory(LessonFactory)
    key = factory.Sequence(lambda n: f"source-{n}")
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.PERSON
    side = "Cuba"


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    lesson = factory.SubFactory(LessonFactory)
    key = factory.Sequence(lambda n: f"section-{n}")
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Havana confirmed that 32 Cuban nationals were killed.\n\nWashington called it law enforcement."


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    lesson = factory.SelfAttribute("section.lesson")
    section = factory.SubFactory(SectionFactory)
    # Named so that the evidence names its source (the content rule evidence_unnamed).
    source = factory.SubFactory(
        SourceFactory,
        lesson=factory.SelfAttribute("..lesson"),
        name="The Cuban government",
        aliases="Havana",
    )
    key = factory.Sequence(lambda n: f"claim-{n}")
    cue = "confirmed"
    kind = Claim.Kind.PARAPHRASE
    content = "32 Cuban nationals were killed."
    evidence = "Havana confirmed that 32 Cuban nationals were killed."


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    lesson = factory.SubFactory(LessonFactory)
    key = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    published = True
    open_to_all = True  # as LessonFactory


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    order = factory.Sequence(int)
    kind = Question.Kind.SINGLE
    skill = Question.Skill.RECALL
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because the article says so."


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    order = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Choice {n}")
    correct = False
    feedback = ""


class AttemptFactory(DjangoModelFactory):
    class Meta:
        model = Attempt

    learner = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    number = factory.Sequence(lambda n: n + 1)


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory, quiz=factory.SelfAttribute("..attempt.quiz"))
    credit = 0


class SelectionFactory(DjangoModelFactory):
    class Meta:
        model = Selection

    response = factory.SubFactory(ResponseFactory)
    choice = factory.SubFactory(
        ChoiceFactory, question=factory.SelfAttribute("..response.question")
    )


def make_single_question(
    quiz,
    *,
    prompt="How many Cuban nationals were killed?",
    right="32",
    wrong=("12", "50"),
    skill=Question.Skill.RECALL,
    points=1,
    **kwargs,
):
    """A single-choice question with one right and some wrong choices."""
    question = QuestionFactory(quiz=quiz, prompt=prompt, skill=skill, points=points, **kwargs)
    ChoiceFactory(
        question=question, text=right, correct=True, feedback="Right: Havana confirmed 32."
    )
    for text in wrong:
        ChoiceFactory(
            question=question, text=text, correct=False, feedback="Not the figure Havana gave."
        )
    return question


def make_true_false_question(
    quiz,
    *,
    prompt="Washington characterised the mission as a law-enforcement action.",
    answer=True,
    skill=Question.Skill.ATTRIBUTION,
    points=2,
    **kwargs,
):
    question = QuestionFactory(
        quiz=quiz,
        kind=Question.Kind.TRUE_FALSE,
        skill=skill,
        points=points,
        prompt=prompt,
        **kwargs,
    )
    ChoiceFactory(
        question=question,
        order=1,
        text="True",
        correct=answer,
        feedback=f"Feedback on True: {answer}.",
    )
    ChoiceFactory(
        question=question,
        order=2,
        text="False",
        correct=not answer,
        feedback=f"Feedback on False: {not answer}.",
    )
    return question


def assign(quizzes, *students, teacher=None, opens_at=None, due_at=None, **kwargs):
    """Put `students` in a class of `teacher` (a new one by default) with `quizzes`
    assigned, open now for two weeks unless told otherwise: what a learner needs to
    take content that is not open to all (the shipped lesson, for one)."""
    from datetime import timedelta

    from django.utils import timezone

    from classes.models import Assignment, Classroom

    if isinstance(quizzes, Quiz):
        quizzes = [quizzes]
    now = timezone.now()
    classroom = Classroom.objects.create(
        name=kwargs.pop("name", "Assigned class"),
        # Staff is all a class's teacher needs here (no group: transactional tests, as
        # the browser's, flush the one the migration makes).
        teacher=teacher or TeacherFactory(username="assigning-teacher"),
    )
    classroom.students.add(*students)
    for quiz in quizzes:
        Assignment.objects.create(
            classroom=classroom,
            quiz=quiz,
            opens_at=opens_at or now - timedelta(minutes=1),
            due_at=due_at or now + timedelta(days=14),
            **kwargs,
        )
    return classroom


# --- What the question page posts: positions in the attempt's own order, never ids. ---


def posted(attempt, question, *choices) -> list[str]:
    """The values the question page posts for `choices` of `question` in `attempt`: each
    choice's position (from 1) in the attempt's order of the question's choices."""
    order = attempt.layout["choices"][str(question.pk)]
    return [str(order.index(c.pk if hasattr(c, "pk") else c) + 1) for c in choices]


def posted_matches(attempt, question, pairs) -> dict[str, str]:
    """The fields the question page posts for a matching answer, from {item: source}:
    `match-<the item's position among the items>` = the source's position by name."""
    question = Question.objects.with_key(evidence=False).get(pk=question.pk)
    form = AnswerForm(question=question, choices=ordered_choices(attempt, question))
    items = {c.pk: n for n, c in enumerate(form.items, start=1)}
    sources = {s.pk: n for n, s in enumerate(form.sources, start=1)}
    return {
        f"match-{items[getattr(item, 'pk', item)]}": str(sources[getattr(source, "pk", source)])
        for item, source in pairs.items()
    }


# --- Short written answers, marked by a rubric. ---

RUBRIC = (
    ("Beginning", "Does not say how we know who said it.", 0.0),
    ("Emerging", "Names the source but not the words that attribute the claim.", 0.5),
    ("Mastery", "Names the source and quotes the reporting cue that attributes it.", 1.0),
)


def make_written_question(
    quiz,
    *,
    prompt="How do you know who said this?",
    skill=Question.Skill.ATTRIBUTION,
    points=2,
    levels=RUBRIC,
    **kwargs,
):
    """A short written answer question with a rubric (beginning / emerging / mastery)."""
    from quizzes.models import RubricLevel

    question = QuestionFactory(
        quiz=quiz, kind=Question.Kind.WRITTEN, prompt=prompt, skill=skill, points=points, **kwargs
    )
    for order, (name, description, credit) in enumerate(levels, start=1):
        RubricLevel.objects.create(
            question=question, order=order, name=name, description=description, credit=credit
        )
    return question
