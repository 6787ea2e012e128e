"""A small lesson built like the article's: sources on several sides, claims of every
kind, and a quiz with a question of every kind. For view and browser tests until (and
besides) the shipped bundle."""

from lessons.models import Claim, Source
from quizzes.models import Question

from .factories import (
    ChoiceFactory,
    ClaimFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
)

CONFIRMS = (
    "Cuba’s government said the 32 killed were members of its armed forces. "
    "Officials describe them as carrying out missions “at the request of Venezuelan authorities”."
    "\n\n"
    "President Miguel Díaz-Canel declared two days of national mourning — on January 5 and 6."
)
HOW = (
    "U.S. special forces struck military facilities in Caracas & captured Maduro. "
    "While Washington characterised the mission as a law-enforcement action, "
    "the combat was intense."
    "\n\n"
    "Trump stated third-party losses were “a lot” but asserted there were no U.S. deaths."
)
AHEAD = (
    "The deaths are likely to deepen Havana’s stance against U.S. actions in the region. "
    "Analysts warn the incident may lead to further polarisation."
)


def build_article_lesson(*, slug="cuba-venezuela", published=True):
    lesson = LessonFactory(
        slug=slug,
        title="Who said what: Cuba’s losses in Venezuela",
        summary="Cuba confirmed that 32 of its nationals were killed in the US operation.",
        article_title="Cuba confirms 32 nationals killed",
        article_note="A news report; it names few sources beyond governments.",
        published=published,
    )
    s = {}

    def source(key, name, kind, side, parent=None):
        s[key] = SourceFactory(
            lesson=lesson, key=key, name=name, kind=kind, side=side, parent=parent
        )
        return s[key]

    K = Source.Kind
    source("cuban-government", "Cuban government", K.INSTITUTION, "Cuba")
    source("diaz-canel", "Miguel Díaz-Canel", K.PERSON, "Cuba", parent=s["cuban-government"])
    source("cuban-officials", "Cuban officials", K.GROUP, "Cuba", parent=s["cuban-government"])
    source("washington", "Washington", K.INSTITUTION, "United States")
    source("trump", "Donald Trump", K.PERSON, "United States", parent=s["washington"])
    source("analysts", "Analysts", K.UNNAMED, "Independent voices")
    source("article", "The article itself", K.ARTICLE, "The article")

    sections = [
        SectionFactory(
            lesson=lesson, key="confirms", order=1, title="Cuba confirms losses", body=CONFIRMS
        ),
        SectionFactory(
            lesson=lesson, key="how", order=2, title="How the casualties occurred", body=HOW
        ),
        SectionFactory(lesson=lesson, key="ahead", order=3, title="Looking ahead", body=AHEAD),
    ]
    C = Claim.Kind
    claims = {}

    def claim(key, section, src, cue, kind, evidence, quoted="", content="A claim."):
        claims[key] = ClaimFactory(
            lesson=lesson,
            section=section,
            source=s[src],
            key=key,
            cue=cue,
            kind=kind,
            evidence=evidence,
            quoted=quoted,
            content=content,
            order=len(claims),
        )
        return claims[key]

    claim(
        "cuba-said-32",
        sections[0],
        "cuban-government",
        "said",
        C.PARAPHRASE,
        "Cuba’s government said the 32 killed were members of its armed forces.",
        content="The 32 killed were members of Cuba’s armed forces.",
    )
    claim(
        "officials-request",
        sections[0],
        "cuban-officials",
        "describe",
        C.QUOTE,
        "carrying out missions “at the request of Venezuelan authorities”",
        quoted="at the request of Venezuelan authorities",
    )
    claim(
        "mourning",
        sections[0],
        "diaz-canel",
        "declared",
        C.PARAPHRASE,
        "President Miguel Díaz-Canel declared two days of national mourning",
    )
    claim(
        "law-enforcement",
        sections[1],
        "washington",
        "characterised",
        C.FRAMING,
        "Washington characterised the mission as a law-enforcement action",
    )
    claim(
        "a-lot",
        sections[1],
        "trump",
        "stated",
        C.QUOTE,
        "Trump stated third-party losses were “a lot”",
        quoted="a lot",
    )
    claim(
        "no-us-deaths",
        sections[1],
        "trump",
        "asserted",
        C.PARAPHRASE,
        "asserted there were no U.S. deaths",
    )
    claim(
        "likely-deepen",
        sections[2],
        "article",
        "—",
        C.UNATTRIBUTED,
        "The deaths are likely to deepen Havana’s stance against U.S. actions in the region.",
        content="The deaths are likely to harden Havana’s stance.",
    )
    claim(
        "analysts-warn",
        sections[2],
        "analysts",
        "warn",
        C.PARAPHRASE,
        "Analysts warn the incident may lead to further polarisation.",
    )
    return lesson, s, sections, claims


