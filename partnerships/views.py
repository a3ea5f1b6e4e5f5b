from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse

from api_core.downloads import csv_response
from api_core.kept_answers import kept_response
from geodata.landscape import record_sources, school_landscape
from geodata.models import (
    BoundarySet,
    ImportRun,
    Indicator,
    LocalAuthority,
    School,
    Trust,
)
from geodata.similarity import DEFAULT_WEIGHTS
from geodata.successors import successor_of
from geodata.trusts import current_trust_uid
from partnerships import api_keys, comparison, timeline
from partnerships.api.serializers import AreaPartnershipSerializer
from partnerships.api_keys import ApiKeyRequestForm
from partnerships.changelog import (
    ChangeLogFilter,
    public_changes,
    record_name,
    record_url,
    summary_of,
)
from partnerships.coverage import coverage_of
from partnerships.downloads import LICENCE, LICENCE_LINKS
from partnerships.embed import embed_snippet, framable_by_any_site
from partnerships.headline_figures import headline_figures_of
from partnerships.link_health import not_working_since
from partnerships.map_data import map_data, published_with_area_codes, renamed_query
from partnerships.models import ApiKeyRequest, LAResearch, Membership, Partnership, Suggestion
from partnerships.page_cache import (
    PAGE_MAX_AGE,
    rendered_once_for_every_process,
    rendered_once_per_data_version,
)
from partnerships.provenance import said_by
from partnerships.suggestions import (
    MembershipSuggestionForm,
    ResearchSuggestionForm,
    SuggestionForm,
    SuggestionLimitReached,
    client_fingerprint,
    rate_limit_reached,
    submit,
    submit_membership,
    submit_research,
)
from partnerships.verification import LinkProblem, awaiting_request, confirm, propose_changes


def map_page(request):
    """The map; its filters are read from the address by its script. An address in the
    map's old filter names is sent to today's (before the kept page, which reads none)."""
    renamed = renamed_query(request.GET)
    if renamed is not None:
        return redirect(f"{request.path}?{renamed}", permanent=True)
    return map_page_as_kept(request)


@rendered_once_for_every_process
def map_page_as_kept(request):
    register = ImportRun.objects.register_state()
    return render(
        request,
        "partnerships/map.html",
        {
            "boundary_set": BoundarySet.objects.filter(is_active=True).first(),
            "register": register,
            "map_data": map_data(register),
        },
    )


@rendered_once_for_every_process
def partnership_detail(request, slug):
    partnership = get_object_or_404(
        Partnership.objects.published().prefetch_related(
            "sources",
            Prefetch("local_authorities", queryset=LocalAuthority.objects.select_related("region")),
            Prefetch(
                "members",
                queryset=Membership.objects.select_related("school", "trust", "local_authority"),
            ),
        ),
        slug=slug,
    )
    successor = partnership.successor_name
    return render(
        request,
        "partnerships/partnership.html",
        {
            "partnership": partnership,
            "said": said_by(partnership.sources.all()),
            "not_working": not_working_since(s.url for s in partnership.sources.all()),
            "successor_trust": Trust.objects.named(successor).first() if successor else None,
            "changes": public_changes(partnership),
            "embed_code": embed_snippet(
                request.build_absolute_uri(reverse("embed-partnership", kwargs={"slug": slug})),
                f"{partnership.name}: map",
            ),
        },
    )


def suggest(request, slug=None):
    """The public form: a new partnership, or an amendment or closure of one."""
    partnership = get_object_or_404(Partnership.objects.published(), slug=slug) if slug else None
    target = {"partnership": partnership}
    if partnership is None:
        # "Know of one here?" links pre-fill the areas: /suggest/?la=E09000007&la=...
        target["initial"] = {"local_authorities": request.GET.getlist("la")}
    return suggestion_form_page(
        request, SuggestionForm, submit, target, {"partnership": partnership}
    )


def suggest_research(request, code):
    """The public form for what people know about an LA: its research record."""
    research = get_object_or_404(
        LAResearch.objects.select_related("local_authority").filter(
            local_authority__in=LocalAuthority.objects.current()
        ),
        local_authority__ons_code=code,
    )
    return suggestion_form_page(
        request,
        ResearchSuggestionForm,
        submit_research,
        {"research": research},
        {"research": research},
    )


# The address parameters that name the organisation taking part, by its kind.
MEMBER_PARAMETERS = {"school": "school", "trust": "trust", "la": "local_authority"}


