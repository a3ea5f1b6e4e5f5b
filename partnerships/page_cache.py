"""Public pages are rendered once per data version: they depend only on their URL and the
data, never on who asks (no forms, no sessions)."""

from functools import wraps

from api_core.views import versioned_response

# Browsers ask again every time (a 304 while the data version holds), so an approved change
# shows at once.
PAGE_MAX_AGE = 0


def rendered_once_per_data_version(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return versioned_response(
            request, lambda: view(request, *args, **kwargs), max_age=PAGE_MAX_AGE
        )

    return wrapper
