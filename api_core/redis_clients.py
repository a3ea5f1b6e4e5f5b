"""The redis-py clients behind Django's Redis caches, for the few places (throttle
counters, shared answers) that talk to Redis directly."""

import weakref

_clients = weakref.WeakKeyDictionary()


def redis_client(cache):
    """The redis-py client behind a Django Redis cache, made once per cache backend: Django
    makes a new one (and its table of ~170 reply parsers) on every call."""
    backend = cache._cache  # Django's RedisCacheClient (a new one when CACHES changes)
    client = _clients.get(backend)
    if client is None:
        client = _clients[backend] = backend.get_client(write=True)
    return client
