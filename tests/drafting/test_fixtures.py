"""The invented benchmark articles: each is a real fixture (100-250 words, expected
claims quoted word for word), and the drafter meets issue 12's targets on them. The
figures themselves are benchmarks in docs/authoring.md (`python -m drafting.measure`)."""

import json
from pathlib import Path

import pytest

from drafting import draft_from_text
from drafting.measure import fixture_refs, score

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def load(name):
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    return text, json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def test_there_are_at_least_five_fixtures():
    assert len(NAMES) >= 5


@pytest.mark.parametrize("name", NAMES)
def test_a_fixture_is_a_short_text_whose_expected_claims_quote_it(name):
    text, expected = load(name)
    assert 100 <= len(text.split()) <= 250
    for claim in expected["claims"]:
        assert claim["evidence"] in text
        assert claim["quoted"] in claim["evidence"]
        assert (claim["kind"] == "unattributed") == (claim["source"] is None)


def test_the_drafter_meets_the_targets_on_the_fixtures_together():
    totals = {}
    for name in NAMES:
        text, expected = load(name)
        figures = score(draft_from_text(text, title=expected["title"]), fixture_refs(expected))
        for key, value in figures.items():
            totals[key] = totals.get(key, 0) + value
    assert totals["found"] / totals["attributed"] >= 0.85
    assert totals["quotes_marked"] / totals["quotes"] >= 0.95
    assert totals["wrong"] / totals["draft_claims"] < 0.15
