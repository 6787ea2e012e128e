"""A Draft as a lesson bundle (docs/lesson-bundle.md, format sourcewise.lesson/1), with
the lesson and its quiz unpublished. Keys are made from names: lowercase letters and
digits in words joined by single hyphens, at most 50 characters, unique within their list
(questions: within their quiz)."""

from __future__ import annotations

import re
import unicodedata

FORMAT = "sourcewise.lesson/1"
KEY_MAX = 50
ARTICLE_KEY = "the-article"
ARTICLE_SIDE = "The article"
# The bundle format needs a side for every source; a draft has none. Each source gets
# its own placeholder so that no two share a side (and no partial credit is given) until
# the teacher sets the sides.
UNDECIDED = "Not set yet: {name}"
KIND = {"unknown": "unnamed"}
DESCRIPTION_MAX, NAME_MAX, SIDE_MAX, CUE_MAX, QUOTED_MAX = 300, 200, 100, 60, 300


def slug(text: str, fallback: str = "item") -> str:
    """ "President Miguel Díaz-Canel" -> "president-miguel-diaz-canel"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > KEY_MAX:
            break
        out = candidate
    return out or (words[0][:KEY_MAX] if words else fallback)


class Keys:
    """Unique keys for one list: "trump", "trump-2", … never over 50 characters."""

    def __init__(self, taken: tuple[str, ...] = ()):
        self.taken = set(taken)

    def make(self, text: str, fallback: str = "item") -> str:
        base = slug(text, fallback)
        key, n = base, 1
        while key in self.taken:
            n += 1
            suffix = f"-{n}"
            key = base[: KEY_MAX - len(suffix)].rstrip("-") + suffix
        self.taken.add(key)
        return key


def _installed_labels() -> tuple[str, ...] | None:
    """The classification labels the installed quiz app accepts, when Django runs."""
    try:
        from django.apps import apps

        if apps.ready and apps.is_installed("quizzes"):
            from quizzes.validation import CLASSIFICATION_LABELS

            return tuple(CLASSIFICATION_LABELS)
    except ImportError:
        pass
    return None


def _notes(draft) -> str:
    parts = [
        "A draft made from the pasted article by the drafting tool: every source, side, "
        "claim and question needs a teacher's check before publishing."
    ]
    parts += draft.notes
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


def to_bundle(draft, labels: tuple[str, ...] | None = None) -> dict:
    labels = labels or _installed_labels()
    source_keys = Keys((ARTICLE_KEY,))
    skeys = [source_keys.make(s.name, "source") for s in draft.sources]
    sources = [
        {
            "key": ARTICLE_KEY,
            "name": "The article (its own voice)",
            "kind": "article",
            "parent": None,
            "side": ARTICLE_SIDE,
            "description": "What the article states on its own authority, without naming a source.",
        }
    ]
    for key, s in zip(skeys, draft.sources, strict=True):
        mentions = list(dict.fromkeys(s.mentions))
        description = s.description or "Mentioned as: " + "; ".join(mentions)
        sources.append(
            {
                "key": key,
                "name": s.name[:NAME_MAX],
                "kind": KIND.get(s.kind, s.kind),
                "parent": skeys[s.parent] if s.parent is not None else None,
                "side": (s.side or UNDECIDED.format(name=s.name))[:SIDE_MAX],
                "description": description[:DESCRIPTION_MAX],
            }
        )
    section_keys = Keys()
    sec_keys = [section_keys.make(s.title, "section") for s in draft.sections]
    sections = [
        {"key": k, "title": s.title[:200], "body": s.body}
        for k, s in zip(sec_keys, draft.sections, strict=True)
    ]
    claim_keys = Keys()
    claims, ckeys = [], []
    for c in draft.claims:
        who = skeys[c.source] if c.source is not None else "article"
        key = claim_keys.make(f"{who} {c.cue}", "claim")
        ckeys.append(key)
        claims.append(
            {
                "key": key,
                "section": sec_keys[c.section],
                "source": skeys[c.source] if c.source is not None else ARTICLE_KEY,
                "cue": c.cue[:CUE_MAX],
                "kind": c.kind,
                "content": c.content or c.evidence,
                "quoted": c.quoted[:QUOTED_MAX],
                "evidence": c.evidence,
            }
        )
    quizzes = []
    if draft.questions:
        quizzes.append(_quiz(draft, skeys, sec_keys, ckeys, labels))
    data = {
        "format": FORMAT,
        "lesson": {
            "slug": slug(draft.title, "draft-lesson"),
            "title": draft.title,
            "summary": f"A draft lesson on the article: {draft.title}",
            "objectives": [
                "Identify who said what in the article.",
                "Tell a direct quotation from a paraphrase.",
                "Tell the article's own statements from what it attributes to sources.",
            ],
            "article": {
                "title": draft.title[:300],
                "publisher": draft.outlet,
                "byline": "",
                "date": draft.date,
                "url": draft.url,
                "note": _notes(draft),
            },
            "published": False,
            "source_text": draft.source_text,
        },
        "sources": sources,
        "sections": sections,
        "claims": claims,
        "quizzes": quizzes,
    }
    return data


def _quiz(draft, skeys, sec_keys, ckeys, labels) -> dict:
    from .questions import CLASSIFICATION_LABELS

    relabel = dict(zip(CLASSIFICATION_LABELS, labels, strict=True)) if labels else {}
    keys = Keys()
    questions = []
    for q in draft.questions:
        choices = []
        for ch in q.choices:
            text = relabel.get(ch.text, ch.text) if q.kind == "classification" else ch.text
            choices.append(
                {
                    "text": text[:500],
                    "correct": ch.correct,
                    "source": skeys[ch.source] if ch.source is not None else None,
                    "feedback": ch.feedback,
                }
            )
        questions.append(
            {
                "key": keys.make(q.name or q.kind, "question"),
                "kind": q.kind,
                "skill": q.skill,
                "prompt": q.prompt,
                "explanation": q.explanation,
                "points": 1,
                "section": sec_keys[q.section],
                "claim": ckeys[q.claim] if q.claim is not None else None,
                "evidence": "",
                "choices": choices,
            }
        )
    order = relabel and " / ".join(labels) or " / ".join(CLASSIFICATION_LABELS)
    return {
        "key": "draft-questions",
        "title": "Draft questions",
        "description": "Drafted from the article: check, edit or drop each question before "
        f"publishing. Classification questions use three labels, always in this order: {order}.",
        "published": False,
        "max_attempts": None,
        "time_limit_minutes": None,
        "shuffle_questions": False,
        "shuffle_choices": True,  # each attempt its own order: no key position to learn
        "feedback": "after_submit",
        "questions": questions,
    }
