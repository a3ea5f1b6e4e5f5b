import re

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api_core.kept_answers import kept_response
from api_core.views import ConditionalListMixin, GeoJSONSwitchMixin, shows_the_visitor
from geodata.api.views import LocalAuthorityViewSet, SchoolViewSet, TrustViewSet
from geodata.models import LocalAuthority
from geodata.postcodes import (
    InvalidPostcode,
    PostcodeNotFound,
    display_postcode,
    normalise_postcode,
    place_postcode,
)
from partnerships import search, timeline
from partnerships.api.filters import (
    PartnershipFilter,
    SchoolWithPartnershipFilter,
    TrustWithPartnershipFilter,
)
from partnerships.api.serializers import (
    LandscapeOverTimeSerializer,
    LocalAuthorityWithPartnershipsSerializer,
    PartnershipFeatureSerializer,
    PartnershipSerializer,
    PostcodeSerializer,
    SearchResponseSerializer,
)
from partnerships.models import Partnership

# A postcode as the path may spell it: any case, spaces anywhere (the schema says the same).
POSTCODE_PATTERN = r"^ *[A-Za-z] *([A-Za-z] *)?[0-9] *([A-Za-z0-9] *)?[0-9] *[A-Za-z] *[A-Za-z] *$"


class PartnershipViewSet(GeoJSONSwitchMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Published area-based education partnerships, by slug. Add `?format=geojson` for
    footprints. Filters combine (all must match); comma-separated values match any."""

    serializer_class = PartnershipSerializer
    geojson_serializer_class = PartnershipFeatureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnershipFilter
    lookup_field = "slug"

    def get_queryset(self):
        queryset = Partnership.objects.published().with_public_relations()
        if not self.is_geojson():
            queryset = queryset.defer("display_footprint", "drawn_footprint")
        return queryset.order_by("name")


class SchoolWithPartnershipsViewSet(SchoolViewSet):
    __doc__ = SchoolViewSet.__doc__ + " `partnership` (a slug) lists a partnership's schools."
    filterset_class = SchoolWithPartnershipFilter


class TrustWithPartnershipsViewSet(TrustViewSet):
    __doc__ = (
        TrustViewSet.__doc__
        + " `partnership_role=true` lists trusts that published local partnerships name."
    )
    filterset_class = TrustWithPartnershipFilter


class LocalAuthorityWithPartnershipsViewSet(LocalAuthorityViewSet):
    __doc__ = LocalAuthorityViewSet.__doc__ + (
        " Detail adds `coverage` (open state-funded schools, the share reached by at least "
        "one local partnership, the share named as members) and `research` (what we know "
        "of school collaboration there)."
    )

    def get_serializer_class(self):
        if self.action == "retrieve" and not self.is_geojson():
            return LocalAuthorityWithPartnershipsSerializer
        return super().get_serializer_class()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "code",
            {"type": "string", "pattern": "^[A-Za-z0-9]{3,9}$"},
            OpenApiParameter.PATH,
            description="E92000001 for England, or a local authority's ONS, DfE or former "
            "code (other codes than today's ONS code redirect to it).",
        )
    ],
    responses={200: LandscapeOverTimeSerializer},
)
class LandscapeView(APIView):
    """The landscape over time for England (`E92000001`) or a local authority: successor
    events by year and kind (GIAS links: academy conversions, mergers...), the share of
    open state-funded schools in academies now, and local partnerships by year founded and
    ceased; `sources` says what each series counts and where it comes from."""

    def get(self, request, code):
        def render():
            if code != timeline.ENGLAND:
                authority = LocalAuthorityViewSet().resolve_code(request, code)
                if not isinstance(authority, LocalAuthority):
                    return authority  # a redirect or a 300 (a 404 is raised)
            data = LandscapeOverTimeSerializer(timeline.timeline_of(code)).data
            return self.finalize_response(request, Response(data)).render()

        return kept_response(
            request,
            render,
            vary=["Accept"],
            reads=(),
            throttles=self.throttle_classes,
            personal=shows_the_visitor(request),
        )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": search.MAX_LENGTH},
            description="A place, code, postcode, school or trust.",
        )
    ],
    responses={200: SearchResponseSerializer},
)
class SearchView(APIView):
    """Search for the map: areas (current, or former authorities leading to their
    successors, by name or code), postcodes (to their area), schools and trusts. Each
    result is `{kind, label, url, la}`; `message` says when nothing was found."""

    def get(self, request):
        query = request.query_params.get("q", "")
        if len(query) > search.MAX_LENGTH:
            raise ValidationError({"q": [f"at most {search.MAX_LENGTH} characters"]})
        return Response(search.search(query))


@extend_schema(
    parameters=[
        OpenApiParameter(
            "postcode",
            {"type": "string", "pattern": POSTCODE_PATTERN},
            OpenApiParameter.PATH,
            description="An English postcode, any case and spacing.",
        )
    ],
    responses={200: PostcodeSerializer},
)
class PostcodeView(APIView):
    """The local authority an English postcode lies in. Any case and spacing is
    accepted ('s12he', 'S1  2HE'); terminated postcodes answer with their last authority.
    A postcode not in our data whose sector has known postcodes answers with `match`
    "sector": `local_authority` is the LA when the whole sector lies in one ('MK40 1SJ':
    Bedford), null when it spans several, listed in `sector_local_authorities`; `note` says
    so. Non-English postcodes, and unknown ones in an unknown sector: 404 with a message;
    not a postcode: 400."""

    def get(self, request, postcode):
        if not re.fullmatch(POSTCODE_PATTERN, postcode):
            message = (
                f"{postcode.strip()[:20]!r} is not a postcode (expected something like 'S1 2HE')"
            )
            raise ValidationError({"postcode": [message]})
        try:
            placed = place_postcode(postcode)
        except InvalidPostcode as error:
            raise ValidationError({"postcode": [str(error)]}) from None
        except PostcodeNotFound as error:
            return Response(
                {"detail": str(error), "postcode": display_postcode(normalise_postcode(postcode))},
                status=404,
            )
        return Response(PostcodeSerializer(placed, context={"request": request}).data)
