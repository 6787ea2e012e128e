"""Reading the paste: normalising, HTML, sections from headings, sentences."""

import pytest

from drafting.text import (
    html_to_text,
    looks_like_html,
    normalise,
    paragraphs_of,
    quote_spans,
    sections_of,
    split_sentences,
)


def sentences(text):
    return [s for _, s in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviations of titles and months
        (
            "Dr. Ana Ruiz met Mr. Li on Jan. 5 in the city. They spoke for an hour.",
            ["Dr. Ana Ruiz met Mr. Li on Jan. 5 in the city.", "They spoke for an hour."],
        ),
        # initials
        (
            "Prof. J. R. Mills agreed. The board did not.",
            ["Prof. J. R. Mills agreed.", "The board did not."],
        ),
        # "U.S." inside a sentence, and ending one
        (
            "U.S. officials flew to the U.S. Embassy. They left for the U.S. The talks ended.",
            [
                "U.S. officials flew to the U.S. Embassy.",
                "They left for the U.S.",
                "The talks ended.",
            ],
        ),
        # decimal numbers and money
        (
            "Prices rose 2.5 per cent to $4.75 a litre. Drivers complained.",
            ["Prices rose 2.5 per cent to $4.75 a litre.", "Drivers complained."],
        ),
        # a quotation of several sentences stays with its attribution
        (
            '"We will rebuild. We will not leave," she said. The storm had passed.',
            ['"We will rebuild. We will not leave," she said.', "The storm had passed."],
        ),
        (
            "“It is over. Go home!” the officer shouted. Nobody moved.",
            ["“It is over. Go home!” the officer shouted.", "Nobody moved."],
        ),
        # a sentence that ends inside a closing quote
        (
            "He called it “a disaster.” Then he left.",
            ["He called it “a disaster.”", "Then he left."],
        ),
    ],
)
def test_sentences_split_at_real_boundaries_only(text, expected):
    assert sentences(text) == expected


def test_every_sentence_is_a_verbatim_substring_of_its_paragraph():
    para = 'Sen. Hall said: "No. Never." Gen. Ortiz, 61, disagreed. It rained.'
    for offset, sentence in split_sentences(para):
        assert para[offset : offset + len(sentence)] == sentence


def test_unbalanced_quotation_marks_do_not_swallow_the_paragraph():
    para = 'The mayor said "we will act. Then the council met. It voted.'
    spans, balanced = quote_spans(para)
    assert not balanced and spans == []
    assert len(sentences(para)) == 3


def test_apostrophes_are_not_quotation_marks():
    spans, balanced = quote_spans("The union’s leader said it wasn’t over.")
    assert spans == [] and balanced


def test_headings_start_sections_and_text_before_any_heading_gets_its_own():
    text = "An opening paragraph here.\n\nThe Vote\n\nThe council voted. It was close.\n\nAfter the Vote\n\nProtests began."
    sections = sections_of(text, first_title="The opening")
    assert [s.title for s in sections] == ["The opening", "The Vote", "After the Vote"]
    assert sections[1].body == "The council voted. It was close."
    assert [s.text for s in sections[1].sentences] == ["The council voted.", "It was close."]


def test_one_paragraph_per_line_and_hard_wrapped_paragraphs_are_both_read():
    assert paragraphs_of("First line ends here.\nSecond paragraph.") == [
        "First line ends here.",
        "Second paragraph.",
    ]
    assert paragraphs_of("A sentence that was\nwrapped by the editor.") == [
        "A sentence that was wrapped by the editor."
    ]


def test_normalise_keeps_paragraphs_and_drops_control_characters():
    raw = "Title\r\n\r\nA\u00a0line\u200b with  spaces.\x07\r\n"
    assert normalise(raw) == "Title\n\nA line with spaces."


def test_html_is_reduced_to_paragraphs_without_scripts():
    html = (
        "<html><head><style>p{}</style></head><body><h2>Heading</h2>"
        "<p>First &amp; <b>bold</b>.</p><script>alert(1)</script><p>Second.</p></body></html>"
    )
    assert looks_like_html(html)
    assert paragraphs_of(normalise(html_to_text(html))) == ["Heading", "First & bold.", "Second."]


def test_plain_text_with_a_less_than_sign_is_not_html():
    assert not looks_like_html("Turnout was < 40 per cent, officials said.")
