"""Answers kept per data version: work that depends only on the data is done once per
data version (`api_core.data_version`), never once per request.

One mechanism, three depths, all under the same key (the data version's number *and* the
time it moved, so a rebuilt or restored database never meets an old answer):
- `per_data_version(key, compute)`: a value (the similar-areas matrix), in this process.
- `kept_response(request, render)`: a GET's rendered body (pages, API lists, downloads,
  map data, similar areas), gzipped, kept under an ETag that names the data version, in
  this process; the costliest (`shared`) also in Redis, so one web process renders them
  for all. A matching If-None-Match or If-Modified-Since gets 304 at once.
- `KeptAnswerMiddleware`: the same GET asked again is answered from the kept headers and
  body before the rest of the middleware, URL routing and the view run. An answer behind
  the API's fair-use limits (`throttles`) is given early only after DRF's own throttle
  check (`APIView.check_throttles`) lets the request through; otherwise the full path
  answers, with DRF's own 429.

The contract between `kept_response` and the middleware is `KeptResponse`: only what it
made is kept, and it says itself what may be kept and on what terms.
"""

import functools
import gzip
import hashlib
import logging
import pickle
import threading
from dataclasses import dataclass

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from rest_framework.exceptions import Throttled
from rest_framework.views import APIView

from api_core.data_version import data_version_state
from api_core.redis_clients import redis_client

logger = logging.getLogger(__name__)

# The cache aliases (configured in settings.CACHES): rendered bodies and kept headers in
# each web process's memory; the costliest bodies also in Redis for every web process.
ANSWERS_CACHE = "answers"
SHARED_ANSWERS_CACHE = "shared_answers"
# What a rendered answer may say about its body, kept with it (a download's file name and
# licence).
DESCRIBING_HEADERS = ("Content-Disposition", "Link")

_values = {}  # key -> (data version state, value): one entry per key, the newest version's
_values_lock = threading.Lock()


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


@dataclass(frozen=True)
class Kept:
    """What the middleware keeps of an answer beside its body (kept once, under `etag`)."""

    state: tuple  # the data version (number, time) the answer is of
    etag: str
    last_modified: int | None
    headers: list
    gzipped: bool
    throttles: tuple  # DRF throttle classes a repeat request must pass first


class KeptResponse(HttpResponse):
    """An answer made by `kept_response`, with what the middleware needs to keep it."""

    def __init__(self, *args, state, etag, last_modified, throttles, **kwargs):
        super().__init__(*args, **kwargs)
        self.state, self.etag, self.last_modified = state, etag, last_modified
        self.throttles = tuple(throttles or ())

    def kept(self):
        return Kept(
            state=self.state,
            etag=self.etag,
            last_modified=self.last_modified,
            headers=[(k, v) for k, v in self.headers.items() if k.lower() != "set-cookie"],
            gzipped=self.get("Content-Encoding") == "gzip",
            throttles=self.throttles,
        )


def etag_of(request, state, vary):
    """The ETag of this address's answer in this data version (bodies name the scheme and
    host asked: the API's links are absolute)."""
    version, changed = state
    fingerprint = "|".join(
        [
            str(version),
            changed.isoformat() if changed else "",
            request.build_absolute_uri(),
            *(request.headers.get(h, "") for h in vary),
        ]
    )
    return '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'