def suggest_membership(request, slug=None):
    """ "We take part in this partnership": from a partnership's page (`slug`), or from a
    school's or trust's page, whose link names it: ?school=<URN>, ?trust=<UID>, ?la=<code>."""
    partnership = get_object_or_404(Partnership.objects.published(), slug=slug) if slug else None
    member = next(
        (
            {"kind": kind, "identifier": request.GET[parameter]}
            for parameter, kind in MEMBER_PARAMETERS.items()
            if request.GET.get(parameter)
        ),
        None,
    )
    return suggestion_form_page(
        request,
        MembershipSuggestionForm,
        submit_membership,
        {"partnership": partnership, "member": member},
        {"partnership": partnership, "membership": True},
    )


SUGGEST_TEMPLATE = "partnerships/suggest.html"


def suggestion_form_page(
    request, form_class, save, target, context, template=SUGGEST_TEMPLATE, limit=rate_limit_reached
):
    """A public submission form (a suggestion, or a request for an API key): saved by
    `save(form, fingerprint)`, then the visitor goes to its confirmation; refused with the
    form as filled in when this client or email is over its `limit`."""
    fingerprint = client_fingerprint(request)
    if request.method == "POST":
        form = form_class(request.POST, **target)
        refused = limit(fingerprint, request.POST.get("submitter_email", ""))
        if not refused and form.is_valid():
            try:
                saved = save(form, fingerprint)
            except SuggestionLimitReached as reached:
                refused = reached
            else:
                return redirect(received_url(saved))
        if refused:
            return suggestion_limit_reached(request, form, context, refused, template)
    else:
        form = form_class(**target)
    return render(request, template, {"form": form, **context})


def received_url(saved):
    if isinstance(saved, ApiKeyRequest):
        return reverse("api-key-requested")
    return reverse("suggestion-received", kwargs={"reference": saved.reference})


def suggestion_limit_reached(request, form, context, refused, template=SUGGEST_TEMPLATE):
    """429, with the form re-shown as it was filled in and the limit said at its top."""
    form.is_valid()
    form.add_error(None, str(refused))
    response = render(request, template, {"form": form, **context}, status=429)
    response["Retry-After"] = "3600"
    return response


def api_key_request(request):
    """The public form for an API key: a moderator issues the key or declines."""
    return suggestion_form_page(
        request,
        ApiKeyRequestForm,
        api_keys.submit_request,
        {},
        {},
        template="pages/api_key_request.html",
        limit=api_keys.limit_reached,
    )


def verification_page(request, token):
    """The owner's page: the record as published, to confirm or to change. Personal (a
    form with a CSRF token): never kept."""
    try:
        if request.method == "POST":
            verification = confirm(token)
            return render(request, "partnerships/verify_done.html", {"verification": verification})
        verification = awaiting_request(token)
    except LinkProblem as problem:
        return verification_link_problem(request, problem)
    record = verification.record
    if verification.research_id:
        record = LAResearch.objects.with_status().get(pk=record.pk)
    return render(
        request,
        "partnerships/verify.html",
        {"verification": verification, "record": record, "token": token},
    )


def verification_changes(request, token):
    """The owner proposes changes: the public suggestion form for the record, whose
    suggestion answers the request."""
    try:
        verification = awaiting_request(token)
    except LinkProblem as problem:
        return verification_link_problem(request, problem)
    if verification.partnership_id:
        form_class, save = SuggestionForm, submit
        target = {"partnership": verification.partnership}
    else:
        form_class, save = ResearchSuggestionForm, submit_research
        target = {"research": verification.research}

    def save_answering(form, fingerprint):
        return propose_changes(token, lambda: save(form, fingerprint))

    try:
        return suggestion_form_page(request, form_class, save_answering, target, target)
    except LinkProblem as problem:  # answered meanwhile (another tab): nothing saved
        return verification_link_problem(request, problem)


LINK_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "used": 410}


def verification_link_problem(request, problem):
    return render(
        request,
        "partnerships/verify_problem.html",
        {"problem": problem.kind},
        status=LINK_PROBLEM_STATUS[problem.kind],
    )


def suggestion_received(request, reference):
    suggestion = get_object_or_404(Suggestion, reference=reference)
    return render(
        request, "partnerships/suggest_received.html", {"reference": suggestion.reference}
    )


