"""The extractor, one construction per test: who said what, how, and with which words.
Every text here is invented."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting import draft_from_text
from drafting.extract import FRAMING, OWN, PARAPHRASE, QUOTE
from drafting.lexicon import ACT_VERBS, REPORTING


def draft(text):
    return draft_from_text(text, title="A test lesson")


def claims(text):
    """(source name or None, cue, kind, quoted) for each claim, in reading order."""
    d = draft(text)
    return [
        (d.sources[c.source].name if c.source is not None else None, c.cue, c.kind, c.quoted)
        for c in d.claims
    ]


def attributed(text):
    return [c for c in claims(text) if c[0] is not None]


def test_a_straight_quote_with_its_speaker_before_the_verb():
    assert attributed('"The plan is dead," Mayor Ana Ruiz said on Monday.') == [
        ("Mayor Ana Ruiz", "said", QUOTE, "The plan is dead")
    ]


def test_a_curly_quote_of_several_sentences_is_one_quote():
    [(name, cue, kind, quoted)] = attributed(
        "“We lost everything. We will rebuild anyway,” said Omar Haddad, a farmer."
    )
    assert (name, cue, kind) == ("Omar Haddad", "said", QUOTE)
    assert quoted == "We lost everything. We will rebuild anyway"


def test_inverted_said_x_finds_the_source_after_the_verb():
    d = draft('"Nobody warned us," said Dr. Helen Okafor, the city\'s chief engineer.')
    [c] = d.claims
    assert d.sources[c.source].name == "Dr. Helen Okafor"
    assert "chief engineer" in d.sources[c.source].description


def test_according_to_at_the_start_and_at_the_end():
    assert attributed(
        "According to the fire service, 14 people were hurt. "
        "Roads will reopen on Friday, according to the transport authority."
    ) == [
        ("The fire service", "according to", PARAPHRASE, ""),
        ("The transport authority", "according to", PARAPHRASE, ""),
    ]


def test_a_pronoun_is_the_last_named_speaker():
    found = attributed(
        "Education Minister Priya Raman announced the plan on Thursday. "
        "She said it would cost £45 million. "
        "Tom Ellery accused her of rushing. He argued the figures were wrong."
    )
    assert [(name, cue) for name, cue, *_ in found] == [
        ("Education Minister Priya Raman", "announced"),
        ("Education Minister Priya Raman", "said"),
        ("Tom Ellery", "accused"),
        ("Tom Ellery", "argued"),
    ]


def test_a_pronoun_after_a_person_is_named_but_has_not_spoken():
    found = attributed(
        "The board appointed Sara Kovač as its chief. In her first remarks, she promised "
        "to publish every result."
    )
    assert found == [("Sara Kovač", "promised", PARAPHRASE, "")]


def test_a_quote_that_continues_in_the_next_sentence_keeps_its_speaker():
    d = draft('"Children cannot learn hungry," she told teachers. "Every pound comes back."')
    # no one is named: the quotes go to a stand-in the teacher must replace, with a note
    assert {d.sources[c.source].kind for c in d.claims} == {"unknown"}
    assert any("no speaker" in note for note in d.notes)
    found = attributed(
        'Priya Raman spoke in Leeds. "Children cannot learn hungry," Raman told teachers. '
        '"Every pound we spend comes back to us."'
    )
    assert found[-1] == ("Priya Raman", "told", QUOTE, "Every pound we spend comes back to us.")


def test_titles_are_kept_with_names():
    [(name, *_)] = attributed("Defence Minister Vladimir Padrino denied the report.")
    assert name == "Defence Minister Vladimir Padrino"


def test_mentions_of_one_source_are_merged():
    d = draft(
        "President Miguel Díaz-Canel declared two days of mourning. "
        "Díaz-Canel said the dead were heroes. The Cuban president called it an outrage."
    )
    people = [s for s in d.sources if s.kind == "person"]
    assert [p.name for p in people] == ["President Miguel Díaz-Canel"]
    assert {d.claims[i].source for i in range(3)} == {d.sources.index(people[0])}


def test_a_government_and_its_capital_are_one_source():
    d = draft("Cuba's government said 32 died. Havana announced the deaths on Monday.")
    assert len(d.sources) == 1
    assert d.sources[0].name == "Cuba's government (Havana)"


def test_a_member_named_with_including_is_a_source_under_the_group():
    d = draft(
        "Venezuelan officials, including Defence Minister Vladimir Padrino, paid tribute "
        "to the dead."
    )
    names = [s.name for s in d.sources]
    assert names == ["Venezuelan officials", "Defence Minister Vladimir Padrino"]
    assert d.sources[1].parent == 0
    assert [(d.sources[c.source].name, c.cue) for c in d.claims] == [
        ("Venezuelan officials", "paid tribute"),
        ("Defence Minister Vladimir Padrino", "paid tribute"),
    ]


def test_a_body_is_suggested_under_its_countrys_government_and_side_is_left_empty():
    d = draft(
        "The Cuban government confirmed the deaths. The Cuban presidency issued messages "
        "of condolence. President Miguel Díaz-Canel declared mourning."
    )
    by_name = {s.name: s for s in d.sources}
    gov = d.sources.index(by_name["The Cuban government"])
    presidency = d.sources.index(by_name["The Cuban presidency"])
    assert by_name["The Cuban presidency"].parent == gov
    assert by_name["President Miguel Díaz-Canel"].parent == presidency
    assert all(s.side is None for s in d.sources)


def test_unnamed_sources():
    found = draft(
        "A senior police officer, who asked not to be named, said the alarm was off. "
        "Analysts warn the strike may spread."
    )
    assert [(s.name, s.kind) for s in found.sources] == [
        ("A senior police officer", "unnamed"),
        ("Analysts", "unnamed"),
    ]


def test_a_statement_quoted_inside_a_statement():
    found = attributed(
        'Union leader Grace Mbeki said the chairman had told negotiators that "the offer '
        'is final". "When he says \'final\', he means he has stopped listening," Mbeki said.'
    )
    assert found[0][:3] == ("Union leader Grace Mbeki", "said", PARAPHRASE)
    assert found[1] == ("The chairman", "told", QUOTE, "the offer is final")
    # "says" inside Mbeki's quotation is her words, not a cue of the article
    assert found[2] == (
        "Union leader Grace Mbeki",
        "said",
        QUOTE,
        "When he says 'final', he means he has stopped listening",
    )
    assert len(found) == 3


@pytest.mark.parametrize(
    "sentence, cue",
    [
        ("Washington characterised the mission as a law-enforcement action.", "characterised"),
        ("The party characterized the vote as rigged.", "characterized"),
        ("The ruling party described Kovač as an experienced lawyer.", "described"),
        ("Western governments framed the mission as a lawful response.", "framed"),
        ("The opposition called the budget a betrayal.", "called"),
        ("The minister denounced the strike as sabotage.", "denounced"),
    ],
)
def test_framing_cues(sentence, cue):
    [(_, found_cue, kind, _)] = attributed(sentence)
    assert (found_cue, kind) == (cue, FRAMING)


def test_described_without_as_and_called_for_are_not_framing():
    assert [c[2] for c in attributed("The mayor described the damage in detail.")] == [PARAPHRASE]
    assert [c[1:3] for c in attributed("The union called for a strike.")] == []


def test_a_quote_is_a_quote_even_with_a_framing_verb():
    [(_, cue, kind, quoted)] = attributed('Critics called the process "rushed and opaque".')
    assert (cue, kind, quoted) == ("called", QUOTE, "rushed and opaque")


@pytest.mark.parametrize("verb", ["appointed", "killed", "captured", "launched"])
def test_an_act_verb_makes_no_speaker(verb):
    found = claims(f"The Supreme Court {verb} Delcy Rodríguez on Sunday.")
    assert found == [(None, "states", OWN, "")]


def test_the_act_verbs_are_not_in_the_reporting_lexicon():
    assert not ACT_VERBS & set(REPORTING)


def test_statements_with_no_source_are_the_articles_own_and_keep_their_hedges():
    d = draft("The deaths are likely to deepen the crisis and could influence future alignments.")
    [c] = d.claims
    assert (c.source, c.kind) == (None, OWN)
    assert c.hedges == ["could", "likely"]
    assert "likely" in c.content and "could" in c.content


def test_the_articles_own_clause_beside_an_attribution():
    found = claims(
        "While Washington characterised the mission as a law-enforcement action, the "
        "intensity of combat led to significant casualties among the personnel."
    )
    assert found[0][:3] == ("Washington", "characterised", FRAMING)
    assert found[1][:3] == (None, "states", OWN)


def test_a_passive_with_by_names_its_source():
    found = attributed(
        "The grant was confirmed in a statement by the U.S. Department of Energy on Wednesday."
    )
    assert found == [("The U.S. Department of Energy", "confirmed", PARAPHRASE, "")]


def test_a_participle_shares_its_clauses_subject():
    found = attributed(
        "The Maduro government denounced the action as aggression, accusing Washington of "
        "violating sovereignty."
    )
    assert [(n, c) for n, c, *_ in found] == [
        ("The Maduro government", "denounced"),
        ("The Maduro government", "accusing"),
    ]


def test_a_noun_that_looks_like_a_verb_is_no_cue():
    assert attributed("The claims were rejected. The calls went unanswered.") == []


def test_a_quotation_with_no_speaker_is_flagged_not_given_to_the_article():
    d = draft('"We will never surrender to anyone at all."')
    [c] = d.claims
    assert c.kind == QUOTE and d.sources[c.source].kind == "unknown"
    assert any("no speaker" in n for n in d.notes)


def test_evidence_is_the_sentence_verbatim_in_its_section():
    d = draft(
        'Harbour Works\n\nThe port will close, the council said. "It is needed," said '
        "Jo Park. Ships will wait."
    )
    for c in d.claims:
        assert c.evidence in d.sections[c.section].body


words = st.sampled_from(
    [
        "the",
        "mayor",
        "said",
        "council",
        "officials",
        "told",
        "reporters",
        "that",
        "prices",
        "rose",
        "2.5",
        "per",
        "cent",
        "Dr.",
        "Smith",
        "U.S.",
        "“we",
        "will",
        "act.”",
        '"no"',
        "according",
        "to",
        "police",
        ",",
        ".",
        "!",
        "?",
        "he",
        "she",
        "it",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=3, max_size=40).map(" ".join))
def test_any_text_gives_verbatim_evidence_or_a_clear_refusal(text):
    from drafting import DraftError

    try:
        d = draft(text)
    except DraftError as error:
        assert error.code in {"no_sentences", "empty"}
        return
    for c in d.claims:
        assert c.evidence in d.sections[c.section].body
        assert c.quoted in c.evidence
