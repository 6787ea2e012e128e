"""The forms of the admin's drafting pages: the article to draft from, and the review of a
draft (one formset each for its sources, claims and questions, on one page)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from lessons.models import Claim, Source

from .draft import FIELD_MAX, MAX_CHARS, TITLE_MAX
from .review import (
    KEEP,
    MERGE,
    REJECT,
    ClaimDecision,
    Decisions,
    QuestionDecision,
    ReviewPage,
    SourceDecision,
)

# A UTF-8 character is at most 4 bytes: a bigger file cannot be within MAX_CHARS.
MAX_UPLOAD_BYTES = 4 * MAX_CHARS
UPLOAD_TYPES = (".txt", ".text", ".html", ".htm")


class NewLessonForm(forms.Form):
    """The article (pasted, or a .txt/.html file) and what the teacher knows of it. The
    text is kept exactly as given (no stripping): it becomes the lesson's source text."""

    title = forms.CharField(label="Lesson title", max_length=TITLE_MAX)
    text = forms.CharField(
        label="The article's text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
        help_text="Paste the whole article: headline, paragraphs and quotations.",
    )
    upload = forms.FileField(
        label="…or upload it as a file",
        required=False,
        help_text="A .txt or .html file in UTF-8. Used instead of the pasted text.",
    )
    outlet = forms.CharField(
        label="Outlet",
        max_length=FIELD_MAX["outlet"],
        required=False,
        help_text="Who published it.",
    )
    date = forms.CharField(
        label="Date", max_length=FIELD_MAX["date"], required=False, help_text="E.g. 3 March 2026."
    )
    url = forms.URLField(
        label="Link",
        max_length=FIELD_MAX["url"],
        required=False,
        assume_scheme="https",
        help_text="The article's address, if you have it.",
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            raise ValidationError(
                "Upload a .txt or .html file (or paste the text).", code="file_type"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; an article is at most "
                f"{MAX_CHARS:,} characters. Is it the right file?",
                code="too_large",
            )
        raw = upload.read()
        if b"\x00" in raw:
            raise ValidationError("This is not a text file (it holds NUL bytes).", code="nul")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                f"The file is not UTF-8 text (byte 0x{raw[error.start]:02x} at position "
                f"{error.start}). Save it as UTF-8 and upload it again, or paste the text.",
                code="not_utf8",
            ) from None

    @property
    def article(self) -> str:
        """The text to draft from: the upload's, else the pasted text."""
        return self.cleaned_data.get("upload") or self.cleaned_data.get("text") or ""


# --- The review ------------------------------------------------------------------------

SOURCE_DECISIONS = [(KEEP, "Keep"), (MERGE, "Merge into…"), (REJECT, "Reject")]
CLAIM_DECISIONS = [(KEEP, "Keep"), (REJECT, "Reject")]
QUESTION_DECISIONS = [(KEEP, "Keep"), (REJECT, "Drop")]
SOURCE_KINDS = [(k, label) for k, label in Source.Kind.choices if k != Source.Kind.ARTICLE]


class SourceReviewForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=SOURCE_DECISIONS, widget=forms.RadioSelect)
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SOURCE_KINDS)
    side = forms.CharField(max_length=100, help_text="Sources with the same side share a position.")
    parent = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    merge_into = forms.TypedChoiceField(
        label="Merge into", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, source_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "No parent"), *source_choices]
        self.fields["merge_into"].choices = [("", "—"), *source_choices]

    def clean(self):
        data = super().clean()
        if data.get("decision") == MERGE and data.get("merge_into") in (None, data.get("id")):
            self.add_error(
                "merge_into",
                ValidationError("Choose the source to merge this one into.", code="merge_target"),
            )
        if data.get("parent") is not None and data.get("parent") == data.get("id"):
            self.add_error(
                "parent", ValidationError("A source cannot be its own parent.", code="parent_cycle")
            )
        return data


class ClaimReviewForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=CLAIM_DECISIONS, widget=forms.RadioSelect)
    source = forms.TypedChoiceField(coerce=int)
    kind = forms.ChoiceField(choices=Claim.Kind.choices)
    cue = forms.CharField(max_length=60, help_text="The reporting verb, as the article uses it.")
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
    quoted = forms.CharField(
        label="Quoted words", max_length=300, required=False, help_text="Without the marks."
    )

    def __init__(self, *args, source_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(source_choices)

    def clean(self):
        data = super().clean()
        kept = data.get("decision") == KEEP
        if kept and data.get("kind") == Claim.Kind.QUOTE and not data.get("quoted", "").strip():
            self.add_error(
                "quoted",
                ValidationError(
                    "A direct quote needs the quoted words.", code="quote_without_words"
                ),
            )
        return data


class QuestionReviewForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=QUESTION_DECISIONS, widget=forms.RadioSelect)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))


SourceFormSet = forms.formset_factory(SourceReviewForm, extra=0)
ClaimFormSet = forms.formset_factory(ClaimReviewForm, extra=0)
QuestionFormSet = forms.formset_factory(QuestionReviewForm, extra=0)


class ReviewForms:
    """The three formsets of the review page, their rows paired with what they show."""

    def __init__(self, page: ReviewPage, data=None):
        self.page = page
        people = [s for s in page.sources if s.kind != Source.Kind.ARTICLE]
        everyone = [(s.id, s.name) for s in page.sources]
        self.sources = SourceFormSet(
            data,
            prefix="sources",
            initial=[
                {
                    "id": s.id,
                    "decision": KEEP,
                    "name": s.name,
                    "kind": s.kind,
                    "side": s.side,
                    "parent": s.parent_id,
                }
                for s in people
            ],
            form_kwargs={"source_choices": [(s.id, s.name) for s in people]},
        )
        self.claims = ClaimFormSet(
            data,
            prefix="claims",
            initial=[
                {
                    "id": c.id,
                    "decision": KEEP,
                    "source": c.source_id,
                    "kind": c.kind,
                    "cue": c.cue,
                    "content": c.content,
                    "quoted": c.quoted,
                }
                for c in page.claims
            ],
            form_kwargs={"source_choices": everyone},
        )
        self.questions = QuestionFormSet(
            data,
            prefix="questions",
            initial=[{"id": q.id, "decision": KEEP, "prompt": q.prompt} for q in page.questions],
        )
        # (form, row, the legend of its decision), so each decision is named on its own.
        self.source_rows = [
            (f, s, f"What to do with {s.name}")
            for f, s in zip(self.sources.forms, people, strict=False)
        ]
        self.claim_rows = [
            (f, c, f"Keep or reject claim {n}")
            for n, (f, c) in enumerate(zip(self.claims.forms, page.claims, strict=False), 1)
        ]
        self.question_rows = [
            (f, q, f"Keep or drop question {n}")
            for n, (f, q) in enumerate(zip(self.questions.forms, page.questions, strict=False), 1)
        ]

    @property
    def formsets(self):
        return (self.sources, self.claims, self.questions)

    def is_valid(self) -> bool:
        return all([fs.is_valid() for fs in self.formsets])

    @property
    def error_count(self) -> int:
        return sum(fs.total_error_count() for fs in self.formsets)

    def decisions(self) -> Decisions:
        return Decisions(
            sources=[SourceDecision(**f.cleaned_data) for f in self.sources.forms],
            claims=[ClaimDecision(**f.cleaned_data) for f in self.claims.forms],
            questions=[QuestionDecision(**f.cleaned_data) for f in self.questions.forms],
        )
