import pytest

pytestmark = pytest.mark.django_db


def test_healthy_when_database_postgis_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["components"] == {"database": "up", "postgis": "up", "redis": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_names_redis_when_it_is_down_and_logs_why_without_telling_the_public(
    client, settings, caplog
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body == {
        "status": "down",
        "down": ["redis"],
        "components": {"database": "up", "postgis": "up", "redis": "down"},
    }
    assert "127.0.0.1" not in response.content.decode()
    assert "Error" not in response.content.decode()
    assert "127.0.0.1:1" in caplog.text and "redis is down" in caplog.text


def test_names_the_database_when_it_is_down(client, monkeypatch):
    from partnerships_map import health

    def refuse():
        raise health.connection.Database.OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refuse)
    monkeypatch.setitem(health.CHECKS, "postgis", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database", "postgis"]