def kept_response(request, render, *, vary=(), max_age=300, shared=False, throttles=None):
    """The answer to a GET whose content depends only on the URL (and the `vary` request
    headers) and the data, rendered by `render()` once per data version.

    `shared`: also kept in Redis for every web process. Only answers at a fixed address may
    be shared: a query string anyone can vary would fill Redis. `throttles`: the DRF
    throttle classes of the view, which a repeat answered early must pass too.
    A response other than 200 is passed through, never kept."""
    state = data_version_state()
    etag = etag_of(request, state, vary)
    changed = state[1]
    last_modified = int(changed.timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    cache = caches[ANSWERS_CACHE]
    cached = cache.get(etag)
    if cached is None:
        reachable, cached = shared_body(etag) if shared else (False, None)
        if cached is None:
            response = render()
            if response.status_code != 200 or response.streaming:
                return response
            described = {h: response[h] for h in DESCRIBING_HEADERS if response.has_header(h)}
            cached = (compress_string(response.content), response["Content-Type"], described)
            if reachable:
                share_body(etag, cached)
        cache.set(etag, cached)
    _compressed, content_type, described = cached
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = KeptResponse(
        body_of(cached, wants_gzip),
        content_type=content_type,
        state=state,
        etag=etag,
        last_modified=last_modified,
        throttles=throttles,
    )
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    for header, value in described.items():
        response[header] = value
    patch_vary_headers(response, [*vary, "Accept-Encoding"])
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def shared_body(etag):
    """(whether Redis answered, the body another web process rendered or None). When Redis
    is down this process renders the answer itself, and does not wait on Redis again to
    share it."""
    cache = caches[SHARED_ANSWERS_CACHE]
    try:
        kept = redis_client(cache).get(cache.make_key(etag))
    except Exception as error:  # the cache backend's connection errors vary
        logger.warning("Shared answer cache unavailable: %s", error)
        return False, None
    return True, None if kept is None else pickle.loads(kept)


def share_body(etag, cached):
    cache = caches[SHARED_ANSWERS_CACHE]
    try:
        key, value = cache.make_key(etag), pickle.dumps(cached)
        redis_client(cache).set(key, value, ex=cache.default_timeout)
    except Exception as error:
        logger.warning("Shared answer cache unavailable: %s", error)


def body_of(cached, gzipped):
    """The body of a kept answer, as asked. Bodies are kept gzipped only (a download of the
    register is 10 MB as text, 2 MB gzipped): the rare client that cannot take gzip gets it
    unpacked."""
    compressed = cached[0]
    return compressed if gzipped else gzip.decompress(compressed)


def once_per_data_version(max_age=300, shared=False):
    """A plain view whose GET answer depends only on its address and the data, answered
    through `kept_response` (other methods go to the view as they are). `shared`: at its
    plain address (no query string), kept in Redis for every web process too."""

    def decorator(view):
        @functools.wraps(view)
        def kept_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            return kept_response(
                request,
                lambda: view(request, *args, **kwargs),
                max_age=max_age,
                shared=shared and not request.META.get("QUERY_STRING"),
            )

        return kept_view

    return decorator


# The middleware


def carries_api_key(request):
    """A partner's request takes the full path: its key is checked and counted there."""
    return "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META


def answer_key(request):
    """Where the kept headers of this address's answer are."""
    meta = request.META
    fingerprint = "|".join(
        [
            "answer",
            request.scheme,
            meta.get("HTTP_HOST", ""),
            request.get_full_path(),
            meta.get("HTTP_ACCEPT", ""),
            "gzip" if "gzip" in meta.get("HTTP_ACCEPT_ENCODING", "") else "",
        ]
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()


def passes_throttles(request, throttles):
    """DRF's own throttle check, as the view would make it (`APIView.check_throttles`)."""
    view = APIView(throttle_classes=throttles)
    try:
        view.check_throttles(view.initialize_request(request))
    except Throttled:
        return False
    return True


class KeptAnswerMiddleware:
    """A GET answered before (same address, same data version) is answered from its kept
    headers and body, as close to a static file as reading the data version allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or carries_api_key(request):
            return self.get_response(request)
        cache = caches[ANSWERS_CACHE]
        key = answer_key(request)
        kept = cache.get(key)
        if kept is not None and kept.state == data_version_state():
            answer = self.answer_from(kept, request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if isinstance(response, KeptResponse) and not response.cookies:
            cache.set(key, response.kept())
        return response

    @staticmethod
    def answer_from(kept, request):
        """The kept response, or None when its body is no longer kept or a throttle says no:
        then the full path answers (with DRF's own 429)."""
        cached = caches[ANSWERS_CACHE].get(kept.etag)
        if cached is None:
            return None
        if kept.throttles and not passes_throttles(request, kept.throttles):
            return None
        not_modified = get_conditional_response(
            request, etag=kept.etag, last_modified=kept.last_modified
        )
        if not_modified is not None:
            return not_modified
        response = HttpResponse(body_of(cached, kept.gzipped))
        for header, value in kept.headers:
            response.headers[header] = value
        return response
