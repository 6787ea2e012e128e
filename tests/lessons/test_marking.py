"""The marking of the reading: pure functions, no database, no browser."""

import html as htmllib
import re

from lessons.marking import (
    ClaimMark,
    evidence_anchor,
    mark_paragraph,
    mark_section,
    paragraphs,
    sentence_anchor,
)

BODY = (
    "Havana confirmed that 32 Cuban nationals were killed. Officials called it “aggression”.\n\n"
    "Washington characterised the mission as a law-enforcement action. The U.S. raid ended."
)


def _text(html: str) -> str:
    """The visible words, without tags or the tags' labels."""
    html = re.sub(r'<span class="claim-tag">.*?</span></span>', "", html)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def test_paragraphs_are_split_on_blank_lines_with_offsets():
    parts = paragraphs("One.\n\n  Two.\r\n\r\nThree.\n")
    assert [p.text for p in parts] == ["One.", "Two.", "Three."]
    assert paragraphs(BODY)[1].start == BODY.index("Washington")


def test_each_claim_is_marked_tagged_and_anchored():
    claims = [
        ClaimMark(
            "havana-confirms",
            "Havana confirmed that 32 Cuban nationals were killed.",
            "Cuban government",
            "paraphrase",
        ),
        ClaimMark(
            "us-frames",
            "characterised the mission as a law-enforcement action",
            "Washington",
            "framing",
        ),
    ]
    first, second = mark_section(BODY, claims, section_anchor="section-a")
    assert '<span class="claim-anchor" id="claim-havana-confirms"></span>' in first
    assert (
        '<mark class="claim claim-paraphrase">'
        "Havana confirmed that 32 Cuban nationals were killed.</mark>" in first
    )
    assert "Cuban government, paraphrase" in first
    assert (
        '<mark class="claim claim-framing">'
        "characterised the mission as a law-enforcement action</mark>" in second
    )
    assert "Washington, framing" in second
    # The words of the reading are all there, in order, once.
    assert [_text(first), _text(second)] == [p.text for p in paragraphs(BODY)]


def test_visible_text_is_the_body_exactly():
    claims = [ClaimMark("a", "32 Cuban nationals", "Cuba", "quote")]
    first, second = mark_section(BODY, claims)
    assert _text(first) == paragraphs(BODY)[0].text
    assert _text(second) == paragraphs(BODY)[1].text


def test_html_special_characters_are_escaped_everywhere():
    body = 'He said <script>alert("x")</script> & left. Then "A & B" <b>spoke</b>.'
    claims = [ClaimMark("k", '"A & B" <b>spoke</b>', "Critics <i>& co</i>", "quote")]
    (html,) = mark_section(body, claims)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html
    assert "&quot;A &amp; B&quot; &lt;b&gt;spoke&lt;/b&gt;" in html
    assert "Critics &lt;i&gt;&amp; co&lt;/i&gt;, quote" in html


def test_overlapping_spans_are_cut_and_both_marked():
    text = "Cuba mourned the dead and condemned the raid as aggression."
    claims = [
        ClaimMark("mourn", "Cuba mourned the dead and condemned", "Cuba", "paraphrase"),
        ClaimMark("frame", "condemned the raid as aggression", "Cuban leadership", "framing"),
    ]
    html = mark_paragraph(text, claims)
    assert _text(html) == text
    # Three pieces: only the first claim, both, only the second.
    assert '<mark class="claim claim-paraphrase">Cuba mourned the dead and </mark>' in html
    assert '<mark class="claim claim-framing claim-overlap">condemned</mark>' in html
    assert '<mark class="claim claim-framing"> the raid as aggression.</mark>' not in html
    assert '<mark class="claim claim-framing"> the raid as aggression</mark>' in html
    # Each claim is tagged once, where it ends.
    assert html.count("Cuba, paraphrase") == 1
    assert html.count("Cuban leadership, framing") == 1
    assert html.index("Cuba, paraphrase") < html.index(" the raid")
    assert 'id="claim-mourn"' in html and 'id="claim-frame"' in html


def test_a_span_inside_another_takes_its_own_look():
    text = "Trump said the losses were “a lot” but no Americans died."
    claims = [
        ClaimMark("outer", text, "Trump", "paraphrase"),
        ClaimMark("inner", "“a lot”", "Trump", "quote"),
    ]
    html = mark_paragraph(text, claims)
    assert _text(html) == text
    assert '<mark class="claim claim-quote claim-overlap">' in html
    assert html.count('class="claim-tag"') == 2


def test_repeated_span_gets_one_mark_two_anchors_and_one_tag_naming_both():
    text = "State media and the government praised the fallen."
    claims = [
        ClaimMark("media", "praised the fallen", "State media", "paraphrase"),
        ClaimMark("gov", "praised the fallen", "Cuban government", "paraphrase"),
    ]
    html = mark_paragraph(text, claims)
    assert html.count("<mark") == 1
    assert 'id="claim-media"' in html and 'id="claim-gov"' in html
    assert "State media, paraphrase; Cuban government, paraphrase" in html


def test_evidence_repeated_in_two_paragraphs_is_marked_once():
    body = "Cuba mourned.\n\nLater, Cuba mourned."
    html = mark_section(body, [ClaimMark("m", "Cuba mourned.", "Cuba", "paraphrase")])
    assert "".join(html).count('id="claim-m"') == 1


def test_missing_or_empty_evidence_marks_nothing():
    html = mark_paragraph(
        "Plain text.", [ClaimMark("x", "not here", "A", "quote"), ClaimMark("y", "", "B", "quote")]
    )
    assert "<mark" not in html and "claim-" not in html
    assert _text(html) == "Plain text."


def test_sentences_are_anchored_across_paragraphs():
    html = "".join(mark_section(BODY, [], section_anchor="s"))
    assert [m for m in re.findall(r'id="(s-s\d+)"', html)] == ["s-s0", "s-s1", "s-s2", "s-s3"]
    # "The U.S. raid" is one sentence: "U.S. raid" does not start a new one.
    assert html.count("sentence-anchor") == 4


def test_sentence_anchor_finds_the_sentence_that_holds_the_evidence():
    assert sentence_anchor("s", BODY, "Officials called it") == "s-s1"
    assert sentence_anchor("s", BODY, "law-enforcement action") == "s-s2"
    assert sentence_anchor("s", BODY, "The U.S. raid ended.") == "s-s3"
    assert sentence_anchor("s", BODY, "not in the body") is None
    assert sentence_anchor("s", BODY, "") is None


def test_evidence_anchor_prefers_the_claim():
    claim = ClaimMark("us-frames", "Washington characterised the mission", "Washington", "framing")
    at = {"section_anchor": "s", "body": BODY}
    assert evidence_anchor("characterised the mission", claim, **at) == "claim-us-frames"
    assert evidence_anchor("", claim, **at) == "claim-us-frames"
    assert evidence_anchor("The U.S. raid ended.", claim, **at) == "s-s3"
    assert evidence_anchor("not in the body", None, **at) == "s"
    assert evidence_anchor("The U.S. raid ended.", None) is None
