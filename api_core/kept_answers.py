"""Answers kept per data version: work that depends only on the data is done once per
data version (`api_core.data_version`), never once per request.

One mechanism, three depths, all under the same key (the data version's number *and* the
time it moved, so a rebuilt or restored database never meets an old answer):
- `per_data_version(key, compute)`: a value (the similar-areas matrix), in this process.
- `kept_response(request, render)`: a GET's rendered body (pages, API lists, downloads,
  map data, similar areas), gzipped, kept under an ETag that names the data version and
  the request as the answer depends on it (`address_of`), in this process; `shared`
  answers (those at addresses no query string can multiply: pages, files, API lists at
  fixed addresses) also in Redis, so one process builds each for all. A matching
  If-None-Match or If-Modified-Since gets 304 at once.
- `KeptAnswerMiddleware`: the same GET asked again is answered from the kept headers and
  body before the rest of the middleware, URL routing and the view run. An answer behind
  the API's fair-use limits (`throttles`) is given early only after DRF's own throttle
  check (`APIView.check_throttles`) lets the request through; otherwise the full path
  answers, with DRF's own 429. Only an answer asked for at its canonical address is kept
  there, and any other GET counts against its client's page limit before routing.

A shared answer is built by one process at a time (a lock in Redis; the others wait for
it). When the data version moves, visitors are given the last complete answer (with its
own ETag and an `Age`) while a Celery worker builds the new ones (`rebuild_shared`), for
at most `KEPT_ANSWER_MAX_STALE` seconds; after that a request waits for the build, or
builds it itself. A failed build leaves the last good answer in place. The middleware
gives a last complete answer again before routing, as it gives a current one, for
`KEPT_ANSWER_STALE_RECHECK` seconds (in the first of them after a change, the one it kept
of the version before, without asking); then a request asks Redis again whether the new
one is built: while the worker rebuilds, visitors cost no more than a kept answer. The
worker builds what visitors asked for lately (`Shared.asked`: one Redis call when a
process first needs an answer of a data version, not one per request), most asked first.

The contract between `kept_response` and the middleware is `KeptResponse`: only what it
made is kept, and it says itself on what terms.
"""

import contextvars
import functools
import gzip
import hashlib
import json
import logging
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from celery import shared_task
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.views import APIView

from api_core.data_version import data_version_state, earlier_in_same_history, state_text
from api_core.redis_clients import redis_client
from api_core.release import code_release
from api_core.throttles import RenderThrottle

logger = logging.getLogger(__name__)

# The cache aliases (configured in settings.CACHES): rendered bodies and kept headers in
# each web process's memory; shared bodies, their addresses and build locks in Redis.
ANSWERS_CACHE = "answers"
SHARED_ANSWERS_CACHE = "shared_answers"
# What a rendered answer may say about its body, kept with it (a download's file name and
# licence).
DESCRIBING_HEADERS = ("Content-Disposition", "Link")
SAFE_METHODS = ("GET", "HEAD")
API_PATH = "/api/"  # its answers are behind the API's own fair-use limits (`throttles`)
KEPT_DAYS = 24 * 3600  # addresses and last complete answers, refreshed on each build
# A URL that names the data version it was made for never changes content: browsers and
# proxies may keep it for a year.
IMMUTABLE = 365 * 24 * 3600
POLL_SECONDS = 0.05
# What visitors asked for since the last rebuild counts fully, what they asked for before
# it half as much at each rebuild; an address no one asked for in about seven rebuilds
# (0.5 ** 7 < 0.01) is forgotten: the worker builds what is asked for, and no more.
EARLIER_DEMAND_WEIGHT = 0.5
FORGOTTEN_BELOW = 0.01

# Set while a worker rebuilds the shared answers: it builds, never serves a stale answer.
_rebuilding = contextvars.ContextVar("rebuilding", default=False)


# Values kept in this process


_values = {}  # key -> (data version state, value): one entry per key, the newest version's
_values_lock = threading.RLock()  # a kept value may be built from another


def per_data_version(key, compute):
    """`compute()`, once per data version and key, kept in this process's memory as it is
    (not pickled: the similar-areas matrix is read on every request). A key holds only its
    newest version's value, so memory is bounded by the number of keys the code uses."""
    state = data_version_state()
    kept = _values.get(key)
    if kept is not None and kept[0] == state:
        return kept[1]
    with _values_lock:  # one computation at a time; a second asker takes its result
        kept = _values.get(key)
        if kept is None or kept[0] != state:
            kept = _values[key] = (state, compute())
    return kept[1]


