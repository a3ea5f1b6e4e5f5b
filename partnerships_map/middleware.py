"""Request checks every view relies on."""

from django.http import Http404, JsonResponse


class RejectNulBytes:
    """A NUL character can be in a URL but never in anything we store (PostgreSQL text
    refuses it): a path holding one names nothing (404), and a query parameter holding one
    is malformed (400 naming it), before any view or database sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No page has this address.")
        bad = sorted(
            {
                name
                for name, values in request.GET.lists()
                for value in [name, *values]
                if "\x00" in value
            }
        )
        if bad:
            return JsonResponse(
                {
                    name.replace("\x00", "\\u0000"): ["must not contain a NUL character"]
                    for name in bad
                },
                status=400,
            )
        return self.get_response(request)
