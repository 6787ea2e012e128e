"""A GIFT reader for the tests, following Moodle's own importer (qformat_gift::readquestion):
questions are blocks between blank lines; `//` lines are comments; a backslash escapes
~ = # { } : and itself, and `\\n` is a line break; `::name::`, then the text, then the
answers in braces, with general feedback after `####`. Multiple choice has `~`; it takes
one answer when some answer starts with `=`; matching has `=` and `->`; true/false is
T, TRUE, F or FALSE. Weights are `%n%` after `~`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPES = {
    "\\:": "\x01",
    "\\#": "\x02",
    "\\=": "\x03",
    "\\{": "\x04",
    "\\}": "\x05",
    "\\~": "\x06",
    "\\n": "\x07",
}
_PLAIN = {
    "\x01": ":",
    "\x02": "#",
    "\x03": "=",
    "\x04": "{",
    "\x05": "}",
    "\x06": "~",
    "\x07": "\n",
}
_WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")


class GiftError(ValueError):
    pass


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""


@dataclass
class Question:
    qtype: str
    name: str = ""
    text: str = ""
    format: str = "moodle"
    general_feedback: str = ""
    single: bool | None = None
    answers: list[Answer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    category: str = ""


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\x00")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\x00", "\\")


def _post(text: str) -> str:
    for placeholder, char in _PLAIN.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    text = text.strip()
    m = re.match(r"^\[(moodle|html|plain|markdown)\]", text)
    if m:
        return _post(text[m.end() :]).strip(), m.group(1)
    return _post(text).strip(), default


def parse(source: str) -> list[Question]:
    blocks, current = [], []
    for line in source.splitlines():
        if line.strip() == "":
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    questions = []
    for block in blocks:
        question = _read(block)
        if question is not None:
            questions.append(question)
    return questions


def _read(lines: list[str]) -> Question | None:
    lines = [" " if line.strip().startswith("//") else line for line in lines]
    text = "\n".join(lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return Question("category", category=text[10:].strip())
    name = ""
    if text.startswith("::"):
        end = text.index("::", 2)
        name = _post(text[2:end])
        text = text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 or finish < 0:
        raise GiftError(f"no answers in braces: {text[:60]!r}")
    if text[finish + 1 :].strip():
        raise GiftError(f"text after the answers: {text[finish:]!r}")
    answertext = text[start + 1 : finish].strip()
    question_text, fmt = _with_format(text[:start], "moodle")
    general = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general, _ = _with_format(answertext[separator + 4 :], fmt)
        answertext = answertext[:separator].strip()
    q = Question("", name=name, text=question_text, format=fmt, general_feedback=general)
    if not answertext:  # `{}` (or only general feedback): Moodle's essay
        q.qtype = "essay"
    elif "~" in answertext:
        q.qtype, q.single = "multichoice", "=" in answertext
        parts = [p.strip() for p in answertext.replace("=", "~=").split("~")]
        for part in (p for p in parts if p):
            if part.startswith("="):
                fraction, part = 1.0, part[1:]
            elif m := _WEIGHT.match(part):
                fraction, part = float(m.group(1)) / 100, part[m.end() :]
            else:
                fraction = 0.0
            answer, _, feedback = part.partition("#")
            q.answers.append(
                Answer(_with_format(answer, fmt)[0], fraction, _with_format(feedback, fmt)[0])
            )
        if len(q.answers) < 2:
            raise GiftError("a multiple choice question needs two answers")
    elif "=" in answertext and "->" in answertext:
        q.qtype = "matching"
        for part in (p.strip() for p in answertext.split("=") if p.strip()):
            if "->" not in part:
                raise GiftError(f"a matching line without ->: {part!r}")
            item, _, answer = part.partition("->")
            q.pairs.append((_with_format(item, fmt)[0], _post(answer).strip()))
        if len(q.pairs) < 2:
            raise GiftError("a matching question needs two pairs")
    else:
        bits = answertext.split("#", 2)
        if bits[0].strip() not in ("T", "TRUE", "F", "FALSE"):
            raise GiftError(f"not a question type these tests read: {answertext[:60]!r}")
        q.qtype = "truefalse"
        is_true = bits[0].strip() in ("T", "TRUE")
        wrong = _with_format(bits[1], fmt)[0] if len(bits) > 1 else ""
        right = _with_format(bits[2], fmt)[0] if len(bits) > 2 else ""
        q.answers = [
            Answer("true", 1.0 if is_true else 0.0, right if is_true else wrong),
            Answer("false", 0.0 if is_true else 1.0, wrong if is_true else right),
        ]
    return q