_accounts = {}


class MemoryCache(LocMemCache):
    """Django's in-process cache, bounded in bytes (`OPTIONS["MAX_BYTES"]`) as well as in
    entries: the least recently used entries make room. No query string can make a web
    process grow without bound."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 64 << 20))
        self._account = _accounts.setdefault(name, {"sizes": {}, "total": 0})

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)
        account = self._account
        while self._cache and (
            len(self._cache) >= self._max_entries or account["total"] + len(value) > self._max_bytes
        ):
            oldest, _ = self._cache.popitem()  # LocMemCache keeps the most recent first
            self._expire_info.pop(oldest, None)
            account["total"] -= account["sizes"].pop(oldest, 0)
        if len(value) > self._max_bytes:
            return
        self._cache[key] = value
        self._cache.move_to_end(key, last=False)
        self._expire_info[key] = self.get_backend_timeout(timeout)
        account["sizes"][key] = len(value)
        account["total"] += len(value)

    def _delete(self, key):
        self._account["total"] -= self._account["sizes"].pop(key, 0)
        return super()._delete(key)

    def clear(self):
        super().clear()
        with self._lock:
            self._account["sizes"].clear()
            self._account["total"] = 0


# What an answer depends on


def canonical_path(request, reads=None):
    """The path and the query parameters the view reads (`reads`: a tuple of names, sorted
    into one canonical order; None: the whole query string, as asked)."""
    if reads is None:
        return request.get_full_path()
    params = sorted((name, value) for name in reads for value in request.GET.getlist(name))
    return request.path + ("?" + urlencode(params) if params else "")


def address_of(request, vary=(), reads=None):
    """The request as its answer depends on it: the code release that renders it, scheme,
    host and path (bodies may name them: the API's links are absolute), the query
    parameters the view reads (`canonical_path`), and the `vary` request headers."""
    uri = request.build_absolute_uri(canonical_path(request, reads))
    headers = [f"{h}={request.headers.get(h, '')}" for h in vary]
    return "|".join([code_release(), uri, *headers])


def etag_of(address, state):
    fingerprint = f"{state_text(state)}|{address}"
    return '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Body:
    """A rendered answer as kept: gzipped body, type, describing headers, and when and for
    which data version it was built."""

    compressed: bytes
    content_type: str
    described: dict
    state: tuple
    built_at: float

    def content(self, gzipped):
        """Kept gzipped only (a download of the register is 10 MB as text, 2 MB gzipped):
        the rare client that cannot take gzip gets it unpacked."""
        return self.compressed if gzipped else gzip.decompress(self.compressed)


def built(render, state):
    """`render()` as a Body, or the response itself when it is not a 200 to keep."""
    response = render()
    if response.status_code != 200 or response.streaming:
        return response
    described = {h: response[h] for h in DESCRIBING_HEADERS if response.has_header(h)}
    return Body(
        compress_string(response.content), response["Content-Type"], described, state, time.time()
    )


# Shared answers (Redis)


class Shared:
    """Bodies, build locks, last complete answers and addresses in Redis. Every call fails
    open: `available` turns False at the first error, and the caller builds by itself."""

    def __init__(self):
        self.cache = caches[SHARED_ANSWERS_CACHE]
        self.available = True

    def call(self, operation, *args, **kwargs):
        return self.run(lambda client: getattr(client, operation)(*args, **kwargs))

    def run(self, steps):
        """`steps(client)` with the Redis client, or None once Redis has failed."""
        if not self.available:
            return None
        try:
            return steps(redis_client(self.cache))
        except Exception as error:  # the cache backend's connection errors vary
            logger.warning("Shared answer cache unavailable: %s", error)
            self.available = False
            return None

    def key(self, *parts):
        return self.cache.make_key(":".join(parts))

    def body(self, etag):
        kept = self.call("get", self.key("body", etag))
        return None if kept is None else pickle.loads(kept)

    def keep(self, etag, body, address):
        ttl = self.cache.default_timeout
        self.call("set", self.key("body", etag), pickle.dumps(body), ex=ttl)
        latest = pickle.dumps((etag, body.state))
        self.call("set", self.key("latest", digest(address)), latest, ex=KEPT_DAYS)

    def latest(self, address):
        """(etag, state) of the last complete answer at this address, or None."""
        kept = self.call("get", self.key("latest", digest(address)))
        return None if kept is None else pickle.loads(kept)

    def lock(self, etag):
        """Whether this process may build the answer now: nobody else is building it."""
        seconds = settings.KEPT_ANSWER_BUILD_SECONDS  # a build slower than this has died
        return bool(self.call("set", self.key("building", etag), b"1", nx=True, ex=seconds))

    def unlock(self, etag):
        self.call("delete", self.key("building", etag))

    def first_to_ask_for(self, state):
        """True once per data version, for the request that should ask for the rebuild."""
        key = self.key("rebuild", state_text(state))
        return bool(self.call("set", key, b"1", nx=True, ex=KEPT_DAYS))

    def asked(self, location):
        """A visitor's process needed this answer (once per process and data version, or
        each time it asks again while it gives a stale one): demand, for the next
        rebuild."""
        member, asked = json.dumps(location, sort_keys=True), self.key("asked")

        def count(client):  # one round trip
            client.pipeline(transaction=False).zincrby(asked, 1, member).expire(
                asked, KEPT_DAYS
            ).execute()

        self.run(count)

    def most_asked(self, count):
        """The `count` locations most asked for lately, most first (see
        `EARLIER_DEMAND_WEIGHT`): what was asked since the last rebuild is taken (and
        counted from zero again) in one transaction."""
        asked, earlier = self.key("asked"), self.key("asked", "earlier")

        def take(client):
            step = client.pipeline(transaction=True)
            step.zunionstore(earlier, {asked: 1, earlier: EARLIER_DEMAND_WEIGHT})
            step.delete(asked)
            step.zremrangebyscore(earlier, "-inf", f"({FORGOTTEN_BELOW}")
            step.expire(earlier, KEPT_DAYS)
            step.zrevrange(earlier, 0, count - 1)
            return step.execute()[-1]

        return [json.loads(member) for member in self.run(take) or []]


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def shared_body(etag, render, state, address, location):
    """This version's body for a shared answer (see `body_for_everyone`), its demand
    counted for the worker's next rebuild when it is one to keep (a 404 is no demand)."""
    shared = Shared()
    body = body_for_everyone(shared, etag, render, state, address)
    if isinstance(body, Body) and not _rebuilding.get():
        shared.asked(location)
    return body


