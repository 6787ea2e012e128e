"""Claims from sentences: quotations and reported speech found with a reporting-verb
lexicon, each with its source, cue, kind, content and evidence. Pure Python (no Django).

Only a reporting verb or a quotation makes a claim attributed: an act verb (appointed,
killed, captured, launched) is not in the lexicon, so its actor is never a speaker and the
sentence is the article's own statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import (
    ACCORDING,
    APPOSITIVE,
    BREAK,
    BY,
    CUT,
    FRAMING_ALWAYS,
    FRAMING_WITH_AS,
    HEDGES,
    Cue,
    clean_np,
    find_cues,
    last_np,
)
from .lexicon import INSTITUTION_WORDS, TITLE_WORDS, country_of
from .sources import Registry
from .text import Section, quote_spans

QUOTE, PARAPHRASE, FRAMING, OWN = "quote", "paraphrase", "framing", "unattributed"


@dataclass
class Claim:
    section: int
    sentence: int  # index in the section's sentences
    source: int | None  # index into the registry; None: the article's own statement
    cue: str
    kind: str
    content: str
    evidence: str
    quoted: str = ""
    hedges: list[str] = field(default_factory=list)
    named: bool = True  # the evidence names the source (not only a pronoun)


class Extractor:
    def __init__(self, registry: Registry):
        self.reg = registry
        self.claims: list[Claim] = []
        self.notes: list[str] = []
        self._last_speaker: int | None = None
        self._last_quote_speaker: tuple | None = None  # (paragraph key, source, cue)
        self._pending_description = ""
        self._sentence_no = 0
        self._seen: dict[int, int] = {}  # source -> the sentence it was last named in
        self._last_person_text = ""

    # -- one sentence ------------------------------------------------------------------
    def sentence(self, si: int, idx: int, s: str, para_key: tuple, context: str) -> None:
        self._sentence_no += 1
        try:
            self._sentence(si, idx, s, para_key, context)
        finally:
            mentions = self._person_mentions(s)
            if mentions:
                self._last_person_text = mentions[-1][1]

    def _sentence(self, si: int, idx: int, s: str, para_key: tuple, context: str) -> None:
        spans, balanced = quote_spans(s)
        cues = find_cues(s, spans)
        according = [m for m in ACCORDING.finditer(s) if not _inside(m.start(), spans)]
        if not balanced:
            self.notes.append(f"Unbalanced quotation marks in: {s[:80]}")
        if according:
            self._according(si, idx, s, according[0], spans, context)
            return
        if not cues:
            self._no_cue(si, idx, s, spans, para_key)
            return
        for i, cue in enumerate(cues):
            prev = cues[i - 1] if i else None
            self._find_source(s, cue, prev, spans, context)
        cues = [cue for cue in cues if cue.source is not None]
        if not cues:
            self._no_cue(si, idx, s, spans, para_key)
            return
        owners = self._quote_owners(cues, spans)
        first = cues[0]
        after_first = s[first.end : cues[1].start if len(cues) > 1 else len(s)]
        # "X will close for six weeks, the city announced on Monday": the words before
        # the source are what it announced, not the article's own.
        ends_with_cue = not spans and len(re.findall(r"\w+", after_first)) <= 3
        own_prefix = "" if ends_with_cue else self._own_prefix(s, first)
        if own_prefix:
            self._add(si, idx, None, "states", OWN, own_prefix, s)
        subordinate = re.match(r"^(While|Although|Though|Whereas)\b", s)
        remainder = ""
        for i, cue in enumerate(cues):
            end = len(s)
            if i + 1 < len(cues):
                nxt = cues[i + 1]
                end = nxt.subject_start if (nxt.subject_start or 0) > cue.end else nxt.start
            if i + 1 < len(cues) and not s[cue.end : end].strip(" ,"):
                end = len(s)  # "Mbeki said the chairman had told …": her claim holds his
            brk = BREAK.search(s, cue.end, end)
            if subordinate and i == 0:
                brk = re.compile(r",\s").search(s, cue.end, end) or brk
            if brk and not any(a < brk.start() < b for a, b in spans):
                rest = s[brk.end() :].strip(" ,.;")
                if i + 1 == len(cues) and len(rest.split()) >= 6:
                    remainder = rest
                end = brk.start()
            if cue.source is None:
                continue
            quotes = [s[a + 1 : b - 1].strip(" ,;:") for a, b in owners.get(i, [])]
            content = self._content(s, cue, end, quotes)
            if i == 0 and ends_with_cue and (first.subject_start or 0) > 0:
                content = s[: first.subject_start].rstrip(" ,;:—–")
            kind = self._kind(s, cue, end, quotes)
            quoted = ""
            if quotes:
                longest = max(quotes, key=len)
                quoted = longest if len(longest) <= 300 else longest[:300].rsplit(" ", 1)[0]
            for source in [cue.source, *cue.members]:
                self._add(si, idx, source, cue.text, kind, content, s, quoted, cue.named)
            if quotes:
                self._last_quote_speaker = (para_key, cue.source, cue.text)
            self._last_speaker = cue.source
        if remainder:
            self._add(si, idx, None, "states", OWN, remainder, s)

    def _find_source(self, s: str, cue: Cue, prev: Cue | None, spans, context: str) -> None:
        left_start = prev.end if prev else 0
        for _, b in spans:
            if left_start < b <= cue.start:
                left_start = b
        left = s[left_start : cue.start]
        by = BY.match(s[cue.end :])
        appositive = named_as = None
        app = APPOSITIVE.search(left)
        if app:
            # "U.S. officials, including President Donald Trump, acknowledged"; "Their
            # union, the Garment Workers' Federation, called"; "X, who leads it, said"
            appositive, left = app.group("app"), left[: app.start()]
            if re.match(r"the\s+[A-Z]", appositive):
                named_as, appositive = appositive, None
        elif left.rstrip().endswith(",") and not clean_np(CUT.split(left)[-1]):
            # "The chairman, Victor Lang, said": the name between the commas is the source
            parts = [p.strip() for p in left.rstrip().rstrip(",").split(",")]
            if len(parts) >= 2 and re.match(r"[A-Z]", parts[-1]):
                named_as, left = parts[-1], parts[-2]
        pieces = CUT.split(left)
        seg = pieces[-1] if pieces else ""
        if clean_np(seg).lower() in ("who", "which", "that") and len(pieces) > 1:
            seg = pieces[-2]  # "a point of contention among critics, who argue"
        np = named_as or clean_np(last_np(clean_np(seg)))
        inherited = None
        if prev is not None and prev.source is not None and re.search(r"\b(and|but|or)\s*$", seg):
            np = ""  # "declared ... and announced": the same subject
        if by and cue.text.endswith(("ed", "d")):
            np = clean_np(re.split(r"\s+(?:on|in|at|during|after|before)\s", by.group(1))[0])
            cue.after = True
        elif not np:
            if prev is not None and prev.source is not None:
                inherited = prev.source
            elif not cue.text.endswith("ing"):
                np = self._after_np(s, cue)
                cue.after = bool(np)
        if inherited is not None:
            cue.source, cue.named = inherited, prev.named
            return
        if not np:
            return
        cue.subject_start = s.rfind(np, 0, cue.start) if not cue.after else None
        if np.lower() in ("he", "she"):
            person = self._person_for_pronoun(s, cue.start, context)
            if person is not None:
                cue.source, cue.named = person, False
                return
        if named_as and not cue.after:
            cue.subject_start = s.rfind(seg.strip() or np, 0, cue.start)
        index = self.reg.resolve(np, context)
        if index is None:
            return
        cue.source = index
        cue.named = np.lower() not in ("he", "she", "they", "it")
        src = self.reg.sources[index]
        if named_as and clean_np(seg):
            role = clean_np(seg)
            self.reg.name_role(index, role)
            src.description = src.description or f"{role[0].upper()}{role[1:]}, in the article."
        if appositive:
            member = re.match(r"^\s*(?:including|among them|such as|notably)\s+(.+)$", appositive)
            if member and not re.search(r",| and ", member.group(1)):
                m_index = self.reg.resolve(member.group(1).strip(), context)
                if m_index is not None:
                    self.reg.add_member(index, m_index)
                    cue.members.append(m_index)
            src.description = src.description or f"{src.name}, {appositive.strip()}"
        if cue.after and self._pending_description:
            src.description = src.description or f"{src.name}, {self._pending_description}"
        self._pending_description = ""

    def _person_mentions(self, s: str) -> list[tuple[int, str]]:
        known = self.reg.known_surnames | {
            src.identity[-1] for src in self.reg.sources if src.identity[0] == "person"
        }
        found = []
        for m in re.finditer(r"(?:[A-Z][\w’'-]*\.?\s+){0,4}[A-Z][\w’'-]+", s):
            words = m.group(0).split()
            if words[-1].lower() in known:
                found.append((m.start(), m.group(0)))
        return found

    def _person_for_pronoun(self, s: str, pos: int, context: str) -> int | None:
        """ "he said": the last person who spoke, if named in this sentence or the one
        before; otherwise the last person the article named."""
        speaker = self.reg.last_by_type.get("person")
        if speaker is not None and self._sentence_no - self._seen.get(speaker, -9) <= 1:
            return speaker
        before = [text for at, text in self._person_mentions(s) if at < pos]
        mention = before[-1] if before else self._last_person_text
        if mention:
            return self.reg.resolve(mention, context)
        return speaker

    def _after_np(self, s: str, cue: Cue) -> str:
        """The source after the verb: '"…," said Dr. Helen Okafor, the city's chief
        engineer.' -> "Dr. Helen Okafor" (and its description)."""
        rest = s[cue.end :]
        stop = re.search(
            r"[,;]|\.\s*$|\s+(?:in|on|at|that|who|during|after|before|when|to)\b", rest
        )
        np = (rest[: stop.start()] if stop else rest).strip()
        if not np or len(np.split()) > 7 or not re.match(r"(?:the |a |an )?[A-Za-z]", np):
            return ""
        desc = re.match(
            r"^,\s+((?:a|an|the|who)\s+[^;]+?)\.?$", rest[stop.start() :] if stop else ""
        )
        if desc:
            self._pending_description = desc.group(1)
        return np

    def _quote_owners(self, cues, spans) -> dict[int, list]:
        owners: dict[int, list] = {}
        for a, b in spans:
            owner = 0
            for i, cue in enumerate(cues):
                if cue.start <= a:
                    owner = i
            if cues[owner].source is None:
                continue
            owners.setdefault(owner, []).append((a, b))
        return owners

    def _own_prefix(self, s: str, cue: Cue) -> str:
        start = cue.subject_start
        if not start or start <= 0:
            return ""
        if any(a < start for a, _ in quote_spans(s)[0]):
            return ""  # the words before the source are its quotation
        prefix = s[:start].rstrip(" ,;:—–")
        head, _, tail = prefix.rpartition(",")
        if head and len(tail.split()) <= 8:
            prefix = head  # "…, a point of contention among" critics who argue
        if len(prefix.split()) < 8 or re.search(r"statement|interview|speech|told|post", prefix):
            return ""
        return prefix

    def _content(self, s: str, cue: Cue, end: int, quotes: list[str]) -> str:
        text = s[cue.end : end].strip(" ,;:.")
        text = re.sub(r"^(?:by\s+[^,]+,?\s*)", "", text) if cue.after else text
        text = re.sub(r"\s*(?:,\s*)?(?:and|but|while|or|with)$", "", text).strip(" ,;:.")
        if cue.after or not text or re.fullmatch(r"(?:on|in|at|last|this|earlier)\b.{0,20}", text):
            return " … ".join(quotes) if quotes else ""  # "said on Monday": nothing said
        return text

    def _kind(self, s: str, cue: Cue, end: int, quotes: list[str]) -> str:
        if quotes:
            return QUOTE
        if FRAMING_ALWAYS.match(cue.text):
            return FRAMING
        if FRAMING_WITH_AS.match(cue.text):
            clause = s[cue.end : end]
            if re.search(r"\bas\b", clause) or cue.text.startswith("call"):
                return FRAMING
        return PARAPHRASE

    def _according(self, si, idx, s, m, spans, context) -> None:
        tail = s[m.end() :]
        np_m = re.match(r"^([^,.;]+?)(?=,|\.$|\.\s|;|$)", tail)
        raw = np_m.group(1) if np_m else ""
        consumed = len(raw)
        np = re.sub(
            r"^(?:a |the )?(?:statement|figures|data|report|estimates?) (?:from|by|of) ", "", raw
        )
        named = re.match(r"^,\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)+)\.?$", tail[consumed:])
        if named:  # "according to a statement from its leader, Joan Whitley."
            np, consumed = named.group(1), consumed + named.end()
        index = self.reg.resolve(clean_np(np), context) if np else None
        content = (s[: m.start()] + tail[consumed:]).strip(" ,.;")
        if index is None:
            self._add(si, idx, None, "states", OWN, s, s)
            return
        quotes = [s[a + 1 : b - 1] for a, b in spans]
        kind = QUOTE if quotes else PARAPHRASE
        quoted = max(quotes, key=len) if quotes else ""
        self._add(si, idx, index, "according to", kind, content or s, s, quoted[:300])
        self._last_speaker = index

    def _no_cue(self, si, idx, s, spans, para_key) -> None:
        quotes = [s[a + 1 : b - 1].strip(" ,;:") for a, b in spans]
        long_quotes = [q for q in quotes if len(q.split()) >= 4]
        if long_quotes:
            last = self._last_quote_speaker
            if last and last[0] == para_key:
                # A quotation continuing the previous speaker's, in the same paragraph.
                source = last[1]
                self._add(si, idx, source, last[2], QUOTE, s, s, max(long_quotes, key=len))
                self.claims[-1].named = False
                return
            self.notes.append(f"A quotation with no speaker found: {s[:80]}")
            unknown = self.reg.unknown()
            self._add(si, idx, unknown, "said", QUOTE, s, s, max(long_quotes, key=len)[:300])
            self.claims[-1].named = False
            return
        self._add(si, idx, None, "states", OWN, s, s)

    def _add(self, si, idx, source, cue, kind, content, evidence, quoted="", named=True):
        hedges = sorted({h.lower() for h in HEDGES.findall(content)})
        if source is not None and named:
            self._seen[source] = self._sentence_no
        if kind == QUOTE and not quoted:
            kind = PARAPHRASE
        if source is None and not content:
            content = evidence
        self.claims.append(
            Claim(si, idx, source, cue, kind, content.strip(), evidence, quoted, hedges, named)
        )


