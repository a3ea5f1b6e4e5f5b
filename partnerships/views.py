import json

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse

from geodata.landscape import school_landscape
from geodata.models import (
    BoundarySet,
    ImportRun,
    Indicator,
    LocalAuthority,
    Region,
    School,
    Trust,
)
from geodata.similarity import DEFAULT_WEIGHTS
from partnerships.coverage import coverage_by_authority, schools_in_partnerships
from partnerships.models import FocusArea, Membership, Partnership, Phase, Suggestion
from partnerships.moderation import public_changes
from partnerships.suggestions import (
    RATE_LIMIT,
    SuggestionForm,
    client_fingerprint,
    over_rate_limit,
    submit,
)


def choices(enum):
    return [[value, label] for value, label in enum.choices]


def published_with_area_codes():
    """Published partnerships with just their areas' codes, for pages that embed them."""
    return Partnership.objects.published().prefetch_related(
        Prefetch("local_authorities", queryset=LocalAuthority.objects.only("ons_code"))
    )


def map_data():
    """Everything the map filters and shades, embedded in the page: one request fewer."""
    partnerships = published_with_area_codes()
    register = ImportRun.objects.register_state()
    return {
        "partnerships": [
            {
                "slug": p.slug,
                "name": p.name,
                "aka": p.also_known_as,
                "summary": p.summary,
                "status": p.status,
                "la_role": p.la_role,
                "scope": p.scope,
                "legal_form": p.legal_form,
                "focus": p.focus_areas,
                "phases": p.phases,
                "las": [la.ons_code for la in p.local_authorities.all()],
                "footprint": json.loads(p.drawn_footprint.geojson) if p.drawn_footprint else None,
                "url": p.get_absolute_url(),
            }
            for p in partnerships
        ],
        "choices": {
            "la_role": choices(Partnership.LARole),
            "focus": choices(FocusArea),
            "phase": choices(Phase),
            "scope": choices(Partnership.Scope),
            "legal_form": choices(Partnership.LegalForm),
            "status": choices(Partnership.Status),
        },
        "regions": list(Region.objects.values("code", "name")),
        "coverage": coverage_by_authority() if register["loaded"] else None,
    }


def map_page(request):
    return render(
        request,
        "partnerships/map.html",
        {
            "boundary_set": BoundarySet.objects.filter(is_active=True).first(),
            "register": ImportRun.objects.register_state(),
            "map_data": map_data(),
        },
    )


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
    return render(
        request,
        "partnerships/partnership.html",
        {"partnership": partnership, "changes": public_changes(partnership)},
    )


def suggest(request, slug=None):
    """The public form: a new partnership, or an amendment or closure of one."""
    partnership = get_object_or_404(Partnership.objects.published(), slug=slug) if slug else None
    fingerprint = client_fingerprint(request)
    if request.method == "POST":
        if over_rate_limit(fingerprint):
            response = render(
                request, "partnerships/suggest_limited.html", {"limit": RATE_LIMIT}, status=429
            )
            response["Retry-After"] = "3600"
            return response
        form = SuggestionForm(request.POST, partnership=partnership)
        if form.is_valid():
            suggestion = submit(form, fingerprint)
            return redirect("suggestion-received", reference=suggestion.reference)
    else:
        # "Know of one here?" links pre-fill the areas: /suggest/?la=E09000007&la=...
        initial = {} if partnership else {"local_authorities": request.GET.getlist("la")}
        form = SuggestionForm(partnership=partnership, initial=initial)
    return render(request, "partnerships/suggest.html", {"form": form, "partnership": partnership})


def suggestion_received(request, reference):
    suggestion = get_object_or_404(Suggestion, reference=reference)
    return render(
        request, "partnerships/suggest_received.html", {"reference": suggestion.reference}
    )


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
        "partnerships": [
            {
                "name": p.name,
                "url": p.get_absolute_url(),
                "las": [la.ons_code for la in p.local_authorities.all()],
            }
            for p in published_with_area_codes()
        ],
    }
    covered = schools_in_partnerships().filter(local_authority=area).count()
    landscape = school_landscape(area)
    return render(
        request,
        "partnerships/area.html",
        {
            "area": area,
            "partnerships": area.partnerships.published().order_by("name"),
            "landscape": landscape,
            "covered_schools": covered,
            "coverage": covered / landscape["state_funded_schools"]
            if landscape["state_funded_schools"]
            else None,
            "register": ImportRun.objects.register_state(),
            "similar_config": similar_config,
        },
    )


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
            "memberships": memberships.select_related("partnership", "trust"),
            "area_partnerships": school.local_authority.partnerships.published(),
        },
    )


def trust_detail(request, uid):
    trust = get_object_or_404(Trust, uid=uid)
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


def search(request):
    """Schools (name, URN or postcode) and trusts (name or UID) for the map's search box;
    areas and partnerships are searched in the page."""
    query = request.GET.get("q", "").strip()
    if len(query) < 3:
        return JsonResponse({"q": query, "results": []})
    schools = School.objects.open().select_related("local_authority")
    if query.isdigit():
        schools = schools.filter(urn=int(query))
        trusts = Trust.objects.filter(uid=int(query))
    else:
        schools = schools.filter(Q(name__icontains=query) | Q(postcode__istartswith=query))
        trusts = Trust.objects.filter(name__icontains=query)
    results = [
        {
            "kind": "school",
            "label": f"{school.name} (URN {school.urn}, "
            f"{school.postcode or school.local_authority.name})",
            "url": f"/schools/{school.urn}/",
            "la": school.local_authority.ons_code,
        }
        for school in schools.order_by("name")[:8]
    ] + [
        {
            "kind": "trust",
            "label": f"{trust.name} (trust {trust.uid})",
            "url": f"/trusts/{trust.uid}/",
        }
        for trust in trusts.order_by("name")[:5]
    ]
    return JsonResponse({"q": query, "results": results})


def data_page(request):
    from geodata.downloads import REGISTER_LICENCE
    from partnerships.downloads import LICENCE
    from partnerships.open_data import describe_downloads

    return render(
        request,
        "partnerships/data.html",
        {
            "licences": {**LICENCE, "register": REGISTER_LICENCE},
            "files": describe_downloads(request),
        },
    )


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
