import pytest

pytestmark = pytest.mark.django_db


def test_healthy_when_database_postgis_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["components"]["postgis"]["version"].startswith("3.")
    assert "no-cache" in response["Cache-Control"]


def test_names_redis_when_it_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["redis"]
    assert "ConnectionError" in body["components"]["redis"]["error"]
    assert body["components"]["database"]["ok"] is True


def test_names_the_database_when_it_is_down(client, monkeypatch):
    from partnerships_map import health

    def refuse():
        raise health.connection.Database.OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refuse)
    monkeypatch.setitem(health.CHECKS, "postgis", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database", "postgis"]