def body_for_everyone(shared, etag, render, state, address):
    """Kept in Redis by whoever built it; or, for `KEPT_ANSWER_MAX_STALE` seconds after
    the data version moved, the last complete one while a worker builds it (`Body.state`
    says which); or built here, by one process at a time, the others waiting for it (and
    given the last complete answer if it is late)."""
    body = shared.body(etag)
    if body is not None:
        return body
    if not shared.available:
        return built(render, state)
    last = None if _rebuilding.get() else last_complete(shared, address, state)
    if last is not None and (last.state == state or moved_recently(state)):
        if last.state != state:  # the last complete answer, while the worker builds anew
            ask_for_rebuild(shared, state)
        return last
    deadline = time.monotonic() + settings.KEPT_ANSWER_WAIT
    while not shared.lock(etag):
        if not shared.available:
            break
        if time.monotonic() > deadline:
            if last is not None:
                return last
            logger.warning("Building %s without the lock: the build holding it is late", etag)
            break
        time.sleep(POLL_SECONDS)
        body = shared.body(etag)
        if body is not None:
            return body
    try:
        body = shared.body(etag)  # built by the lock's last holder since the last look
        if body is None:
            body = built(render, state)
            if isinstance(body, Body):  # kept before the lock goes, or a waiter builds again
                shared.keep(etag, body, address)
    except Exception:
        logger.exception("Building the answer %s failed; the last good one stays", etag)
        raise
    finally:
        shared.unlock(etag)
    return body


def moved_recently(state, seconds=None):
    """Whether the data version moved less than `seconds` (`KEPT_ANSWER_MAX_STALE`) ago."""
    changed = state[1]
    if seconds is None:
        seconds = settings.KEPT_ANSWER_MAX_STALE
    return changed is not None and (timezone.now() - changed).total_seconds() < seconds


def last_complete(shared, address, state):
    """The last complete answer at this address, of this data version (built since the
    caller looked) or an earlier one, or None: never one of a history a restore replaced
    (`earlier_in_same_history`)."""
    latest = shared.latest(address)
    if latest is None or not (latest[1] == state or earlier_in_same_history(latest[1], state)):
        return None
    etag, _old_state = latest
    return caches[ANSWERS_CACHE].get(etag) or shared.body(etag)


