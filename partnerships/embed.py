"""Embeds: the only pages other sites may frame (`frame-ancestors *`); every other page
keeps the site-wide `frame-ancestors 'none'` and `X-Frame-Options: DENY`.

The headers are set on the answer as `kept_response` returns it, so the kept copy a repeat
request is given carries them too (the CSP middleware leaves a policy already set)."""

import functools

from csp.utils import build_policy
from django.conf import settings

EMBED_FRAMING = {"frame-ancestors": ["*"]}


def framable_by_any_site(view):
    """`view`'s answers may be framed by any site: a policy of its own, no X-Frame-Options."""

    @functools.wraps(view)
    def framable(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = build_policy(
            config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], replace=EMBED_FRAMING
        )
        response.xframe_options_exempt = True
        return response

    return framable


def embed_snippet(url, title):
    """The <iframe> a site pastes to show an embed."""
    return (
        f'<iframe src="{url}" title="{title}" width="100%" height="480" '
        'style="border:0" loading="lazy"></iframe>'
    )
