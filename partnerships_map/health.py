"""`/healthz`: is everything the product needs reachable? For load balancers and humans.

The public answer says only up or down per component; why a component is down (which
may name internal addresses) goes to the log."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def database_state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def postgis_state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")


def redis_state():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


CHECKS = {"database": database_state, "postgis": postgis_state, "redis": redis_state}


@never_cache
def healthz(request):
    components = {}
    for name, check in CHECKS.items():
        try:
            check()
            components[name] = "up"
        except Exception:  # any failure means "down"; the log says why
            logger.exception("Health check: %s is down", name)
            components[name] = "down"
    down = [name for name, state in components.items() if state == "down"]
    body = {"status": "down" if down else "ok", "down": down, "components": components}
    return JsonResponse(body, status=503 if down else 200)
