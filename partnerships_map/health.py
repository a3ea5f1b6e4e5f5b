"""`/healthz`: is everything the product needs reachable? For load balancers and humans."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def database_state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def postgis_state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        (version,) = cursor.fetchone()
    return {"ok": True, "version": version}


def redis_state():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


CHECKS = {"database": database_state, "postgis": postgis_state, "redis": redis_state}


@never_cache
def healthz(request):
    components = {}
    for name, check in CHECKS.items():
        try:
            components[name] = check()
        except Exception as error:  # any failure means "down"; say which and why
            components[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    down = [name for name, state in components.items() if not state["ok"]]
    body = {"status": "down" if down else "ok", "down": down, "components": components}
    return JsonResponse(body, status=503 if down else 200)
