"""The question drafter's rules (issue 12, and the content rules of issue 13)."""

import re
from collections import Counter
from pathlib import Path

import pytest

from drafting import draft_from_text
from drafting.questions import CLASSIFICATION_LABELS, QUOTE_CHOICES, Drafter, draft_questions

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt")))
SHIPPED_STYLE = (
    "Cuba's government said 32 Cubans died. The Cuban presidency issued messages of "
    "condolence. President Miguel Díaz-Canel declared two days of mourning.\n\n"
    "U.S. officials, including President Donald Trump, acknowledged the casualties. "
    "Washington characterised the mission as a law-enforcement action.\n\n"
    "Venezuelan officials, including Defence Minister Vladimir Padrino, paid tribute to "
    "the dead. Analysts warn the incident may lead to polarisation."
)


@pytest.fixture(scope="module")
def draft():
    return draft_from_text(ARTICLE, title="Six invented reports")


def of_kind(d, kind):
    return [q for q in d.questions if q.kind == kind]


def test_every_kind_is_drafted(draft):
    assert {q.kind for q in draft.questions} == {
        "who_said",
        "single",
        "classification",
        "true_false",
        "matching",
    }


def test_who_said_key_is_the_claims_source_and_its_evidence_names_it(draft):
    for q in of_kind(draft, "who_said"):
        claim = draft.claims[q.claim]
        [key] = [c for c in q.choices if c.correct]
        assert key.source == claim.source
        assert any(m in claim.evidence for m in draft.sources[claim.source].mentions)
        sources = [c.source for c in q.choices]
        assert None not in sources and len(set(sources)) == len(sources) >= 2


def _ancestors(d, i):
    out, p = set(), d.sources[i].parent
    while p is not None:
        out.add(p)
        p = d.sources[p].parent
    return out


@pytest.mark.parametrize("text", [ARTICLE, SHIPPED_STYLE])
def test_who_said_distractors_are_never_the_keys_parent_or_child(text):
    d = draft_from_text(text, title="Parents and children")
    if text is SHIPPED_STYLE:
        assert any(s.parent is not None for s in d.sources)
    for q in of_kind(d, "who_said"):
        key = d.claims[q.claim].source
        for c in q.choices:
            if not c.correct:
                assert c.source not in _ancestors(d, key)
                assert key not in _ancestors(d, c.source)


def test_who_said_distractors_prefer_the_keys_side_when_sides_are_set():
    d = draft_from_text(SHIPPED_STYLE, title="Sides")
    for s in d.sources:
        s.side = "Cuba" if "Cub" in s.name or "Díaz" in s.name else "Others"
    titles = [s.title for s in d.sections]
    questions = [q for q in draft_questions(d.sources, d.claims, titles) if q.kind == "who_said"]
    cuba_key = [q for q in questions if d.sources[d.claims[q.claim].source].side == "Cuba"]
    assert cuba_key
    for q in cuba_key:
        sides = [d.sources[c.source].side for c in q.choices if not c.correct]
        unrelated_cuban = [
            i
            for i, s in enumerate(d.sources)
            if s.side == "Cuba"
            and not Drafter(d.sources, d.claims, titles).related(i, d.claims[q.claim].source)
        ]
        if unrelated_cuban:
            assert sides[0] == "Cuba"


def test_the_key_is_not_always_in_one_place_nor_always_the_longest(draft):
    who = of_kind(draft, "who_said")
    assert len(who) >= 4
    positions = Counter(next(i for i, c in enumerate(q.choices) if c.correct) for q in who)
    assert max(positions.values()) <= len(who) / 2

    def name(c):
        return c.text or draft.sources[c.source].name

    longest = sum(
        1
        for q in who
        if name(next(c for c in q.choices if c.correct)) == max(map(name, q.choices), key=len)
    )
    assert longest <= len(who) / 2


def test_classification_labels_are_exclusive_fixed_and_asked_only_of_one_label_sentences(draft):
    questions = of_kind(draft, "classification")
    assert len(questions) >= 3
    assert {sum(c.correct for c in q.choices) for q in questions} == {1}
    assert all(tuple(c.text for c in q.choices) == CLASSIFICATION_LABELS for q in questions)
    drafter = Drafter(draft.sources, draft.claims, [s.title for s in draft.sections])
    for q in questions:
        claim = draft.claims[q.claim]
        same_sentence = [
            c for c in draft.claims if (c.section, c.sentence) == (claim.section, claim.sentence)
        ]
        assert {drafter.label_of(c) for c in same_sentence} == {drafter.label_of(claim)}
    assert {next(i for i, c in enumerate(q.choices) if c.correct) for q in questions} == {0, 1, 2}


def test_quote_or_paraphrase_is_keyed_by_the_claims_kind(draft):
    questions = [q for q in of_kind(draft, "single") if q.choices[0].text == QUOTE_CHOICES[0]]
    assert questions
    for q in questions:
        is_quote = draft.claims[q.claim].kind == "quote"
        assert [c.correct for c in q.choices] == [is_quote, not is_quote]
    assert {q.choices[0].correct for q in questions} == {True, False}


def test_true_false_contrasts_what_a_source_said_with_what_the_article_asserts(draft):
    questions = of_kind(draft, "true_false")
    assert {tuple(c.text for c in q.choices) for q in questions} == {("True", "False")}
    keys = {q.choices[0].correct for q in questions}
    assert keys == {True, False}
    for q in questions:
        claim = draft.claims[q.claim]
        if "in its own voice" in q.prompt:
            assert q.choices[0].correct == (claim.source is None)


def test_matching_pairs_unrelated_sources_with_their_statements(draft):
    [q] = of_kind(draft, "matching")
    items = [c for c in q.choices if c.correct]
    assert len(items) >= 2 and all(c.text for c in items)
    sources = [c.source for c in q.choices]
    for a in sources:
        for b in sources:
            if a != b:
                assert a not in _ancestors(draft, b)


def test_quotation_marks_hold_only_the_articles_own_words(draft):
    for q in draft.questions:
        texts = [q.prompt, q.explanation] + [c.feedback for c in q.choices]
        for text in texts:
            for quoted in re.findall(r"“([^”]+)”", text):
                assert quoted in draft.text, (q.prompt, quoted)


def test_a_who_said_stem_does_not_name_its_answer(draft):
    for q in of_kind(draft, "who_said"):
        key = draft.sources[draft.claims[q.claim].source]
        stem = q.prompt.split("”, ", 1)[-1]  # after the section's title
        assert key.name not in stem


def test_no_two_questions_share_a_prompt():
    for text in (ARTICLE, SHIPPED_STYLE):
        prompts = [q.prompt for q in draft_from_text(text, title="Twins").questions]
        assert len(prompts) == len(set(prompts))


def test_every_source_with_a_named_claim_is_a_who_said_key_somewhere():
    d = draft_from_text(SHIPPED_STYLE, title="Keys")
    keys = {d.claims[q.claim].source for q in of_kind(d, "who_said")}
    named = [
        c
        for c in d.claims
        if c.source is not None and any(m in c.evidence for m in d.sources[c.source].mentions)
    ]
    assert len(keys) >= 6
    for c in named:
        if c.source in keys:
            continue
        # A source is left out only where its every claim has a twin (same sentence, cue
        # and words) keyed for another source: two questions would share one stem.
        for mine in (x for x in named if x.source == c.source):
            assert any(
                (t.section, t.sentence, t.cue, t.content)
                == (mine.section, mine.sentence, mine.cue, mine.content)
                and t.source in keys
                for t in named
                if t.source != c.source
            )
