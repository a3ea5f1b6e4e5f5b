"""Fair use: anonymous clients and API-key holders have their own rates; counters live in
Redis, and if Redis is down requests are let through (the API stays up)."""

import logging

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey

logger = logging.getLogger(__name__)


class FailOpenThrottle(SimpleRateThrottle):
    """Throttling whose counters live in Redis; if Redis is down, requests are let through
    and the failure is logged."""

    cache_alias = "throttle"

    @property
    def cache(self):
        return caches[self.cache_alias]

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache backend's connection errors vary
            logger.warning("API throttling skipped: %s", error)
            return True


def made_by_the_sites_own_pages(request):
    """Browsers mark a page's own requests `Sec-Fetch-Site: same-origin`, a header no other
    site's script can set: the site's pages never spend a visitor's API quota (people on
    one school or council network share an address)."""
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


class AnonymousThrottle(FailOpenThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, APIKey) or made_by_the_sites_own_pages(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyThrottle(FailOpenThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, APIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
