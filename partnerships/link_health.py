"""Source link health: whether each web address the records cite still answers.

A weekly task (`partnerships.tasks.check_source_links`) checks every cited address once,
however many records cite it: a HEAD request (a GET where the server refuses HEAD: 405 or
501), redirects followed one by one and recorded, a few at a time (`workers`), each within
a timeout, under a User-Agent that says who is asking and why. The results are written in
one statement (`record_results`), so the public pages change once per run.

What counts as not working: a 404, 410 or any 5xx after the redirects, too many redirects,
a timeout, a refused connection, a TLS failure or a name that does not resolve. A 401, 403
or 429 says the site turned the checker away, not that the page is gone: recorded, never
shown as broken.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnerships.models import LINK_CHECK_RESULTS, LAResearch, LinkCheck, Source

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
FALLBACK_TO_GET = (405, 501)
TURNED_AWAY = (401, 403, 429)


@dataclass
class LinkResult:
    url: str
    status_code: int | None = None
    final_url: str = ""
    redirects: list = field(default_factory=list)
    error: str = ""

    @property
    def works(self):
        if self.error:
            return False
        return self.status_code < 400 or self.status_code in TURNED_AWAY


def user_agent():
    return (
        "EducationPartnershipsMap-LinkChecker/1.0 (checks the sources the map cites, "
        f"weekly; {settings.SITE_URL}/about/)"
    )


def cited_urls():
    """Every web address a record cites: partnerships' sources and the research records'
    `sources` lists, each once."""
    urls = set(Source.objects.values_list("url", flat=True))
    for sources in LAResearch.objects.values_list("sources", flat=True):
        urls.update(source["url"] for source in sources or [] if source.get("url"))
    return sorted(urls)


def new_session(transport=None):
    """`transport`: a callable making a requests adapter for every address (the
    benchmark's: every host answered by one local server); one per session."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent()
    if transport is not None:
        adapter = transport()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session


def check_url(session, url, timeout):
    """Ask for `url` as a visitor's browser would reach it, following redirects."""
    result = LinkResult(url)
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = session.head(current, timeout=timeout, allow_redirects=False)
            if response.status_code in FALLBACK_TO_GET:
                response.close()
                response = session.get(current, timeout=timeout, allow_redirects=False, stream=True)
            response.close()
            location = response.headers.get("Location")
            if response.is_redirect and location:
                current = urljoin(current, location)
                result.redirects.append([response.status_code, current])
                continue
            result.status_code, result.final_url = response.status_code, current
            return result
        result.error = f"more than {MAX_REDIRECTS} redirects"
    except requests.exceptions.SSLError:
        result.error = "TLS error"
    except requests.exceptions.Timeout:
        result.error = f"no answer within {timeout:g} s"
    except requests.exceptions.ConnectionError as error:
        result.error = describe_connection_error(error)
    except requests.exceptions.RequestException as error:
        result.error = f"not a web address that can be checked ({type(error).__name__})"
    result.final_url = current
    return result


def describe_connection_error(error):
    text = str(error)
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "NameResolutionError" in text:
        return "the site's name does not resolve"
    return "could not connect"


def check_urls(urls, workers=None, timeout=None, transport=None):
    """Check `urls`, at most `workers` at a time; results in the order of `urls`."""
    workers = workers or settings.LINK_CHECK_WORKERS
    timeout = timeout or settings.LINK_CHECK_TIMEOUT
    local = threading.local()
    sessions = []

    def check(url):
        if not hasattr(local, "session"):  # one connection pool per worker thread
            local.session = new_session(transport)
            sessions.append(local.session)
        return check_url(local.session, url, timeout)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(check, urls))
    for session in sessions:
        session.close()
    return results


def record_results(results, now=None, cited=None):
    """Write the results in one statement: a failure keeps the date of the first failure
    in a row; a working link clears it. With `cited` (every address cited today), the rows
    of addresses no longer cited go."""
    now = now or timezone.now()
    with transaction.atomic():
        if cited is not None:
            LinkCheck.objects.exclude(url__in=cited).delete()
        known = {
            check.url: check
            for check in LinkCheck.objects.select_for_update().filter(
                url__in=[result.url for result in results]
            )
        }
        rows = []
        for result in results:
            before = known.get(result.url)
            rows.append(
                LinkCheck(
                    url=result.url,
                    status_code=result.status_code,
                    error=result.error[:200],
                    final_url=result.final_url[:2000],
                    redirects=result.redirects,
                    last_checked=now,
                    last_ok=now if result.works else (before.last_ok if before else None),
                    first_failed=None
                    if result.works
                    else (before.first_failed if before and before.first_failed else now),
                )
            )
        LinkCheck.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["url"],
            update_fields=LINK_CHECK_RESULTS,
        )
    return rows


def check_cited_links(workers=None, timeout=None, transport=None):
    """The weekly run: check every cited address and record what was found."""
    urls = cited_urls()
    results = check_urls(urls, workers=workers, timeout=timeout, transport=transport)
    record_results(results, cited=urls)
    broken = sum(not result.works for result in results)
    logger.info("Checked %d cited links: %d not working", len(results), broken)
    return {"checked": len(results), "not_working": broken}


def not_working_since(urls):
    """{url: the date it stopped working} for those of `urls` that do not work now."""
    return dict(
        LinkCheck.objects.filter(url__in=list(urls), first_failed__isnull=False).values_list(
            "url", "first_failed"
        )
    )


def broken_checks():
    return LinkCheck.objects.filter(first_failed__isnull=False)


def research_urls(research):
    return [source["url"] for source in research.sources or [] if source.get("url")]


def broken_links_of(record):
    """The link checks of the addresses `record` (a partnership or a research record)
    cites that do not work now."""
    if isinstance(record, LAResearch):
        urls = research_urls(record)
    else:
        urls = [source.url for source in record.sources.all()]
    return list(broken_checks().filter(url__in=urls).order_by("first_failed", "url"))


def partnerships_with_broken_sources(partnerships):
    return partnerships.filter(
        pk__in=Source.objects.filter(url__in=broken_checks().values("url")).values("partnership")
    )


def research_with_broken_sources(records):
    """The research records citing an address that does not work now (their sources are a
    JSON list: read here, there are one per LA)."""
    broken = set(broken_checks().values_list("url", flat=True))
    if not broken:
        return records.none()
    pks = [
        pk
        for pk, sources in LAResearch.objects.values_list("pk", "sources")
        if any(source.get("url") in broken for source in sources or [])
    ]
    return records.filter(pk__in=pks)
