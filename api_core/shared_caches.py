"""What a shared cache in front of the site (the caching proxy, deploy/nginx) may keep.

Kept answers say so themselves (`kept_answers.kept_response`: `public`, `s-maxage`, an
ETag, `Vary`). Everything else is private: this middleware is the one place that says so,
and it overrules any answer that is someone's own, whatever the view said.
"""

from django.utils.cache import has_vary_header, patch_cache_control

from api_core.kept_answers import signed_in


def personal(request, response):
    """Whether the answer may be someone's own: asked for with a session, or setting a
    cookie (a session, a CSRF token), or varying with the cookies sent (a form that shows
    the visitor's CSRF token)."""
    return bool(signed_in(request) or response.cookies or has_vary_header(response, "Cookie"))


class NothingPersonalIsShared:
    """Outermost: sees every answer as it leaves, whichever layer made it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if personal(request, response):
            kept = [
                d.strip()
                for d in response.get("Cache-Control", "").split(",")
                if d.strip() and d.split("=")[0].strip().lower() not in {"public", "s-maxage"}
            ]
            response["Cache-Control"] = ", ".join(kept)
            patch_cache_control(response, private=True)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)  # kept by no one but the browser
        return response
