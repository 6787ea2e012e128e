"""The article as text: normalising a paste, sections from headings and paragraphs,
quotation spans and sentences. Pure Python (no Django).

Sentence boundaries are found by rule: a `.`, `!` or `?` (with any closing quotes or
brackets) followed by a space and a capital, a digit or an opening quote, unless the word
before it is a known abbreviation ("Dr.", "Jan."), an initial ("J.") or a dotted acronym
("U.S.") that is not followed by a word that usually opens a sentence, and never inside a
quotation: a quote of several sentences stays in one sentence with its attribution.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .lexicon import ABBREVIATIONS, END_ABBREVIATIONS, SENTENCE_OPENERS, words

OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
STRAIGHT = '"'


_BLOCK_TAGS = words(
    "p div br h1 h2 h3 h4 h5 h6 li ul ol blockquote section article header footer tr table"
)
_SKIP_TAGS = words("script style head noscript template svg")
HTML_HINT = re.compile(
    r"<\s*/?\s*(p|div|br|h[1-6]|span|a|html|body|li|b|i|em|strong)\b[^>]*>", re.I
)


class _TextFromHTML(HTMLParser):
    """Text of an HTML paste: block elements become paragraphs, headings their own
    lines, scripts and styles are dropped. The standard library's parser is forgiving of
    broken markup, which a paste often is."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def looks_like_html(text: str) -> bool:
    return len(HTML_HINT.findall(text)) >= 2


def html_to_text(text: str) -> str:
    parser = _TextFromHTML()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str) -> str:
    """Unicode NFC, one kind of line break and of space, no control characters, no
    trailing spaces; paragraphs (and the line breaks between them) are kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


@dataclass
class Sentence:
    text: str
    start: int  # offset in the paragraph
    paragraph: int  # index of the paragraph in its section


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


_END = ".!?"


def is_heading(line: str) -> bool:
    """A short line with no closing punctuation that does not start in lower case."""
    words = line.split()
    if not words or len(words) > 14 or len(line) > 120:
        return False
    if line[-1] in _END + ",;" + CLOSE_QUOTES + STRAIGHT + "’'":
        return False
    if line[0].islower():
        return False
    return sum(1 for c in line if c.isalpha()) >= 3


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs: blocks between blank lines; inside a block, a heading line stands
    alone and a line that ends a sentence ends its paragraph (a paste with one paragraph
    per line), while a line that does not is joined to the next (hard-wrapped text)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        for n, line in enumerate(lines):
            follows = lines[n + 1] if n + 1 < len(lines) else ""
            if is_heading(line) and not current and not follows[:1].islower():
                out.append(line)
                continue
            current.append(line)
            if line[-1] in _END + CLOSE_QUOTES + STRAIGHT + "’":
                out.append(" ".join(current))
                current = []
        if current:
            out.append(" ".join(current))
    return out


def quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans (start, end) of the quotations in `text`, marks included, and whether the
    marks balance. Curly marks pair by nesting; straight marks pair in turn; an
    apostrophe is never a quotation mark. An unmatched mark opens nothing."""
    spans: list[tuple[int, int]] = []
    balanced = True
    depth_start: list[int] = []
    straight_open: int | None = None
    for i, ch in enumerate(text):
        if ch in OPEN_QUOTES:
            depth_start.append(i)
        elif ch in CLOSE_QUOTES:
            if depth_start:
                start = depth_start.pop()
                if not depth_start:
                    spans.append((start, i + 1))
            else:
                balanced = False
        elif ch == STRAIGHT:
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open, i + 1))
                straight_open = None
    if depth_start or straight_open is not None:
        balanced = False
    spans.sort()
    return spans, balanced


_BOUNDARY = re.compile(r"[.!?]+[”»\"’')\]]*(?=\s+[\"“«‘(\[]?[A-Z0-9À-ÖØ-Þ])")


def _word_before(text: str, end: int) -> str:
    m = re.search(r"([\w.’'-]+)$", text[:end])
    return m.group(1) if m else ""


def _is_boundary(text: str, match: re.Match) -> bool:
    if match.group(0)[0] != ".":
        return True
    word = _word_before(text, match.start())
    bare = word.strip(".").lower()
    nxt = re.match(r"\s+[\"“«‘(\[]?([\w’'-]+)", text[match.end() :])
    next_word = nxt.group(1).lower() if nxt else ""
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word) or re.fullmatch(r"[A-Z]", word):
        # "U.S." / "a.m." / an initial "J.": a boundary only before a usual opener.
        return len(word) > 1 and next_word in SENTENCE_OPENERS
    if bare in END_ABBREVIATIONS:
        return next_word in SENTENCE_OPENERS
    return bare not in ABBREVIATIONS


def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; each sentence is a verbatim substring of `paragraph`."""
    spans, _ = quote_spans(paragraph)
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        end = m.end()
        if any(s < end - 1 < e - 1 for s, e in spans):
            continue  # inside a quotation: the quote and its attribution stay together
        if not _is_boundary(paragraph, m):
            continue
        piece = paragraph[start:end].strip()
        if piece:
            out.append((paragraph.index(piece, start), piece))
        start = end
    piece = paragraph[start:].strip()
    if piece:
        out.append((paragraph.index(piece, start), piece))
    return out


def has_words(sentence: str) -> bool:
    return len(re.findall(r"[^\W\d_]{2,}", sentence)) >= 3


def sections_of(text: str, first_title: str = "Introduction") -> list[Section]:
    """The article's sections: a heading starts one; text before any heading goes in a
    first section titled `first_title`."""
    sections: list[Section] = []
    for para in paragraphs_of(text):
        if is_heading(para):
            sections.append(Section(title=para))
            continue
        if not sections:
            sections.append(Section(title=first_title))
        section = sections[-1]
        section.paragraphs.append(para)
        index = len(section.paragraphs) - 1
        for offset, sentence in split_sentences(para):
            section.sentences.append(Sentence(sentence, offset, index))
    return [s for s in sections if s.paragraphs]
