"""Reporting cues: where a sentence reports speech, and the patterns that find the
source around the verb. Pure Python (no Django)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import REPORTING

PHRASES = [
    r"(?:pay|pays|paid|paying) tribute",
    r"(?:express|expresses|expressed|expressing) (?:concern|regret|hope|support|solidarity|"
    r"condolences|doubt|alarm|outrage|dismay|sympathy|anger|confidence|opposition)",
    r"(?:issue|issues|issued|issuing) (?:a |an )?(?:\w+ )?(?:statement|warnings?|alerts?|appeal|"
    r"messages?|condolences)"
    r"(?: of (?:condolence|support|solidarity))?",
    r"pointed out",
    r"made clear",
]
# Framing cues: how a party casts events. "described", "denounced" etc. frame with "as".
FRAMING_ALWAYS = re.compile(r"^(characteri[sz]|portray|fram|brand|label|dub|depict)")
FRAMING_WITH_AS = re.compile(r"^(describ|denounc|criticis|criticiz|condemn|highlight|hail|call)")
HEDGES = re.compile(
    r"\b(likely|unlikely|may|might|could|possibly|probably|perhaps|reportedly|allegedly|"
    r"appears?|seems?|expected to|would)\b",
    re.I,
)
_CUE = re.compile(
    r"(?<![\w-])(?:" + "|".join(PHRASES + sorted(REPORTING, key=len, reverse=True)) + r")(?![\w-])"
)
ACCORDING = re.compile(r"\b[Aa]ccording to\s+", re.I)
_NOUN_BEFORE = re.compile(
    r"\b(the|a|an|his|her|their|its|these|those|such|any|no|some|many|our|my|your|"
    r"to|be|been|being|so|that|this|every|each|which|what|whose)\s*$",
    re.I,
)
_PARTICLE_AFTER = re.compile(r"^\s+(for|on|upon|off|in|back|up|out|into)\b")
_LEAD = re.compile(
    r"^(?:(?:and|but|or|while|whereas|although|though|however|meanwhile|also|in contrast|"
    r"instead|separately|later|earlier|still|yet|then|with|so|thus|as|in a statement|"
    r"in response|on \w+day)\b[\s,]*)+",
    re.I,
)
_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|will|would|also|later|repeatedly|publicly|"
    r"previously|then|further|again|not|never|strongly|quickly|already|recently|long|"
    r"reportedly|officially|separately|firmly|openly|once|both|all|each|swiftly|"
    r"immediately|initially|privately|who|which|that|did|does|do|can|could|may|might|"
    r"often|usually))+$",
    re.I,
)
BY = re.compile(r"^\s+(?:in a statement\s+|on \w+\s+|publicly\s+)?by\s+(.+?)(?=[,;]|\.\s*$|$)")
CUT = re.compile(r"(?:[,;:(—–]|\s-\s|\b(?:that|because|after|before|when|since|if)\b)")


@dataclass
class Cue:
    start: int
    end: int
    text: str
    source: int | None = None
    named: bool = True
    after: bool = False  # the source follows the verb ("said X")
    subject_start: int | None = None
    members: list[int] = field(default_factory=list)


def clean_np(np: str) -> str:
    np = np.strip(" ,;:")
    np = _LEAD.sub("", np).strip(" ,;:")
    np = _TAIL.sub("", np).strip(" ,;:")
    return np


def last_np(segment: str) -> str:
    """The noun phrase that ends `segment`: "a point of contention among critics" ->
    "critics"."""
    parts = re.split(r"\b(?:among|including|between)\s+", segment)
    return parts[-1].strip()


APPOSITIVE = re.compile(
    r",\s*(?P<app>(?:including|among them|such as|notably|like|a|an|the|who|which|whose)\b[^,]*"
    r"(?:,[^,]*?(?:\band\b)[^,]*)?),\s*$"
)
# Where a claim's content ends and the article's own words resume.
BREAK = re.compile(r",\s*(?:though|although|whereas|but|while)\b|\s+[—–]\s+(?=(?:a|an|the)\b)|;\s")


def find_cues(s: str, spans) -> list[Cue]:
    """The reporting verbs of a sentence outside its quotations, in order."""
    cues = []
    for m in _CUE.finditer(s):
        if any(a <= m.start() < b for a, b in spans):
            continue  # a verb inside a quotation is the quoted speaker's, not a cue
        before, after = s[: m.start()], s[m.end() :]
        if _NOUN_BEFORE.search(before) and not re.search(r"\bby\s", after[:40]):
            continue  # "the claims", "to say", "be announced" (passive without "by")
        if m.group(0) in ("call", "calls", "called", "calling") and (
            _PARTICLE_AFTER.match(after) or before.endswith("so-")
        ):
            continue
        if m.group(0).startswith(("warning", "framing", "claims", "calls", "stress")) and (
            re.search(r"\b(a|the|his|her|their)\s+\w*\s*$", before)
        ):
            continue
        cues.append(Cue(m.start(), m.end(), m.group(0)))
    return cues


_FORMS = frozenset(REPORTING)
_IRREGULAR = {"say": "said", "says": "said", "saying": "said", "tell": "told",
              "tells": "told", "telling": "told", "deny": "denied", "denies": "denied",
              "denying": "denied", "pay": "paid", "pays": "paid", "paying": "paid",
              "write": "wrote", "writes": "wrote"}  # fmt: skip


def past(cue: str) -> str:
    """The cue in the past tense for a prompt: "asserting" -> "asserted"."""
    first, _, rest = cue.partition(" ")
    word = first.lower()
    if word in _IRREGULAR:
        done = _IRREGULAR[word]
    else:
        base = word[:-3] if word.endswith("ing") else word[:-1] if word.endswith("s") else word
        done = next((f for f in (base + "ed", base + "d", base[:-1] + "ied") if f in _FORMS), word)
        if word.endswith("ed"):
            done = word
    return f"{done} {rest}".strip()
