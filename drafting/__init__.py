"""Drafting a lesson from a news article: sections, sentences, quotations, reported
speech, candidate sources, claims and questions, written as a lesson bundle that is all
unpublished. The core is pure Python (no Django): see docs/authoring.md.

    draft_from_text(text, *, title, outlet="", date="", url="") -> Draft
    Draft.to_bundle(labels=None) -> dict   (format sourcewise.lesson/1)
    DraftError(message, code)             bad input, with a code
"""

from .draft import MAX_CHARS, Draft, DraftError, draft_from_text

__all__ = ["MAX_CHARS", "Draft", "DraftError", "draft_from_text"]
