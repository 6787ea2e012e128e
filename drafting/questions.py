"""Draft questions from drafted claims. Pure Python (no Django).

Kinds: who said it, quote or paraphrase, classification (three exclusive labels in a
fixed order), true or false on what a source said versus what the article asserts, and
matching. The content rules of issue 13 they follow: a who-said-it key's evidence names
its source; distractors are never the key's ancestors or descendants and prefer its side
when sides are set; the key's position rotates and it is not the longest choice in more
than half of the who-said questions; quotation marks hold only the article's own words;
a classification is asked only of a sentence whose claims all take the same label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import FRAMING_ALWAYS, past
from .extract import FRAMING, QUOTE, Claim
from .lexicon import in_sentence
from .sources import Source

# The mutually exclusive scheme, in its fixed order (the article's own / a source's
# statement of fact / a source's framing or judgement). The bundle writer passes the
# labels the installed quiz app accepts, in the same order.
CLASSIFICATION_LABELS = (
    "The article's own statement",
    "A source's statement of fact",
    "A source's framing or judgement",
)
QUOTE_CHOICES = (
    "A direct quotation: some of the source's words are in quotation marks",
    "A paraphrase: the article reports it in its own words",
)
MAX_WHO_SAID = 20  # one per source first: each source is the key somewhere


@dataclass
class DraftChoice:
    text: str
    correct: bool
    source: int | None = None
    feedback: str = ""


@dataclass
class DraftQuestion:
    kind: str  # single, true_false, who_said, matching, classification
    skill: str
    prompt: str
    explanation: str
    section: int
    claim: int | None  # index into the draft's claims
    choices: list[DraftChoice] = field(default_factory=list)
    name: str = ""  # what the key is made from


def _unquote(text: str) -> str:
    return re.sub(r"[“”\"«»]", "", text)


class Drafter:
    def __init__(self, sources: list[Source], claims: list[Claim], titles: list[str]):
        self.sources, self.claims, self.titles = sources, claims, titles
        self.questions: list[DraftQuestion] = []
        self._longest_key: dict[str, list[bool]] = {}

    # -- the relations distractors must avoid -------------------------------------------
    def ancestors(self, i: int) -> set[int]:
        out, p = set(), self.sources[i].parent
        while p is not None and p not in out:
            out.add(p)
            p = self.sources[p].parent
        return out

    def related(self, a: int, b: int) -> bool:
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def names_source(self, c: Claim) -> bool:
        s = self.sources[c.source]
        return c.named and any(m and m in c.evidence for m in s.mentions)

    def attributed(self) -> list[int]:
        return [
            i
            for i, c in enumerate(self.claims)
            if c.source is not None and self.sources[c.source].kind != "unknown"
        ]

    # -- placing the key -----------------------------------------------------------------
    def _place(self, kind: str, key: DraftChoice, others: list[DraftChoice], n: int):
        """The key's position rotates with the question's number; whether the key is the
        longest choice is recorded so that the distractors can avoid it next time."""

        def name(ch: DraftChoice) -> str:
            return ch.text or self.sources[ch.source].name

        longest = all(len(name(key)) >= len(name(o)) for o in others)
        self._longest_key.setdefault(kind, []).append(longest)
        position = n % (len(others) + 1)
        return others[:position] + [key] + others[position:]

    # -- who said it -----------------------------------------------------------------------
    def who_said(self) -> None:
        """One per source first (fewest claims first: a member gets its group's sentence)."""
        candidates = [i for i in self.attributed() if self.names_source(self.claims[i])]
        by_source: dict[int, list[int]] = {}
        for i in candidates:
            by_source.setdefault(self.claims[i].source, []).append(i)
        done: set = set()
        used: set[int] = set()

        def order(s):  # fewest claims first; on a tie the member before its group
            return (len(by_source[s]), -len(self.ancestors(s)), s)

        for source in sorted(by_source, key=order):
            for i in by_source[source]:
                if len(used) < MAX_WHO_SAID and self._who_said_one(i, done):
                    used.add(i)
                    break
        for i in candidates:
            if len(used) < MAX_WHO_SAID and i not in used and self._who_said_one(i, done):
                used.add(i)
        self.questions.sort(key=lambda q: (q.kind != "who_said", q.claim or 0))

    def _who_said_one(self, i: int, done: set) -> bool:
        c = self.claims[i]
        if (c.section, c.sentence, c.cue, c.content) in done:
            return False  # no two questions with the same stem
        key_src = self.sources[c.source]
        what = c.content or ""
        names = [m.lower() for m in key_src.mentions if len(m) > 2]
        if key_src.kind == "person":
            names.append(key_src.identity[-1])
        if any(m in what.lower() for m in names) or (not what and " " not in c.cue):
            return False  # the stem would name the answer, or say nothing ("who announced?")
        distractors = self._distractors(c.source)
        if not distractors:
            return False
        done.add((c.section, c.sentence, c.cue, c.content))
        title = self.titles[c.section]
        verb = past(c.cue)
        prompt = f"In the section “{title}”, who {verb} {what}?".replace(" ?", "?")
        if c.cue == "according to" and what:
            prompt = (
                f"In the section “{title}”, the article reports, on a source's word, that "
                f"{what[0].lower() + what[1:]}. Who is that source?"
            )
        key = DraftChoice("", True, c.source, f"Yes: the article gives this to {key_src.name}.")
        others = [
            DraftChoice(
                "",
                False,
                d,
                f"No: {self.sources[d].name} is another voice; "
                f"the article gives this to {key_src.name}.",
            )
            for d in distractors
        ]
        n = len(self.questions)
        self.questions.append(
            DraftQuestion(
                "who_said",
                "attribution",
                prompt,
                f"From the section “{title}”: {c.evidence}",
                c.section,
                i,
                self._place("who_said", key, others, n),
                f"who {key_src.name} {verb}",
            )
        )
        return True

    def _distractors(self, key: int, want: int = 3) -> list[int]:
        pool = [
            j
            for j, s in enumerate(self.sources)
            if s.kind not in ("unknown",) and not self.related(key, j)
        ]
        shift = len(self.questions) * 2 % len(pool) if pool else 0
        pool = pool[shift:] + pool[:shift]  # vary the distractors from question to question
        side = self.sources[key].side

        def rank(j):
            s = self.sources[j]
            return (
                0 if side and s.side == side else 1,
                0 if (s.kind == "person") == (self.sources[key].kind == "person") else 1,
            )

        pool.sort(key=rank)
        chosen: list[int] = []
        for j in pool:
            if all(not self.related(j, k) for k in chosen):
                chosen.append(j)
            if len(chosen) == want:
                break
        # Not the longest every time: when the key's name is the longest, prefer a
        # longer distractor if one is left.
        key_len = len(self.sources[key].name)
        record = self._longest_key.get("who_said", [])
        key_longest = chosen and all(len(self.sources[j].name) <= key_len for j in chosen)
        if key_longest and record and sum(record) >= len(record) / 2:
            longer = [j for j in pool if len(self.sources[j].name) > key_len]
            longer = [j for j in longer if all(not self.related(j, k) for k in chosen[:-1])]
            if longer:
                chosen[-1] = longer[0]
        return chosen

    # -- quote or paraphrase -------------------------------------------------------------
    def quote_or_paraphrase(self, per_kind: int = 3) -> None:
        usable = [i for i in self.attributed() if self.claims[i].content]
        quotes = [i for i in usable if self.claims[i].kind == QUOTE]
        others = [i for i in usable if self.claims[i].kind != QUOTE]
        picked = [
            x for pair in zip(quotes[:per_kind], others[:per_kind], strict=False) for x in pair
        ]
        for i in picked:
            c = self.claims[i]
            s = self.sources[c.source]
            title = self.titles[c.section]
            what = _unquote(c.content) if c.content else "what it reports"
            is_quote = c.kind == QUOTE
            choices = [
                DraftChoice(
                    QUOTE_CHOICES[0],
                    is_quote,
                    feedback=("Yes: " if is_quote else "No: ")
                    + ("the article puts some of the words in quotation marks." if is_quote
                       else "no words of this claim are in quotation marks."),
                ),
                DraftChoice(
                    QUOTE_CHOICES[1],
                    not is_quote,
                    feedback=("No: " if is_quote else "Yes: ")
                    + ("some of the words are in quotation marks." if is_quote
                       else "the article reports it in its own words."),
                ),
            ]  # fmt: skip
            self.questions.append(
                DraftQuestion(
                    "single",
                    "evidence",
                    f"In the section “{title}”, how does the article report that "
                    f"{in_sentence(s.name)} {past(c.cue)} {what}?",
                    f"From the section “{title}”: {c.evidence}",
                    c.section,
                    i,
                    choices,
                    f"quote or paraphrase {s.name}",
                )
            )

    # -- classification ---------------------------------------------------------------------
    def label_of(self, c: Claim) -> int:
        if c.source is None:
            return 0
        return 2 if c.kind == FRAMING or (c.kind == QUOTE and FRAMING_ALWAYS.match(c.cue)) else 1

    def classification(self, labels=CLASSIFICATION_LABELS, per_label: int = 2) -> None:
        by_sentence: dict[tuple, set[int]] = {}
        for c in self.claims:
            by_sentence.setdefault((c.section, c.sentence), set()).add(self.label_of(c))
        buckets: dict[int, list[int]] = {0: [], 1: [], 2: []}
        seen = set()
        for i, c in enumerate(self.claims):
            where = (c.section, c.sentence)
            if len(by_sentence[where]) == 1 and where not in seen:
                seen.add(where)
                buckets[self.label_of(c)].append(i)
        order = [b[n] for n in range(per_label) for b in buckets.values() if n < len(b)]
        for i in order:
            c = self.claims[i]
            right = self.label_of(c)
            title = self.titles[c.section]
            why = [
                "the article states it without naming a source",
                "the article reports it as what a source said, without casting it",
                "the article reports how a source casts or judges events",
            ]
            choices = [
                DraftChoice(label, n == right, feedback=("Yes: " if n == right else "No: ")
                            + why[right] + ".")
                for n, label in enumerate(labels)
            ]  # fmt: skip
            self.questions.append(
                DraftQuestion(
                    "classification",
                    "perspective",
                    f"Which label fits this sentence from the section “{title}”? {c.evidence}",
                    f"From the section “{title}”: {why[right]}.",
                    c.section,
                    i,
                    choices,
                    f"classify {c.cue} {title}",
                )
            )

    # -- true or false: said by a source, or asserted by the article ------------------------
    def true_false(self, pairs: int = 2) -> None:
        own = [i for i, c in enumerate(self.claims) if c.source is None and len(c.content) < 300]
        said = [i for i in self.attributed() if self.claims[i].content.startswith("that ")]
        said += [i for i in self.attributed() if i not in said and self.claims[i].content]
        for n, i in enumerate(
            [x for pair in zip(said[:pairs], own[:pairs], strict=False) for x in pair]
        ):
            c = self.claims[i]
            title = self.titles[c.section]
            what = re.sub(r"^that\s+", "", _unquote(c.content)).rstrip(".")
            if c.source is None:
                statement = f"In the section “{title}”, the article states in its own voice, naming no source: {what}."
                true, why = True, "the article states this itself; it names no source."
            elif n % 2 == 0:  # half the statements false: True is no safe guess
                statement = f"In the section “{title}”, the article states in its own voice, naming no source: {what}."
                true, why = False, f"the article reports this as {self._name(c)}'s ({c.cue})."
            else:
                statement = (
                    f"According to the article, {in_sentence(self._name(c))} {past(c.cue)} {what}."
                )
                true, why = True, f"the article gives this to {self._name(c)} ({c.cue})."
            choices = [
                DraftChoice("True", true, feedback=("Yes: " if true else "No: ") + why),
                DraftChoice("False", not true, feedback=("No: " if true else "Yes: ") + why),
            ]
            self.questions.append(
                DraftQuestion(
                    "true_false",
                    "attribution",
                    f"True or false? {statement}",
                    f"From the section “{title}”: {c.evidence}",
                    c.section,
                    i,
                    choices,
                    f"true or false {c.cue} {title}",
                )
            )

    def _name(self, c: Claim) -> str:
        return self.sources[c.source].name

    # -- matching --------------------------------------------------------------------------
    def matching(self, items: int = 4) -> None:
        chosen: list[int] = []
        for i in self.attributed():
            c = self.claims[i]
            if not c.content or not self.names_source(c):
                continue
            if all(not self.related(c.source, self.claims[j].source) for j in chosen):
                chosen.append(i)
            if len(chosen) == items:
                break
        if len(chosen) < 2:
            return
        used = [self.claims[j].source for j in chosen]
        extra = [
            j
            for j, s in enumerate(self.sources)
            if s.kind != "unknown" and all(not self.related(j, u) for u in used)
        ]
        choices = [
            DraftChoice(
                f"{past(self.claims[j].cue)} {_unquote(self.claims[j].content)}"[:500],
                True,
                self.claims[j].source,
                f"The article gives this to {self.sources[self.claims[j].source].name}.",
            )
            for j in chosen
        ]
        if extra:
            choices.append(
                DraftChoice("", False, extra[0], "Another voice of the article, not one of these.")
            )
        first = self.claims[chosen[0]]
        self.questions.append(
            DraftQuestion(
                "matching",
                "attribution",
                "Match each statement to the source the article gives for it.",
                "Each statement is attributed in the article: "
                + " ".join(f"From “{self.titles[self.claims[j].section]}”: {self.claims[j].evidence}"
                           for j in chosen),
                first.section,
                None,
                choices,
                "match the sources",
            )
        )  # fmt: skip


def draft_questions(
    sources: list[Source], claims: list[Claim], titles: list[str], labels=CLASSIFICATION_LABELS
) -> list[DraftQuestion]:
    d = Drafter(sources, claims, titles)
    d.who_said()
    d.quote_or_paraphrase()
    d.classification(labels)
    d.true_false()
    d.matching()
    return d.questions
