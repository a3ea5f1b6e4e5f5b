"""Kept answers: the headers of a 200 that `versioned_response` gave (pages, API lists,
similar areas, map data, downloads) are kept beside its body, and the same GET asked again
is answered before the rest of the middleware, URL routing and DRF run: two cache reads, a
check that the data version is the one the answer is of (no query: see
`geodata.data_version`) and, for the API, its fair-use counter. All that is skipped
already shaped the kept headers; the body is `versioned_response`'s own, kept once."""

import hashlib

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from rest_framework.request import Request

from api_core.views import BODY_CACHE, body_of, data_version_state


def carries_api_key(request):
    """A partner's request takes the full path: its key is checked and counted there."""
    return "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META


def answer_key(request):
    """Where the answer to this address is kept (it holds the data version it is of)."""
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


def throttles_of(request):
    """The fair-use throttles of the view that answered: a DRF view's, or those a plain
    view was given by `throttled_like_the_api`; none for pages."""
    match = request.resolver_match
    if match is None:
        return ()
    view = getattr(match.func, "cls", None)
    if view is None:
        return tuple(getattr(match.func, "throttle_classes", ()))
    initkwargs = getattr(match.func, "initkwargs", {})
    return tuple(initkwargs.get("throttle_classes", view.throttle_classes))


class KeptAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or carries_api_key(request):
            return self.get_response(request)
        cache = caches[BODY_CACHE]
        key = answer_key(request)
        kept = cache.get(key)
        if kept is not None:
            # Only an address answered before asks: the admin, forms and the schema never do.
            request.data_version_state = data_version_state()
            if kept["version"] == request.data_version_state[0]:
                answer = self.answer_from(kept, request)
                if answer is not None:
                    return answer
        response = self.get_response(request)
        if getattr(response, "keep_answer", None) and not response.cookies:
            cache.set(key, self.keep(response, request))
        return response

    @staticmethod
    def keep(response, request):
        return {
            "version": response.keep_answer["version"],
            "headers": [(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"],
            "gzipped": response.get("Content-Encoding") == "gzip",
            "etag": response.keep_answer["etag"],
            "last_modified": response.keep_answer["last_modified"],
            "throttles": throttles_of(request),
        }

    @staticmethod
    def answer_from(kept, request):
        """The kept response, or None when its body is no longer kept or a throttle says no:
        then the full path answers (with DRF's own 429)."""
        cached = caches[BODY_CACHE].get(kept["etag"])
        if cached is None:
            return None
        if kept["throttles"]:
            api_request = Request(request)
            for throttle in kept["throttles"]:
                if not throttle().allow_request(api_request, None):
                    return None
        not_modified = get_conditional_response(
            request, etag=kept["etag"], last_modified=kept["last_modified"]
        )
        if not_modified is not None:
            return not_modified
        response = HttpResponse(body_of(cached, kept["gzipped"]))
        for header, value in kept["headers"]:
            response.headers[header] = value
        return response