_queueing = None  # this process's one thread that queues rebuilds, made on first use


def ask_for_rebuild(shared, state):
    """Once per data version: a worker builds every shared answer anew. Queued from a thread
    of this process, so the visitor who met the change is answered at once: a process's
    first message to the broker opens its connection (about 80 ms)."""
    global _queueing
    if not shared.first_to_ask_for(state):
        return None
    if _queueing is None:
        _queueing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-rebuild")
    return _queueing.submit(queue_rebuild)


def queue_rebuild():
    try:
        rebuild_kept_answers.apply_async(retry=False)
    except Exception as error:  # broker down: requests build after the staleness limit
        logger.warning("Rebuild of the kept answers not queued (%s)", error)


def too_many_pages(wait):
    response = HttpResponse(
        f"Too many pages asked for at once: try again in {wait} seconds.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def location_of(request, vary, reads):
    """What a worker needs to ask for the same answer (see `rebuild_shared`): no more than
    its address says, so one address is one location."""
    return {
        "path": canonical_path(request, reads),
        "secure": request.is_secure(),
        "host": request.get_host(),
        "accept": request.headers.get("Accept", "") if "Accept" in vary else "",
    }


def rebuild_shared():
    """Build the current data version's answer at the shared addresses visitors asked for
    lately (`Shared.most_asked`; a worker's job after each change), most asked first, at
    most `KEPT_ANSWER_REBUILD_MOST`. Returns how many were built; one that fails is logged
    and keeps its last good answer."""
    from django.test import RequestFactory  # a request as the web server would make it
    from django.urls import resolve

    factory = RequestFactory()
    count = 0
    token = _rebuilding.set(True)
    try:
        for location in Shared().most_asked(settings.KEPT_ANSWER_REBUILD_MOST):
            path = urlsplit(location["path"]).path
            accept = {"HTTP_ACCEPT": location["accept"]} if location["accept"] else {}
            request = factory.get(
                location["path"],
                secure=location["secure"],
                HTTP_HOST=location["host"],
                HTTP_ACCEPT_ENCODING="gzip",
                HTTP_SEC_FETCH_SITE="same-origin",  # the site's own: no API quota spent
                **accept,  # none, as asked (an empty Accept is another, refused, request)
            )
            try:
                match = resolve(path)
                request.resolver_match = match
                response = match.func(request, *match.args, **match.kwargs)
                count += response.status_code == 200
            except Http404:  # gone since it was asked for (a partnership unpublished)
                continue
            except Exception:
                logger.exception("Rebuilding %s failed; its last good answer stays", location)
    finally:
        _rebuilding.reset(token)
    return count


@shared_task(time_limit=900)
def rebuild_kept_answers():
    """After a change of data, build every shared answer of the new data version (asked for
    by the first request that meets the change), so no visitor waits for it."""
    return rebuild_shared()


# The answer


class KeptResponse(HttpResponse):
    """An answer made by `kept_response`, with what the middleware needs to keep it."""

    def __init__(
        self,
        body,
        gzipped,
        *,
        asked_for,
        shared,
        canonical,
        reads_query,
        etag,
        last_modified,
        throttles,
    ):
        super().__init__(body.content(gzipped), content_type=body.content_type)
        self.state, self.built_at, self.canonical = body.state, body.built_at, canonical
        self.shared = shared
        # The data version it was asked for in: a later one's if it is the last complete
        # answer, given while the new one is built.
        self.asked_for = asked_for
        self.stale = body.state != asked_for
        self.reads_query = reads_query
        self.etag, self.last_modified = etag, last_modified
        self.throttles = tuple(throttles or ())

    def kept(self):
        return Kept(
            state=self.state,
            etag=self.etag,
            last_modified=self.last_modified,
            headers=[(k, v) for k, v in self.headers.items() if k.lower() != "set-cookie"],
            gzipped=self.get("Content-Encoding") == "gzip",
            throttles=self.throttles,
            reads_query=self.reads_query,
            stale_for=self.asked_for if self.stale else None,
            built_at=self.built_at,
            shared=self.shared,
        )


def signed_in(request):
    """A visitor with a session (a moderator): what they are shown may be theirs alone."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def kept_response(
    request,
    render,
    *,
    vary=(),
    max_age=300,
    reads=None,
    shared=False,
    throttles=None,
    personal=False,
    canonical=None,
):
    """The answer to a GET whose content depends only on its address (`address_of`) and
    the data, rendered by `render()` once per data version.

    `reads`: the query parameters the view reads (None: all); `shared`: kept in Redis for
    every web process, and rebuilt by the worker after a change while visitors get the
    last complete answer (only for answers at addresses no query string can multiply: one
    that reads no query parameter, or an API list at a fixed address, so no query string
    can fill Redis); `throttles`: the DRF throttle classes of the view, which a repeat
    answered early must pass too (and without which rendering counts against the client's
    page limit). A response other than 200 is passed through, never kept.

    `personal` (the browsable API, which shows the visitor a CSRF token), or a request from
    someone signed in: rendered for them alone, never kept, private to them.

    `canonical`: whether this request is at the address the middleware keeps the answer
    under, when more than `reads` decides it (the map's boundaries, whose headers depend on
    the `v` the pages name); such an answer is never given for its path alone."""
    if personal or signed_in(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response
    state = data_version_state()
    address = address_of(request, vary, reads)
    etag = etag_of(address, state)
    changed = state[1]
    last_modified = int(changed.timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    cache = caches[ANSWERS_CACHE]
    body = cache.get(etag)
    if body is None:
        if shared:
            location = location_of(request, vary, reads)
            body = shared_body(etag, render, state, address, location)
        else:  # counted against the client's limits before routing (the middleware)
            body = built(render, state)
        if not isinstance(body, Body):
            return body
        cache.set(etag_of(address, body.state), body)  # of its own version, stale or not
    stale = body.state != state
    if stale:
        etag, last_modified = etag_of(address, body.state), None
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = KeptResponse(
        body,
        wants_gzip,
        asked_for=state,
        shared=shared,
        # Asked for as the view reads it: the middleware keeps it under this address (not
        # under every address a query string the view ignores can make).
        canonical=request.get_full_path() == canonical_path(request, reads)
        if canonical is None
        else canonical,
        reads_query=reads != () or canonical is not None,
        etag=etag,
        last_modified=last_modified,
        throttles=throttles,
    )
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    for header, value in body.described.items():
        response[header] = value
    patch_vary_headers(response, [*vary, "Accept-Encoding"])
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    if stale:  # the last complete answer while the new one is built: not to be kept
        response["Age"] = str(max(0, int(time.time() - body.built_at)))
        patch_cache_control(response, no_cache=True)
    elif max_age >= IMMUTABLE:  # its address names its data version: kept by anyone
        patch_cache_control(response, public=True, max_age=max_age)
    else:  # a shared cache in front keeps it briefly, then revalidates with the ETag
        patch_cache_control(
            response, public=True, max_age=max_age, s_maxage=settings.PROXY_CACHE_SECONDS
        )
    return response


def once_per_data_version(max_age=300, shared=False):
    """A page whose answer depends only on its path and the data (no query parameter, no
    visitor), answered through `kept_response`. `shared`: kept in Redis for every web
    process too. It answers GET and HEAD only: no other method can make it render."""

    def decorator(view):
        @functools.wraps(view)
        def kept_view(request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return HttpResponseNotAllowed(SAFE_METHODS)
            return kept_response(
                request,
                lambda: view(request, *args, **kwargs),
                max_age=max_age,
                reads=(),
                shared=shared,
            )

        return kept_view

    return decorator


# The middleware


@dataclass(frozen=True)
class Kept:
    """What the middleware keeps of an answer beside its body (kept once, under `etag`)."""

    state: tuple  # the data version (number, time) the answer is of
    etag: str
    last_modified: int | None
    headers: list
    gzipped: bool
    throttles: tuple  # DRF throttle classes a repeat request must pass first
    reads_query: bool  # False: the same answer at this path whatever the query string
    stale_for: tuple | None  # the later data version it is the last complete answer in
    built_at: float
    shared: bool  # rebuilt by the worker after a change, the last complete one given meanwhile

    def answers_for(self, state):
        """Whether this answer may be given now: it is of the current data version; or it is
        the last complete one while the new one is built, within the staleness limit: as
        Redis said (kept only briefly: see `KEPT_ANSWER_STALE_RECHECK`), or, in the first
        of those seconds after a change, without asking (a shared answer of the version
        before), so the visitors who meet a change cost no more than a kept answer."""
        if self.state == state:
            return True
        if self.stale_for == state:
            return moved_recently(state)
        return (
            self.shared
            and earlier_in_same_history(self.state, state)
            and moved_recently(
                state, min(settings.KEPT_ANSWER_STALE_RECHECK, settings.KEPT_ANSWER_MAX_STALE)
            )
        )


def answer_key(request, path=None):
    """Where the kept headers of this address's answer are (or of `path` at this host)."""
    meta = request.META
    fingerprint = "|".join(
        [
            "answer",
            request.scheme,
            meta.get("HTTP_HOST", ""),
            path or request.get_full_path(),
            meta.get("HTTP_ACCEPT", ""),
            "gzip" if "gzip" in meta.get("HTTP_ACCEPT_ENCODING", "") else "",
        ]
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()


def passes_throttles(request, throttles):
    """DRF's own throttle check, as the view would make it (`APIView.check_throttles`),
    with its authentication: a partner's API key is checked and counted as its own."""
    view = APIView(throttle_classes=throttles)
    api_request = view.initialize_request(request)
    try:
        view.perform_authentication(api_request)
        view.check_throttles(api_request)
    except (Throttled, AuthenticationFailed):  # the full path answers: 429 or 401
        return False
    return True


class KeptAnswerMiddleware:
    """A GET answered before (same address, same data version) is answered from its kept
    headers and body, as close to a static file as reading the data version allows.

    Every other GET or HEAD costs the whole stack (routing, the view, perhaps a render), so
    it counts against its client's page limit (`PAGE_RENDER_RATE`) first, and a client past
    it is answered 429 here, before any of that: no client asking for ever new addresses
    can hold the web workers. The API (`/api/`) has its own fair-use limits instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS or signed_in(request):
            return self.get_response(request)
        key = answer_key(request) if request.method == "GET" else None
        kept = self.kept_for(request, key) if key else None
        if kept is not None:
            state = data_version_state()
            if kept.answers_for(state):
                answer = self.answer_from(kept, request, stale=kept.state != state)
                if answer is not None:
                    return answer
        limited = self.over_the_page_limit(request)
        if limited is not None:
            return limited
        response = self.get_response(request)
        if (
            key
            and isinstance(response, KeptResponse)
            and response.canonical
            and not response.cookies
        ):
            # A last complete answer only until Redis should be asked again for the new one.
            timeout = settings.KEPT_ANSWER_STALE_RECHECK if response.stale else DEFAULT_TIMEOUT
            caches[ANSWERS_CACHE].set(key, response.kept(), timeout)
        return response

    @staticmethod
    def kept_for(request, key):
        """What is kept at this address; or, for an address with a query string, what is
        kept at its path alone if that answer reads no query parameter (a page, a file):
        a query string it ignores ("?x=<anything new>") is answered as early, and keeps
        nothing new."""
        cache = caches[ANSWERS_CACHE]
        kept = cache.get(key)
        if kept is None and request.META.get("QUERY_STRING"):
            kept = cache.get(answer_key(request, path=request.path))
            if kept is not None and kept.reads_query:
                return None
        return kept

    @staticmethod
    def over_the_page_limit(request):
        """A 429 for a client past its page limit, or None (one Redis INCR)."""
        if request.path.startswith(API_PATH):
            return None
        throttle = RenderThrottle()
        if throttle.allow_request(request, None):
            return None
        return too_many_pages(max(1, int(throttle.wait())))

    @staticmethod
    def answer_from(kept, request, stale):
        """The kept response (`stale`: as the last complete answer, said as `kept_response`
        says it), or None when its body is no longer kept or a throttle says no: then the
        full path answers (with DRF's own 429)."""
        body = caches[ANSWERS_CACHE].get(kept.etag)
        if body is None:
            return None
        if kept.throttles and not passes_throttles(request, kept.throttles):
            return None
        last_modified = None if stale else kept.last_modified
        not_modified = get_conditional_response(
            request, etag=kept.etag, last_modified=last_modified
        )
        if not_modified is not None:
            return not_modified
        response = HttpResponse(body.content(kept.gzipped))
        for header, value in kept.headers:
            response.headers[header] = value
        if stale:
            response["Age"] = str(max(0, int(time.time() - kept.built_at)))
            response["Cache-Control"] = "no-cache"
            response.headers.pop("Last-Modified", None)
        return response
