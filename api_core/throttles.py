"""Fair use: anonymous clients and API-key holders have their own rates; counters live in
Redis, and if Redis is down requests are let through (the API stays up)."""

import logging

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey

from api_core.clients import client_ip
from api_core.redis_clients import redis_client

logger = logging.getLogger(__name__)


class FailOpenThrottle(SimpleRateThrottle):
    """A fixed-window counter per client in Redis: one INCR (and EXPIRE) in one round trip,
    however high the rate. DRF's own SimpleRateThrottle keeps every request's time in a
    list that it reads, unpickles, re-pickles and writes back on each request: O(rate) per
    request (3,000 entries for an API key). If Redis is down, requests are let through and
    the failure is logged. Rates, scopes and cache keys are DRF's (`THROTTLE_RATES`)."""

    cache_alias = "throttle"

    @property
    def cache(self):
        return caches[self.cache_alias]

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        try:
            return self.counted(request, view)
        except Exception as error:  # the cache backend's connection errors vary
            logger.warning("API throttling skipped: %s", error)
            return True

    def counted(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = self.cache.make_key(f"{self.key}:{window}")
        client = redis_client(self.cache)
        count = client.incr(key)
        if count == 1:  # the window's first request: the counter lives as long as it
            client.expire(key, self.duration + 1)
        return count <= self.num_requests

    def wait(self):
        """Seconds until the window ends (Retry-After)."""
        return max(1.0, self.window_ends - self.timer())


def made_by_the_sites_own_pages(request):
    """Browsers mark a page's own requests `Sec-Fetch-Site: same-origin`, a header no other
    site's script can set: the site's pages never spend a visitor's API quota (people on
    one school or council network share an address)."""
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


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


class RenderThrottle(FailOpenThrottle):
    """Pages and files rendered for one client (not answered from a kept copy): a client
    asking for ever new addresses cannot hold every web worker."""

    scope = "renders"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
