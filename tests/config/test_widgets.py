"""config/widgets.py: an autocomplete field posted with a value that is not an id is a
form error shown again on the page, never a 500 (every model admin's autocomplete)."""

import pytest
from django.urls import reverse

from lessons.models import Source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "9" * 30, "x" * 5000, "\ufffd"])
def test_a_source_posted_with_a_parent_that_is_not_an_id_is_a_form_error(client, superuser, value):
    client.force_login(superuser)
    sources = Source.objects.count()
    response = client.post(
        reverse("admin:lessons_source_add"),
        {"name": "Someone", "key": "someone", "parent": value, "kind": "person"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert Source.objects.count() == sources


def test_a_many_to_many_field_posted_with_an_id_no_column_holds_is_a_form_error(
    client, superuser, class_a
):
    """config/lookups.py: `pk__in` with 10**30 matches nothing instead of failing."""
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_group_add"), {"name": "Helpers", "permissions": ["9" * 30]}
    )
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(name="Helpers").exists()
