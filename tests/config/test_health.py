"""The health endpoint (config/health.py) that load balancers probe."""

from unittest import mock

from django.db import OperationalError


def test_health_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_fails(client, db, caplog):
    with mock.patch(
        "config.health.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "the database did not answer" in caplog.text


def test_health_needs_no_login_and_is_not_redirected_to_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_health_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