@rendered_once_for_every_process
def area_detail(request, code):
    matches = list(LocalAuthority.objects.current().resolve(code))
    if not matches:
        raise Http404(f"No local authority has the code {code}.")
    if len(matches) == 1 and matches[0].ons_code != code:
        return redirect("area", code=matches[0].ons_code)
    if len(matches) > 1:
        return render(
            request, "partnerships/area_successors.html", {"code": code, "areas": matches}
        )
    area = matches[0]
    similar_config = {
        "url": reverse("api:local-authority-similar", kwargs={"code": area.ons_code}),
        "indicators": [
            {"code": i.code, "name": i.name, "unit": i.unit, "group": i.group}
            for i in Indicator.objects.order_by("group", "name")
        ],
        "defaults": DEFAULT_WEIGHTS,
        "partnerships": AreaPartnershipSerializer(published_with_area_codes(), many=True).data,
    }
    landscape = school_landscape(area)
    partnerships = area.partnerships.published().order_by("name")
    research = LAResearch.objects.with_status().filter(local_authority=area).first()
    return render(
        request,
        "partnerships/area.html",
        {
            "area": area,
            "headline": headline_figures_of(area),
            "partnerships": partnerships.local(),
            "regional_bodies": partnerships.regional(),
            "research": research,
            "research_said": said_by(research.sources) if research else {},
            "research_changes": public_changes(research) if research else [],
            "not_working": not_working_since(
                s.get("url") for s in (research.sources if research else [])
            ),
            "landscape": landscape,
            "coverage": coverage_of(area),
            "record_sources": record_sources(area),
            "register": ImportRun.objects.register_state(),
            "similar_config": similar_config,
            **landscape_over_time(area.ons_code),
            "embed_code": embed_snippet(
                request.build_absolute_uri(reverse("embed-area", kwargs={"code": area.ons_code})),
                f"{area.name}: education partnerships map",
            ),
        },
    )


def landscape_over_time(code):
    """What the timeline section of a page shows: the series and their chart."""
    series = timeline.timeline_of(code)
    return {"timeline": series, "timeline_chart": timeline.stacked_bars(series["successor_events"])}


@rendered_once_per_data_version
def landscape_page(request):
    """The landscape over time for England."""
    return render(
        request,
        "partnerships/landscape.html",
        {"register": ImportRun.objects.register_state(), **landscape_over_time(timeline.ENGLAND)},
    )


CHANGES_PER_PAGE = 50


def changes_page(request):
    """What changed: the approved changes across England, newest first, filtered by area
    and date from the address; kept per data version and filter."""
    return kept_response(
        request,
        lambda: render_changes_page(request),
        max_age=PAGE_MAX_AGE,
        reads=("area", "since", "until", "page"),
    )


