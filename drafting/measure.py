"""Benchmark the drafter against hand-made claims (docs/authoring.md, "Measure it").

    python -m drafting.measure [--article PATH --bundle PATH] [--fixtures DIR] [-v]

Two kinds of reference:
- the shipped article (read from ../shared/article/, never copied into the repository)
  against the shipped bundle's claims, read from lessons/bundles/ when the script runs.
  The bundle's reading is in its own words, so each of its claims is first aligned with
  the article sentence that shares the most of its words (shown with -v);
- the fixtures in tests/drafting/fixtures/: invented news texts whose expected claims
  give their evidence as the exact sentence.

Figures: the share of the reference's attributed claims that the draft finds with the
right source and cue; the share of its quotes the draft marks as quotes; the share of the
draft's claims that match no reference claim of their sentence (wrong). And the time to
draft (text to bundle) each article.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import draft_from_text
from .extract import OWN, QUOTE
from .lexicon import country_of, words

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared/article/cuba-venezuela-casualties.txt"
BUNDLE = ROOT / "lessons/bundles/cuba-venezuela-casualties.json"
FIXTURES = ROOT / "tests/drafting/fixtures"
STOP = words(
    "the a an of and in on to for by with its their his her that this as at from is are "
    "was were has have had be been it they he she who which including among unnamed "
    "voice article own"
)


@dataclass
class Ref:
    sentence: str  # the article's sentence the claim is about
    source: str | None  # None: the article's own statement
    cue: str
    kind: str
    quoted: str = ""


def _stem(word: str) -> str:
    w = word.lower().strip("’'.")
    return country_of(word) or w[:5]


def name_tokens(name: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[\w’'.-]+", name) if w.lower() not in STOP}


def content_tokens(text: str) -> set[str]:
    return {w.lower()[:5] for w in re.findall(r"[^\W\d_]{3,}|\d+", text)} - STOP


def cue_stem(cue: str) -> str:
    return cue.lower()[:5]


def align(bundle: dict, sentences: list[str]) -> list[Ref]:
    """Each bundle claim with the article sentence it rests on."""
    names = {s["key"]: s for s in bundle["sources"]}
    refs = []
    for c in bundle["claims"]:
        words = content_tokens(c["evidence"] + " " + c["content"])
        best = max(
            sentences,
            key=lambda s: (
                bool(c["quoted"]) and c["quoted"] in s,
                len(words & content_tokens(s)) / (len(words) or 1),
            ),
        )
        source = names[c["source"]]
        refs.append(
            Ref(
                best,
                None if source["kind"] == "article" else source["name"],
                c["cue"],
                c["kind"],
                c["quoted"],
            )
        )
    return refs


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def compatible(draft_name: str, ref_name: str, ref_names: list[str]) -> bool:
    """The draft's source is the reference's: the reference name is among those the
    draft's name is most like (so "Officials" may stand for "Cuban officials")."""
    d = name_tokens(draft_name)
    scores = {n: _similarity(d, name_tokens(n)) for n in ref_names}
    top = max(scores.values(), default=0)
    return top > 0 and scores.get(ref_name, 0) == top


def score(draft, refs: list[Ref], verbose: bool = False, label: str = "") -> dict:
    ref_names = sorted({r.source for r in refs if r.source})
    by_sentence: dict[str, list] = {}
    for c in draft.claims:
        by_sentence.setdefault(c.evidence, []).append(c)

    def claims_for(sentence: str):
        return [c for ev, cs in by_sentence.items() if sentence in ev or ev in sentence for c in cs]

    def matches(ref: Ref, c) -> bool:
        if ref.source is None:
            return c.source is None
        if c.source is None:
            return False
        name = draft.sources[c.source].name
        same_cue = cue_stem(c.cue) == cue_stem(ref.cue)
        # The draft's source stands for the reference source it is most like among
        # those the reference gives for the same sentence.
        here = sorted({r.source for r in refs if r.source and r.sentence == ref.sentence})
        return same_cue and compatible(name, ref.source, here or ref_names)

    attributed = [r for r in refs if r.source]
    found = [r for r in attributed if any(matches(r, c) for c in claims_for(r.sentence))]
    quotes = [r for r in refs if r.kind == QUOTE]
    marked = [
        r for r in quotes if any(matches(r, c) and c.kind == QUOTE for c in claims_for(r.sentence))
    ]
    wrong = []
    for c in draft.claims:
        own = [r for r in refs if r.sentence in c.evidence or c.evidence in r.sentence]
        if not any(matches(r, c) for r in own):
            wrong.append(c)
    if verbose:
        for r in attributed:
            if r not in found:
                print(f"  {label} missed: {r.source} | {r.cue} | {r.sentence[:90]}")
        for c in wrong:
            who = draft.sources[c.source].name if c.source is not None else "(article)"
            print(f"  {label} wrong: {who} | {c.cue} | {c.kind} | {c.evidence[:90]}")
    return {
        "attributed": len(attributed),
        "found": len(found),
        "quotes": len(quotes),
        "quotes_marked": len(marked),
        "draft_claims": len(draft.claims),
        "draft_attributed": sum(1 for c in draft.claims if c.kind != OWN),
        "wrong": len(wrong),
    }


def timed(text: str, title: str, runs: int = 5) -> tuple:
    times, d = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        d = draft_from_text(text, title=title)
        d.to_bundle()
        times.append(time.perf_counter() - t0)
    return d, statistics.median(times)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} % ({a}/{b})" if b else "   n/a"


def report(name: str, words: int, seconds: float, s: dict) -> str:
    return (
        f"{name:34} {words:5} words {seconds * 1000:7.1f} ms | right source "
        f"{_pct(s['found'], s['attributed'])} | quotes {_pct(s['quotes_marked'], s['quotes'])}"
        f" | wrong {_pct(s['wrong'], s['draft_claims'])}"
    )


def fixture_refs(expected: dict) -> list[Ref]:
    return [
        Ref(c["evidence"], c["source"], c["cue"], c["kind"], c.get("quoted", ""))
        for c in expected["claims"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", type=Path, default=ARTICLE)
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    totals: dict[str, int] = {}
    texts = []
    if args.article.exists() and args.bundle.exists():
        text = args.article.read_text(encoding="utf-8")
        bundle = json.loads(args.bundle.read_text(encoding="utf-8"))
        d, secs = timed(text, "Shipped article")
        sentences = [s.text for sec in d.sections for s in sec.sentences]
        if args.verbose:
            for r in align(bundle, sentences):
                print(f"  align: {r.source or '(article)'} | {r.cue} -> {r.sentence[:80]}")
        s = score(d, align(bundle, sentences), args.verbose, "shipped")
        print(
            report(f"shipped article ({len(bundle['claims'])} claims)", len(text.split()), secs, s)
        )
        texts.append(text)
    else:
        print(f"(the shipped article or bundle is missing: {args.article}, {args.bundle})")
    for path in sorted(args.fixtures.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        d, secs = timed(text, expected.get("title", path.stem))
        s = score(d, fixture_refs(expected), args.verbose, path.stem)
        print(report(path.stem, len(text.split()), secs, s))
        texts.append(text)
        for k, v in s.items():
            totals[k] = totals.get(k, 0) + v
    if totals:
        print(report("fixtures, all together", 0, 0, totals))
    if texts:
        long_text = "\n\n".join(texts)
        while len(long_text.split()) < 1000:
            long_text += "\n\n" + long_text
        _, secs = timed(long_text, "Timing")
        print(f"drafting {len(long_text.split())} words (text to bundle): {secs * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
