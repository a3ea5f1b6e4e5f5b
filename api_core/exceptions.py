"""The API's errors are JSON whatever failed. DRF answers its own errors (400, 404, 429...) in
JSON, but anything else raised in a view, and anything raised outside DRF (the middleware
reading the data version, say), reaches Django's `handler500`, which answers HTML: wrap the
site's handler so that API paths get a short JSON `detail` instead, and a database that cannot
be reached is a 503 (try again), not a 500. Nothing of the error is shown; Django logs it."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

API_PATHS = "/api/"
DATABASE_UNAVAILABLE = "The database is unavailable; try again in a minute."
RETRY_AFTER_SECONDS = 30


def json_errors_for_the_api(page_handler):
    """A `handler500`: `page_handler(request)` for pages, JSON for the API."""

    def server_error(request):
        if not request.path_info.startswith(API_PATHS):
            return page_handler(request)
        # Django calls handler500 while handling the exception: it is the one in flight.
        if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
            response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return JsonResponse({"detail": "Server error."}, status=500)

    return server_error


def json_not_found_for_the_api(page_handler):
    """A `handler404`: `page_handler(request, exception)` for pages, JSON for the API (an API
    address no view answers, such as `/api/v1/schools/abc/`, is DRF's own 404 body)."""

    def not_found(request, exception):
        if not request.path_info.startswith(API_PATHS):
            return page_handler(request, exception)
        return JsonResponse({"detail": "Not found."}, status=404)

    return not_found
