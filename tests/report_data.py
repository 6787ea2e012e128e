"""A small, hand-computed class for the report tests, made through the real attempt
functions (start, answer, submit), so the stored scores are the ones learners get.

Quiz "Report quiz", three 1-point questions:
  Q1 single choice (recall): A (key), B, C
  Q2 who said it (attribution): Díaz-Canel (key, side Cuba), Trump (side US),
     Padrino (side Venezuela) — different sides, no parents, so a wrong pick earns 0
  Q3 true/false (attribution): True (key), False

Latest submitted attempt of each learner (credits Q1 Q2 Q3 → total):
  ana   1 1 1 → 3   (attempt 2; her attempt 1 scored 0: all wrong)
  ben   1 1 0 → 2   (attempt 2; his attempt 1 scored 3)
  cleo  1 0 1 → 2   picks Trump on Q2 (attempt 1; attempt 2 is in progress: not counted)
  dan   0 0 0 → 0   picks B on Q1, Padrino on Q2, False on Q3

Submitted attempts: ana 2, ben 2, cleo 1, dan 1 = 6; learners 4.
Percent = total / 3: 100, 66.67, 66.67, 0 → mean 58.33, median 66.67.
Attribution (Q2+Q3, 2 points): 100, 50, 50, 0 → mean 50, median 50.

Item analysis (population moments, n = 4; T = [3, 2, 2, 0]):
  mean T = 1.75; ΣT² = 17; var T = 17/4 − 1.75² = 4.25 − 3.0625 = 1.1875
  Q1 x = [1,1,1,0]: facility .75, var .1875;  Q2 x = [1,1,0,0]: .5, var .25;
  Q3 x = [1,0,1,0]: .5, var .25;  Σ var = .6875
  α = 3/2 · (1 − .6875/1.1875) = 1.5 · .5/1.1875 = 12/19 ≈ 0.6316
  Q1: R = T − x = [2,1,1,0], mean 1; cov(x,R) = (2+1+1+0)/4 − .75·1 = .25;
      var R = (4+1+1+0)/4 − 1 = .5; r = .25 / √(.1875·.5) = √(2/3) ≈ 0.8165
  Q2: R = [2,1,2,0], mean 1.25; cov = (2+1)/4 − .5·1.25 = .125;
      var R = (4+1+4+0)/4 − 1.5625 = .6875; r = .125 / √(.25·.6875) = 1/√11 ≈ 0.3015
  Q3: R = [2,2,1,0], mean 1.25; cov = (2+1)/4 − .625 = .125; var R = .6875; r = 1/√11
Choice picks (latest attempts): Q1 A 3, B 1, C 0 (flag: nobody picks C);
  Q2 Díaz-Canel 2, Trump 1, Padrino 1; Q3 True 2, False 2.
Confusion (Q2, true source Díaz-Canel): Díaz-Canel 2 (50 %), Trump 1 (25 %), Padrino 1 (25 %).
"""

from datetime import timedelta

from django.utils import timezone

from lessons.models import Source
from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Question

from .factories import (
    ChoiceFactory,
    ClaimFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    UserFactory,
)

T0 = timezone.now() - timedelta(days=1)


def build_quiz():
    lesson = LessonFactory(title="Report lesson")
    quiz = QuizFactory(lesson=lesson, title="Report quiz", key="report-quiz")
    cuba = SourceFactory(lesson=lesson, key="diaz-canel", name="Díaz-Canel", side="Cuba")
    us = SourceFactory(lesson=lesson, key="trump", name="Trump", side="United States")
    ven = SourceFactory(
        lesson=lesson, key="padrino", name="Padrino", side="Venezuela", kind=Source.Kind.PERSON
    )
    q1 = QuestionFactory(quiz=quiz, order=1, key="q1", prompt="How many were killed?")
    a = ChoiceFactory(question=q1, order=1, text="A", correct=True)
    b = ChoiceFactory(question=q1, order=2, text="B")
    ChoiceFactory(question=q1, order=3, text="C")
    claim = ClaimFactory(section__lesson=lesson, source=cuba)
    q2 = QuestionFactory(
        quiz=quiz,
        order=2,
        key="q2",
        kind=Question.Kind.WHO_SAID,
        skill=Question.Skill.ATTRIBUTION,
        prompt="Who said it?",
        claim=claim,
    )
    s_cuba = ChoiceFactory(question=q2, order=1, text="", source=cuba, correct=True)
    s_us = ChoiceFactory(question=q2, order=2, text="", source=us)
    s_ven = ChoiceFactory(question=q2, order=3, text="", source=ven)
    q3 = QuestionFactory(
        quiz=quiz,
        order=3,
        key="q3",
        kind=Question.Kind.TRUE_FALSE,
        skill=Question.Skill.ATTRIBUTION,
        prompt="Washington called it law enforcement.",
    )
    t = ChoiceFactory(question=q3, order=1, text="True", correct=True)
    f = ChoiceFactory(question=q3, order=2, text="False")
    picks = {
        "right": {q1: a, q2: s_cuba, q3: t},
        "wrong": {q1: b, q2: s_ven, q3: f},
        "us": s_us,
    }
    return quiz, picks, {"cuba": cuba, "us": us, "ven": ven}


def take(quiz, learner, answers, *, minutes=5, start=None, submit=True):
    start = start or T0
    attempt = start_attempt(quiz=quiz, learner=learner, now=start)
    for question, choice in answers.items():
        save_answer(attempt=attempt, question=question, choice_ids=[choice.pk], now=start)
    if submit:
        submit_attempt(attempt=attempt, now=start + timedelta(minutes=minutes))
    return attempt


def build_class_results(prefix=""):
    """The quiz and the four learners above. Returns (quiz, learners by name, sources)."""
    quiz, p, sources = build_quiz()
    right, wrong = p["right"], p["wrong"]
    q1, q2, q3 = list(right)
    names = ["ana", "ben", "cleo", "dan"]
    learners = {n: UserFactory(username=f"{prefix}{n}", first_name=n.title()) for n in names}
    later = T0 + timedelta(hours=1)
    take(quiz, learners["ana"], wrong, minutes=4)
    take(quiz, learners["ana"], right, minutes=6, start=later)
    take(quiz, learners["ben"], right, minutes=3)
    take(
        quiz, learners["ben"], {q1: right[q1], q2: right[q2], q3: wrong[q3]}, minutes=8, start=later
    )
    take(quiz, learners["cleo"], {q1: right[q1], q2: p["us"], q3: right[q3]}, minutes=10)
    take(quiz, learners["cleo"], {q1: wrong[q1]}, start=later, submit=False)
    take(quiz, learners["dan"], wrong, minutes=2)
    return quiz, learners, sources


def add_learners(quiz, picks, count, prefix="extra"):
    """More learners with varied answers, for the query-count tests."""
    right, wrong = picks["right"], picks["wrong"]
    for i in range(count):
        learner = UserFactory(username=f"{prefix}{i}")
        answers = {q: (right[q] if (i + n) % 2 else wrong[q]) for n, q in enumerate(right)}
        take(quiz, learner, answers)
        take(quiz, learner, right, start=T0 + timedelta(hours=1))
    return quiz
