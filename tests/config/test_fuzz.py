"""Bad input, everywhere (issue 11): every URL pattern of the project, as every persona,
by GET and POST, with malformed path arguments, query strings, form bodies and uploads,
answers below 500, and a request it refuses (4xx) writes nothing.

The endpoints come from the resolver (tests/config/fuzzing.py), so a new one is fuzzed
without a change here; a pattern with an argument this file cannot fill fails
`test_every_endpoint_can_be_reached`, which asks for an entry in ARGUMENTS. A table sends
the fixed malformed values; hypothesis (derandomized, a bounded number of examples) sends
free-form ones. Each request runs in a savepoint rolled back after it, so each meets the
same data; the writes it made are recorded on the way (SQL) and by row counts."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classes.models import Assignment
from quizzes.attempts import save_answer, start_attempt, submit_attempt

from .fuzzing import (
    BAD_BODY_VALUES,
    BAD_PATH_VALUES,
    BAD_QUERIES,
    BAD_UPLOADS,
    COMMON_FIELDS,
    CRAFTED_ACTION,
    MULTIPART,
    NUL_BODIES,
    PERSONAS,
    Endpoint,
    Sender,
    endpoints,
    form_fields,
    multipart,
    urlencoded,
)

pytestmark = pytest.mark.django_db

# The one endpoint no argument can reach: the admin's catch-all, a 404 by design.
ALWAYS_NOT_FOUND = {"admin/(?P<url>.*)$"}


@pytest.fixture
def world(
    student, other_student, teacher, other_teacher, superuser, class_a, class_b, article_quiz, quiz
):
    """Both classes are assigned both quizzes; each student has an attempt in progress on
    the full assessment (one answer saved), and the student a submitted warm-up."""
    now = timezone.now()
    for classroom in (class_a, class_b):
        for q in (article_quiz, quiz):
            Assignment.objects.create(
                classroom=classroom,
                quiz=q,
                opens_at=now - timedelta(days=1),
                due_at=now + timedelta(days=7),
            )
    attempt = start_attempt(quiz=article_quiz, learner=student)
    first = article_quiz.questions.order_by("order").first()
    save_answer(attempt=attempt, question=first, choice_ids=[first.choices.first().pk])
    start_attempt(quiz=article_quiz, learner=other_student)
    done = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=done)
    lesson = article_quiz.lesson
    # A login pause (django-axes' admin lists them) and its failure log, for their admins.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.objects.create(
        username=student.username, ip_address="127.0.0.1", user_agent="fuzz", failures_since_start=3
    )
    AccessFailureLog.objects.create(
        username=student.username, ip_address="127.0.0.1", user_agent="fuzz"
    )
    AccessLog.objects.create(username=student.username, ip_address="127.0.0.1", user_agent="fuzz")
    # A grade change, for the audit's admin (an override of the submitted warm-up's answer).
    from quizzes.models import GradeChange

    GradeChange.objects.create(
        response=attempt.responses.first(),
        kind=GradeChange.Kind.OVERRIDE,
        credit_before=0,
        credit_after=1,
        question_points=1,
        reason="fuzz",
    )
    objects = {
        "lessons.lesson": lesson,
        "lessons.source": lesson.sources.order_by("pk").first(),
        "lessons.section": lesson.sections.order_by("pk").first(),
        "lessons.claim": lesson.claims.order_by("pk").first(),
        "quizzes.quiz": article_quiz,
        "quizzes.question": first,
        "quizzes.attempt": attempt,
        "quizzes.response": attempt.responses.first(),
        "classes.classroom": class_a,
        "auth.user": student,
        "auth.group": Group.objects.get(name="Teachers"),
    }
    users = {
        "student": student,
        "other_student": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "superuser": superuser,
    }
    return {
        "objects": objects,
        "users": users,
        "attempt": attempt,
        "submitted": done,
        "quiz": article_quiz,
        "lesson": lesson,
        "classroom": class_a,
        "student": student,
    }


def _object(world, model):
    """The world's instance of an admin's model (any row of it, for a model added later)."""
    label = model._meta.label_lower
    obj = world["objects"].get(label) or model._default_manager.order_by("pk").first()
    assert obj is not None, f"the fuzz world has no {label}: create one in the world fixture"
    return obj


# Arguments by endpoint and name; an admin's `object_id` is its model's instance.
ARGUMENTS = {
    ("admin:view_on_site", "content_type_id"): lambda w: (
        ContentType.objects.get_for_model(w["lesson"]).pk
    ),
    ("admin:view_on_site", "object_id"): lambda w: w["lesson"].pk,
    ("admin:app_list", "app_label"): lambda w: "lessons",
    ("admin:auth_user_password_change", "id"): lambda w: w["student"].pk,
    ("admin:quizzes_quiz_report_page", "page"): lambda w: "items",
    ("admin:quizzes_quiz_report_learner", "learner_id"): lambda w: w["student"].pk,
    ("admin:quizzes_quiz_regrade", "question_id"): lambda w: w["objects"]["quizzes.question"].pk,
    ("admin/(?P<url>.*)$", "url"): lambda w: "no/such/page/",
    ("password_reset_confirm", "uidb64"): lambda w: urlsafe_base64_encode(
        force_bytes(w["student"].pk)
    ),
    ("password_reset_confirm", "token"): lambda w: default_token_generator.make_token(w["student"]),
    ("quizzes:start", "pk"): lambda w: w["quiz"].pk,
    ("quizzes:attempt_start", "pk"): lambda w: w["quiz"].pk,
    ("quizzes:attempt", "pk"): lambda w: w["attempt"].pk,
    ("quizzes:question", "pk"): lambda w: w["attempt"].pk,
    ("quizzes:question", "number"): lambda w: 1,
    ("quizzes:review", "pk"): lambda w: w["attempt"].pk,
    ("quizzes:submit", "pk"): lambda w: w["attempt"].pk,
    ("quizzes:result", "pk"): lambda w: w["submitted"].pk,
    ("classes:handout", "pk"): lambda w: w["classroom"].pk,
    ("lessons:detail", "slug"): lambda w: w["lesson"].slug,
    ("lessons:preview", "slug"): lambda w: w["lesson"].slug,
    ("drafting:review", "lesson_id"): lambda w: w["lesson"].pk,
    ("drafting:publish", "lesson_id"): lambda w: w["lesson"].pk,
    ("accounts:classroom_students", "classroom_id"): lambda w: w["classroom"].pk,
    ("accounts:student", "classroom_id"): lambda w: w["classroom"].pk,
    ("accounts:student", "student_id"): lambda w: w["student"].pk,
}


def arguments(endpoint: Endpoint, world) -> dict[str, str]:
    values = {}
    for param in endpoint.params:
        fill = ARGUMENTS.get((endpoint.key, param.name))
        if fill is not None:
            values[param.name] = str(fill(world))
        elif endpoint.model is not None and param.name == "object_id":
            values[param.name] = str(_object(world, endpoint.model).pk)
        else:
            raise AssertionError(
                f"{endpoint.key} ({endpoint.route}): no value for <{param.name}>; "
                "add one to ARGUMENTS in tests/config/test_fuzz.py"
            )
    return values


def _clients(world) -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world["users"][persona])
        clients[persona] = client
    return clients


@pytest.fixture
def sender(world):
    sender = Sender(_clients(world))
    yield sender
    sender.close()


@pytest.fixture(autouse=True)
def _quiet_request_log(caplog):
    # Thousands of expected 4xx would each log a warning; a 5xx still fails the test.
    caplog.set_level("CRITICAL", logger="django.request")
    caplog.set_level("CRITICAL", logger="django.security")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "login/" in response.get("Location", "")


def test_every_endpoint_can_be_reached(world):
    """Each pattern's arguments build a path that resolves to that pattern: a new endpoint
    needs an entry in ARGUMENTS (or an admin model instance in the world) to be fuzzed."""
    found = endpoints()
    assert len(found) > 50  # the admin's model URLs are in
    for endpoint in found:
        path = endpoint.path(arguments(endpoint, world))
        assert resolve(path).route == endpoint.route, (endpoint.key, path)


def _bodies(fields: list[str]):
    """(note, body, content type, carries NUL) for each malformed form body."""
    names = list(dict.fromkeys([*fields, *COMMON_FIELDS]))
    for note, values in BAD_BODY_VALUES.items():
        body = urlencoded({n: values(n) for n in names})
        yield note, body, "application/x-www-form-urlencoded", note in NUL_BODIES
    raw = {n: [b"\xed\xa0\x80", b"\xff\xfe"] for n in names}
    yield "multipart_surrogate", multipart(raw, {}), MULTIPART, False
    nul = {n: [b"a\x00b"] for n in names}
    yield "multipart_nul", multipart(nul, {}), MULTIPART, True
    yield (
        "urlencoded_surrogate",
        b"&".join(n.encode() + b"=%ED%A0%80%FF" for n in names),
        "application/x-www-form-urlencoded",
        False,
    )
    yield "crafted_action", urlencoded(CRAFTED_ACTION), "application/x-www-form-urlencoded", False
    yield "broken_multipart", b"--nope\r\ngarbage", MULTIPART, False
    yield "json", b'{"choice": [' * 2000, "application/json", False


def _uploads(file_fields: list[str], fields: list[str]):
    plain = {n: [b"1"] for n in fields}
    for note, content in BAD_UPLOADS.items():
        files = {name: (b"bundle.json", content) for name in file_fields}
        yield f"upload_{note}", multipart(plain, files)
    yield "upload_nul_name", multipart(plain, {n: (b"a\x00b.json", b"{}") for n in file_fields})


def _expect_refused_nul(sender: Sender, outcome, persona):
    """A NUL anywhere in what a signed-in persona sends is a 400 with the `nul` code."""
    if outcome.status != 400:
        sender.problems.append(
            f"{persona} {outcome.method} {outcome.url} [{outcome.note}]: a NUL got "
            f"{outcome.status}, not 400"
        )


def _rotate(items: list, seed: int, n: int) -> list:
    """`n` of `items`, a different slice for each seed: over the endpoints and personas
    every item is sent, while each pair gets only a few (the run stays short)."""
    return [items[(seed * n + i) % len(items)] for i in range(min(n, len(items)))]


def _fuzz_endpoint(sender: Sender, endpoint: Endpoint, world, persona: str, seed: int) -> None:
    values = arguments(endpoint, world)
    path = endpoint.path(values)
    base = sender.send(persona, "GET", path, note="baseline")
    if base.route == endpoint.route and base.status != 404:
        sender.reached[endpoint.key] += 1
    html = base.response.content.decode("utf-8", "replace") if base.status == 200 else ""
    fields, file_fields = form_fields(html)
    # A persona the view lets in gets more of the table than one turned away at the door.
    deep = base.status < 400 and not _is_login_redirect(base.response)

    # Malformed path arguments, one at a time.
    for param in endpoint.params:
        bad = BAD_PATH_VALUES.get(param.converter, BAD_PATH_VALUES["other"])
        for value in _rotate(bad, seed, 1) if deep else ():
            sender.send(
                persona, "GET", endpoint.path({**values, param.name: value}), note=param.name
            )
    # Malformed query strings.
    for query in _rotate(BAD_QUERIES, seed, 2 if deep else seed % 2):
        o = sender.send(persona, "GET", path, query=query, note="query")
        if "%00" in query and persona != "anonymous":
            _expect_refused_nul(sender, o, persona)
    # Malformed form bodies (one with a NUL always), or the same post without a CSRF token.
    bodies = list(_bodies(fields))
    # Always the NUL body, and the crafted action where the page has actions.
    fixed = [
        b for b in bodies if b[0] == "nul" or (b[0] == "crafted_action" and "action" in fields)
    ]
    rest = [b for b in bodies if b[0] not in ("nul", "crafted_action")]
    for note, body, content_type, has_nul in [*fixed, *_rotate(rest, seed, 2 if deep else 0)]:
        o = sender.send(persona, "POST", path, body=body, content_type=content_type, note=note)
        if has_nul and persona != "anonymous":
            _expect_refused_nul(sender, o, persona)
    if deep and seed % 3 == 0:
        body = urlencoded({n: ["1"] for n in fields or COMMON_FIELDS})
        o = sender.send(persona, "POST", path, body=body, note="no_csrf", csrf=True)
        if o.status != 403 and o.writes:
            sender.problems.append(f"{persona} POST {path} without a CSRF token wrote {o.writes}")
    # Uploads, where the page has a file input: every malformed file.
    for note, body in _uploads(file_fields, fields) if file_fields else ():
        o = sender.send(persona, "POST", path, body=body, content_type=MULTIPART, note=note)
        if o.status < 400 and o.writes:
            sender.problems.append(f"{persona} {path} [{note}] accepted a malformed upload")


def test_no_endpoint_answers_malformed_input_with_a_server_error(world, sender):
    started = time.monotonic()
    found = endpoints()
    for i, endpoint in enumerate(found):
        for j, persona in enumerate(PERSONAS):
            _fuzz_endpoint(sender, endpoint, world, persona, seed=i * len(PERSONAS) + j)
    elapsed = time.monotonic() - started
    total = sum(sender.requests.values())
    print(
        f"\nfuzz table: {len(found)} endpoints, {total} requests in {elapsed:.1f} s; "
        + ", ".join(f"{p} {sender.requests[p]}" for p in PERSONAS)
    )
    assert not sender.problems, f"{len(sender.problems)} problem(s):\n" + "\n".join(
        sender.problems[:60]
    )
    unreached = {e.key for e in found} - set(sender.reached) - ALWAYS_NOT_FOUND
    assert not unreached, f"no persona got past a 404 on: {sorted(unreached)}"


# --- free-form values (hypothesis) -----------------------------------------------------------

PARAM_NAMES = [
    "classroom",
    "p",
    "o",
    "q",
    "csv",
    "cell",
    "marks",
    "key",
    "code",
    "next",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "page",
    "choice",
    "go",
    "e",
    "_to_field",
]
# Any text at all, surrogates and control characters included; sent as its UTF-8 bytes
# ("surrogatepass": a lone surrogate goes out as the three bytes a browser could send).
free_text = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["", "1e9", "NaN", "-0", "0x1f", "1-2", "../../", "%", "=1+1", "\ud800"]),
)


def _encode(pairs) -> str:
    return "&".join(
        f"{quote_from_bytes(k.encode())}={quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs
    )


def test_free_form_values_never_get_a_server_error(world, sender):
    """Hypothesis picks the endpoint, the persona, the method and any text for a few
    parameters; derandomized with a bounded number of examples, so every run sends the
    same requests."""
    found = [(e, e.path(arguments(e, world))) for e in endpoints()]

    @settings(
        max_examples=80,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        target=st.sampled_from(found),
        persona=st.sampled_from(PERSONAS),
        method=st.sampled_from(["GET", "POST"]),
        pairs=st.lists(st.tuples(st.sampled_from(PARAM_NAMES), free_text), max_size=4),
    )
    def run(target, persona, method, pairs):
        endpoint, path = target
        encoded = _encode(pairs)
        if method == "GET":
            o = sender.send(persona, "GET", path, query=encoded, note="hypothesis")
        else:
            o = sender.send(persona, "POST", path, body=encoded.encode(), note="hypothesis")
        assert o.status < 500, f"{persona} {method} {path} {encoded[:200]}: {o.exception}"
        if any("\x00" in k + v for k, v in pairs) and persona != "anonymous":
            assert o.status == 400, f"{persona} {method} {path}: a NUL got {o.status}"

    started = time.monotonic()
    run()
    print(
        f"\nfuzz hypothesis: {sum(sender.requests.values())} requests in "
        f"{time.monotonic() - started:.1f} s; "
        + ", ".join(f"{p} {sender.requests[p]}" for p in PERSONAS)
    )
    assert not sender.problems, "\n".join(sender.problems[:60])
