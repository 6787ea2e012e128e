"""A small lesson bundle with every kind of source, claim and question, and helpers to
write it, change it and read back what an import stored."""

import copy
import json

from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Attempt, Choice, Question, Quiz, Response, Selection

MODELS = [Lesson, Source, Section, Claim, Quiz, Question, Choice]

# A small lesson with every kind of source, claim and question. It is written the way
# export writes (keys in the documented order, every list in its order), so that
# dumps() must reproduce it exactly.
BUNDLE = {
    "format": "sourcewise.lesson/1",
    "lesson": {
        "slug": "city-budget",
        "title": "Who said what about the city budget",
        "summary": "A short report on the city's budget and the reactions to it.",
        "objectives": ["Tell a quotation from a paraphrase.", "Name who speaks for the council."],
        "article": {
            "title": "City sets its budget",
            "publisher": "The Daily Example",
            "byline": "A. Reporter",
            "date": "January 2026",
            "note": "Everything below comes from the report; it cites no documents.",
        },
        "published": True,
    },
    "sources": [
        {
            "key": "council",
            "name": "The city council",
            "kind": "institution",
            "parent": None,
            "side": "City",
            "description": "Runs the city.",
            "aliases": ["The council"],
        },
        {
            "key": "mayor",
            "name": "The mayor, José Núñez",
            "kind": "person",
            "parent": "council",
            "side": "City",
            "description": "Speaks for the council.",
            "aliases": ["The mayor"],
        },
        {
            "key": "critics",
            "name": "Critics",
            "kind": "unnamed",
            "parent": None,
            "side": "Opposition",
            "description": "Unnamed critics of the budget.",
        },
        {
            "key": "report",
            "name": "The report",
            "kind": "article",
            "parent": None,
            "side": "Report",
            "description": "The article's own voice.",
        },
    ],
    "sections": [
        {
            "key": "budget",
            "title": "The budget",
            "body": "The mayor called the budget “fair to all”.\n\n"
            "The budget is 12 million euros, up from 10 million last year.",
        },
        {
            "key": "reaction",
            "title": "The reaction",
            "body": "Critics said the budget favours the city centre.\n\n"
            "The council said the plan serves every district.",
        },
    ],
    "claims": [
        {
            "key": "mayor-fair",
            "section": "budget",
            "source": "mayor",
            "cue": "called",
            "kind": "quote",
            "content": "The budget is fair to everyone.",
            "quoted": "fair to all",
            "evidence": "The mayor called the budget “fair to all”.",
        },
        {
            "key": "budget-size",
            "section": "budget",
            "source": "report",
            "cue": "states",
            "kind": "unattributed",
            "content": "The budget is 12 million euros.",
            "quoted": "",
            "evidence": "The budget is 12 million euros, up from 10 million last year.",
        },
        {
            "key": "critics-centre",
            "section": "reaction",
            "source": "critics",
            "cue": "said",
            "kind": "paraphrase",
            "content": "The budget favours the city centre.",
            "quoted": "",
            "evidence": "Critics said the budget favours the city centre.",
        },
        {
            "key": "council-districts",
            "section": "reaction",
            "source": "council",
            "cue": "said",
            "kind": "paraphrase",
            "content": "The plan serves every district.",
            "quoted": "",
            "evidence": "The council said the plan serves every district.",
        },
    ],
    "quizzes": [
        {
            "key": "check",
            "title": "Quick check",
            "description": "",
            "published": True,
            "max_attempts": None,
            "time_limit_minutes": None,
            "shuffle_questions": False,
            "shuffle_choices": False,
            "feedback": "after_submit",
            "questions": [
                {
                    "key": "who-fair",
                    "kind": "who_said",
                    "skill": "attribution",
                    "prompt": "Who called the budget “fair to all”?",
                    "explanation": "The budget: the mayor called it “fair to all”.",
                    "points": 2,
                    "section": "budget",
                    "claim": "mayor-fair",
                    "evidence": "",
                    "choices": [
                        {"text": "", "correct": True, "source": "mayor", "feedback": "Yes."},
                        {
                            "text": "",
                            "correct": False,
                            "source": "report",
                            "feedback": "The report gives the mayor's words; they are his.",
                        },
                        {"text": "", "correct": False, "source": "critics", "feedback": ""},
                    ],
                },
                {
                    "key": "size-true",
                    "kind": "true_false",
                    "skill": "recall",
                    "prompt": "The budget is 10 million euros.",
                    "explanation": "The budget: 12 million euros; 10 million was last year's.",
                    "points": 1,
                    "section": "budget",
                    "claim": None,
                    "evidence": "The budget is 12 million euros, up from 10 million last year.",
                    "choices": [
                        {"text": "True", "correct": False, "source": None, "feedback": ""},
                        {"text": "False", "correct": True, "source": None, "feedback": ""},
                    ],
                },
                {
                    "key": "how-much",
                    "kind": "single",
                    "skill": "recall",
                    "prompt": "How large is the budget?",
                    "explanation": "",
                    "points": 1,
                    "section": "budget",
                    "claim": "budget-size",
                    "evidence": "",
                    "choices": [
                        {
                            "text": "12 million euros",
                            "correct": True,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "10 million euros",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                    ],
                },
                {
                    "key": "who-said-what",
                    "kind": "matching",
                    "skill": "attribution",
                    "prompt": "Match each statement to who made it.",
                    "explanation": "",
                    "points": 2,
                    "section": "reaction",
                    "claim": None,
                    "evidence": "Critics said the budget favours the city centre.",
                    "choices": [
                        {
                            "text": "The budget is 12 million euros.",
                            "correct": True,
                            "source": "report",
                            "feedback": "",
                        },
                        {
                            "text": "The budget favours the city centre.",
                            "correct": True,
                            "source": "critics",
                            "feedback": "",
                        },
                        {"text": "", "correct": False, "source": "council", "feedback": ""},
                    ],
                },
                {
                    "key": "who-districts",
                    "kind": "who_said",
                    "skill": "attribution",
                    "prompt": "Who said the plan serves every district?",
                    "explanation": "The reaction: the council said so.",
                    "points": 1,
                    "section": "reaction",
                    "claim": "council-districts",
                    "evidence": "",
                    "choices": [
                        {"text": "", "correct": False, "source": "critics", "feedback": ""},
                        {"text": "", "correct": True, "source": "council", "feedback": ""},
                    ],
                },
            ],
        },
        {
            "key": "review",
            "title": "Review",
            "description": "Two harder questions. A statement is one of: The article's own "
            "statement; A source's statement of fact; A source's framing or judgement.",
            "published": False,
            "max_attempts": 2,
            "time_limit_minutes": 10,
            "shuffle_questions": True,
            "shuffle_choices": True,
            "feedback": "immediate",
            "questions": [
                {
                    "key": "claim-kind",
                    "kind": "classification",
                    "skill": "perspective",
                    "prompt": "“The budget favours the city centre.” What is it?",
                    "explanation": "The reaction: critics said it.",
                    "points": 1,
                    "section": "reaction",
                    "claim": "critics-centre",
                    "evidence": "",
                    "choices": [
                        {
                            "text": "The article's own statement",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "A source's statement of fact",
                            "correct": True,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "A source's framing or judgement",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                    ],
                },
                {
                    "key": "which-true",
                    "kind": "multiple",
                    "skill": "evidence",
                    "prompt": "What does the article report about the budget?",
                    "explanation": "",
                    "points": 1,
                    "section": "budget",
                    "claim": None,
                    "evidence": "The budget is 12 million euros, up from 10 million last year.",
                    "choices": [
                        {"text": "It grew.", "correct": True, "source": None, "feedback": ""},
                        {"text": "It shrank.", "correct": False, "source": None, "feedback": ""},
                    ],
                },
            ],
        },
    ],
}

# Paths into BUNDLE.
WHO_FAIR = ("quizzes", 0, "questions", 0)
SIZE_TRUE = ("quizzes", 0, "questions", 1)
HOW_MUCH = ("quizzes", 0, "questions", 2)
MATCHING = ("quizzes", 0, "questions", 3)
WHO_DISTRICTS = ("quizzes", 0, "questions", 4)
CLASSIFY = ("quizzes", 1, "questions", 0)
MULTIPLE = ("quizzes", 1, "questions", 1)


def bundle():
    return copy.deepcopy(BUNDLE)


def write(tmp_path, data, name="lesson.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def rows():
    """Every row of the lesson's models, with its primary key and all its values."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def delete_lesson(lesson):
    # Claim.source and Choice.source are PROTECT, so a lesson cannot simply be deleted.
    Quiz.objects.filter(lesson=lesson).delete()
    lesson.claims.all().delete()
    lesson.delete()


def answer(question, choice, *, source=None, username="learner"):
    """A learner's submitted answer to `question`, picking `choice`."""
    from django.contrib.auth import get_user_model

    learner, _ = get_user_model().objects.get_or_create(username=username)
    attempt, _ = Attempt.objects.get_or_create(
        learner=learner, quiz=question.quiz, defaults={"number": 1}
    )
    response = Response.objects.create(attempt=attempt, question=question, credit=1)
    Selection.objects.create(response=response, choice=choice, source=source)


def get(data, path):
    for step in path:
        data = data[step]
    return data


def setting(path, value):
    def mutate(data):
        get(data, path[:-1])[path[-1]] = value

    return mutate


def deleting(path):
    def mutate(data):
        del get(data, path[:-1])[path[-1]]

    return mutate


def both(*mutations):
    def mutate(data):
        for mutation in mutations:
            mutation(data)

    return mutate


def appending(path, value):
    def mutate(data):
        get(data, path).append(copy.deepcopy(value))

    return mutate


def nonzero(counts):
    return {label: {k: n for k, n in c.items() if n} for label, c in counts.items()}
