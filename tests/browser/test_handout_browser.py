"""The class handout in Chromium: no axe-core violations on screen; printed, the handout
alone (no site header, footer or links to the admin) on a single page."""

import re

import pytest
from playwright.sync_api import expect

from classes.models import Classroom
from tests.factories import TeacherFactory

from .conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def classroom(db):
    teacher = TeacherFactory(username="ms-a", first_name="Ana", last_name="Silva")
    return Classroom.objects.create(name="Year 10 · Media and news", teacher=teacher)


def test_the_handout_reads_on_screen_and_prints_alone_on_one_page(
    page, live_server, login, axe, classroom
):
    login(classroom.teacher)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/handout/")
    expect(page.locator("h1")).to_have_text(classroom.name)
    qr = page.locator("svg.qr-code")
    box = qr.bounding_box()
    assert box and box["width"] > 150 and abs(box["width"] - box["height"]) < 1
    violations = axe(page)
    assert violations == [], violations
    screenshot(page, "class-handout-screen")

    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".handout-tools"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".handout-code")).to_have_text(classroom.display_code)
    expect(page.locator(".handout-url")).to_contain_text(f"code={classroom.join_code}")
    expect(qr).to_be_visible()
    screenshot(page, "class-handout-print")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1