def render_changes_page(request):
    form = ChangeLogFilter(request.GET)
    if not form.is_valid():
        context = {"form": form, "area": form.selected_area()}
        return render(request, "partnerships/changes.html", context, status=400)
    page = Paginator(form.entries(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/changes.html",
        {
            "form": form,
            "area": form.selected_area(),
            "page": page,
            "query": query.urlencode(),
            "changes": [
                {
                    "id": entry.pk,
                    "date": entry.changed_at,
                    "record": record_name(entry),
                    "url": record_url(entry),
                    "summary": summary_of(entry),
                }
                for entry in page
            ],
        },
    )


@rendered_once_per_data_version
def school_detail(request, urn):
    school = get_object_or_404(School.objects.select_related("local_authority", "trust"), urn=urn)
    memberships = Membership.objects.filter(partnership__published=True).filter(
        Q(school=school) | Q(trust=school.trust_id, trust__isnull=False)
    )
    return render(
        request,
        "partnerships/school.html",
        {
            "school": school,
            "successor": successor_of(school),
            "memberships": memberships.select_related("partnership", "trust"),
            "area_partnerships": school.local_authority.partnerships.published(),
        },
    )


@rendered_once_per_data_version
def trust_detail(request, uid):
    trust = get_object_or_404(Trust, uid=uid)
    if trust.superseded_by_id:
        return redirect("trust", uid=current_trust_uid(trust.uid), permanent=True)
    schools = trust.open_schools().select_related("local_authority")
    footprint = list(trust.footprint())
    memberships = Membership.objects.filter(partnership__published=True).filter(
        Q(trust=trust) | Q(school__in=schools)
    )
    local_partnerships = (
        Partnership.objects.published()
        .filter(local_authorities__in=[la.pk for la in footprint])
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "partnerships/trust.html",
        {
            "trust": trust,
            "schools": schools,
            "footprint": footprint,
            "memberships": memberships.select_related("partnership", "school"),
            "local_partnerships": local_partnerships,
        },
    )


@rendered_once_for_every_process
def data_page(request):
    from partnerships.open_data import LICENCES, describe_downloads

    return render(
        request,
        "partnerships/data.html",
        {
            "licences": LICENCES,
            "files": describe_downloads(request),
        },
    )


@rendered_once_per_data_version
def method_page(request):
    """How similar areas are found, from the indicators and default weights in use."""
    indicators = [
        {"indicator": indicator, "weight": DEFAULT_WEIGHTS.get(indicator.code)}
        for indicator in Indicator.objects.order_by("group", "name")
    ]
    indicators.sort(key=lambda row: (-(row["weight"] or 0), row["indicator"].name))
    return render(request, "pages/method.html", {"indicators": indicators})


def api_guide(request):
    """How to use the API: keys, limits, links; the rates come from the settings in force."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    return render(
        request, "pages/api.html", {"anon_rate": rates["anon"], "key_rate": rates["api_key"]}
    )


def server_error(request):
    """The 500 page: rendered without the request's context processors or any database
    access, so it still shows when the database is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def compare_page(request):
    """Areas side by side. The set is `?areas=` (ONS codes); `add` (a name or code) and a
    non-canonical set redirect to the canonical address, so the address is always the set."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    asked = request.GET.get("areas", "")
    try:
        areas = comparison.areas_to_compare(asked)
    except comparison.ComparisonError as error:
        return compare_refusal(request, [], str(error), asked)
    if "add" in request.GET:
        try:
            added = comparison.area_by_name_or_code(request.GET["add"])
            areas = comparison.areas_to_compare(
                ",".join([*(a.ons_code for a in areas), added.ons_code])
            )
        except comparison.ComparisonError as error:
            return compare_refusal(request, areas, str(error))
    canonical = ",".join(area.ons_code for area in areas)
    if "add" in request.GET or asked != canonical or set(request.GET) - {"areas"}:
        return redirect(comparison_url(areas))
    return kept_response(
        request,
        lambda: render(request, "partnerships/compare.html", compare_context(areas)),
        max_age=PAGE_MAX_AGE,
        reads=("areas",),
    )


def comparison_url(areas):
    codes = ",".join(area.ons_code for area in areas)
    return reverse("compare") + (f"?areas={codes}" if codes else "")


def compare_context(areas, error=""):
    """What the comparison page shows; each area with the address of the set without it."""
    found = comparison.comparison_of(areas)
    for profile in found["profiles"]:
        others = [area for area in areas if area != profile["area"]]
        profile["without_url"] = comparison_url(others)
    codes = ",".join(area.ons_code for area in areas)
    return {
        **found,
        "codes": codes,
        "error": error,
        "full": len(areas) >= comparison.MAX_AREAS,
        "max_areas": comparison.MAX_AREAS,
        "all_areas": LocalAuthority.objects.current().order_by("name").only("name", "ons_code"),
        "csv_url": reverse("compare-csv") + (f"?areas={codes}" if codes else ""),
    }


def compare_refusal(request, areas, message, asked=""):
    """A set that cannot be compared, or an area that cannot be added: 400 saying why, with
    the comparison as it was (never kept: it depends on what was asked)."""
    context = compare_context(areas, error=message)
    context["asked"] = asked
    return render(request, "partnerships/compare.html", context, status=400)


def compare_csv(request):
    """The comparison as a CSV file: one row per measure, one column per area and England."""
    try:
        areas = comparison.areas_to_compare(request.GET.get("areas", ""))
    except comparison.ComparisonError as error:
        return HttpResponseBadRequest(f"areas: {error}", content_type="text/plain; charset=utf-8")

    def render_csv():
        found = comparison.comparison_of(areas)
        header = ["measure", *(area.name for area in areas), "England (indicators: median of LAs)"]
        return csv_response(
            "comparison.csv",
            header,
            comparison.comparison_rows(found),
            LICENCE["landscape"],
            LICENCE_LINKS["landscape"],
        )

    return kept_response(request, render_csv, max_age=PAGE_MAX_AGE, reads=("areas",))


@framable_by_any_site
@rendered_once_per_data_version
def embed_area(request, code):
    """An area's map and partnerships, for other sites to frame."""
    area = LocalAuthority.objects.current().filter(ons_code=code).first()
    if area is None:
        matches = list(LocalAuthority.objects.current().resolve(code))
        if len(matches) == 1:
            return redirect("embed-area", code=matches[0].ons_code)
        raise Http404(f"No single local authority has the code {code}.")
    partnerships = area.partnerships.published().order_by("name")
    return render(
        request,
        "partnerships/embed.html",
        {
            "title": area.name,
            "codes": [area.ons_code],
            "page_url": reverse("area", kwargs={"code": area.ons_code}),
            "local_partnerships": partnerships.local(),
            "regional_bodies": partnerships.regional(),
        },
    )


@framable_by_any_site
@rendered_once_per_data_version
def embed_partnership(request, slug):
    """A partnership's footprint, for other sites to frame."""
    partnership = get_object_or_404(Partnership.objects.published(), slug=slug)
    areas = partnership.local_authorities.order_by("name")
    return render(
        request,
        "partnerships/embed.html",
        {
            "title": partnership.name,
            "codes": [area.ons_code for area in areas],
            "page_url": reverse("partnership", kwargs={"slug": slug}),
            "partnership": partnership,
            "areas": areas,
        },
    )