def _inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


_NAME_RUN = re.compile(r"\b(?:[A-Z][\w’'-]*\.?\s+){1,4}[A-Z][\w’'-]+")


def known_surnames(text: str) -> dict[str, str]:
    """Surnames of the article's people, each with its fullest mention: last words of
    runs of capitalised words that are not institutions or countries ("President Donald
    Trump" -> {"trump": "President Donald Trump"})."""
    names: dict[str, str] = {}
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        if any(w.lower() in INSTITUTION_WORDS or country_of(w) for w in words):
            continue
        if words[0] in ("The", "In", "A", "An", "On", "As", "With", "For", "At", "But"):
            words = words[1:]
        if len(words) >= 2 and words[-1].lower() not in TITLE_WORDS:
            full = " ".join(words)
            if len(full) > len(names.get(words[-1].lower(), "")):
                names[words[-1].lower()] = full
    return names


def extract(sections: list[Section], full_text: str) -> tuple[Registry, list[Claim], list[str]]:
    registry = Registry(known_surnames(full_text))
    ex = Extractor(registry)
    for si, section in enumerate(sections):
        for idx, sent in enumerate(section.sentences):
            para = section.paragraphs[sent.paragraph]
            ex.sentence(si, idx, sent.text, (si, sent.paragraph), para)
    registry.suggest_parents()
    mapping = registry.compact()
    for c in ex.claims:
        c.source = mapping[c.source] if c.source is not None else None
    return registry, ex.claims, ex.notes