def build_article_quiz(
    *, lesson=None, title="Full assessment", time_limit_minutes=None, **quiz_kwargs
):
    """A quiz with one question of each kind, in this order: single, multiple, true/false,
    who said it, matching, classification."""
    if lesson is None:
        lesson, sources, sections, claims = build_article_lesson()
    else:
        sources = {src.key: src for src in lesson.sources.all()}
        sections = list(lesson.sections.all())
        claims = {c.key: c for c in lesson.claims.all()}
    quiz = QuizFactory(
        lesson=lesson, title=title, time_limit_minutes=time_limit_minutes, **quiz_kwargs
    )
    K, S = Question.Kind, Question.Skill

    def question(order, kind, skill, prompt, **kw):
        return QuestionFactory(
            quiz=quiz,
            order=order,
            kind=kind,
            skill=skill,
            prompt=prompt,
            explanation=kw.pop("explanation", "The article says so."),
            **kw,
        )

    q = question(
        1,
        K.SINGLE,
        S.RECALL,
        "How many Cuban nationals did Cuba say were killed?",
        section=sections[0],
        evidence="Cuba’s government said the 32 killed were members of its armed forces.",
        explanation="“Cuba confirms losses”: the government gave the figure 32.",
    )
    ChoiceFactory(question=q, text="32", correct=True, feedback="Yes: 32.")
    ChoiceFactory(question=q, text="12", feedback="No: the figure was 32.")
    ChoiceFactory(question=q, text="50", feedback="No: the figure was 32.")

    q = question(
        2,
        K.MULTIPLE,
        S.RECALL,
        "Which days of mourning did Díaz-Canel declare?",
        section=sections[0],
        claim=claims["mourning"],
        explanation="“Cuba confirms losses”: January 5 and 6.",
    )
    ChoiceFactory(question=q, text="January 5", correct=True)
    ChoiceFactory(question=q, text="January 6", correct=True)
    ChoiceFactory(question=q, text="January 7")

    q = question(
        3,
        K.TRUE_FALSE,
        S.PERSPECTIVE,
        "Washington characterised the mission as a law-enforcement action.",
        section=sections[1],
        claim=claims["law-enforcement"],
        explanation="“How the casualties occurred”: that is Washington’s framing.",
    )
    ChoiceFactory(question=q, order=1, text="True", correct=True)
    ChoiceFactory(question=q, order=2, text="False")

    q = question(
        4,
        K.WHO_SAID,
        S.ATTRIBUTION,
        "Who said third-party losses were “a lot”?",
        section=sections[1],
        claim=claims["a-lot"],
        points=2,
        explanation="“How the casualties occurred”: Trump said it.",
    )
    ChoiceFactory(question=q, source=sources["trump"], text="", correct=True)
    ChoiceFactory(question=q, source=sources["washington"], text="")
    ChoiceFactory(question=q, source=sources["diaz-canel"], text="")
    ChoiceFactory(question=q, source=sources["analysts"], text="")

    q = question(
        5,
        K.MATCHING,
        S.ATTRIBUTION,
        "Match each statement to who made it.",
        section=sections[1],
        points=2,
        explanation="Each statement is attributed in the article.",
    )
    ChoiceFactory(
        question=q, text="There were no U.S. deaths.", source=sources["trump"], correct=True
    )
    ChoiceFactory(
        question=q,
        text="The mission was a law-enforcement action.",
        source=sources["washington"],
        correct=True,
    )
    ChoiceFactory(
        question=q,
        text="Two days of national mourning.",
        source=sources["diaz-canel"],
        correct=True,
    )
    ChoiceFactory(question=q, text="", source=sources["analysts"])

    q = question(
        6,
        K.CLASSIFICATION,
        S.EVIDENCE,
        "“The deaths are likely to deepen Havana’s stance against U.S. actions.” What is this?",
        section=sections[2],
        claim=claims["likely-deepen"],
        explanation="“Looking ahead”: the article says it with no source.",
    )
    ChoiceFactory(question=q, text="A reported fact")
    ChoiceFactory(question=q, text="An attributed claim")
    ChoiceFactory(question=q, text="The article’s own prediction", correct=True)
    return quiz


PICK_KEY = "U.S. special forces struck military facilities in Caracas & captured Maduro."


def add_evidence_pick(quiz, *, order=7, points=1):
    """An evidence-pick question on "How the casualties occurred" (three sentences, its
    choices made from them): its first sentence proves the statement (full credit), the
    second holds its claim, Washington's framing (part credit), the third earns nothing."""
    from quizzes.evidence_pick import make_choices

    lesson = quiz.lesson
    question = QuestionFactory(
        quiz=quiz,
        order=order,
        kind=Question.Kind.EVIDENCE_PICK,
        skill=Question.Skill.EVIDENCE,
        prompt="Which sentence proves it? The operation Washington framed as law "
        "enforcement ended with Maduro in U.S. hands.",
        section=lesson.sections.get(key="how"),
        claim=lesson.claims.get(key="law-enforcement"),
        evidence=PICK_KEY,
        points=points,
        explanation="The first sentence of the section says what the forces did.",
    )
    make_choices(question)
    return question
