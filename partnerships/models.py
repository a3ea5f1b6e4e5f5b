import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from geodata.models import LocalAuthority, School, Trust
from partnerships.validators import MAX_EMAIL_LENGTH, validate_plain_email, validate_web_address


class ChoiceArrayField(ArrayField):
    """A list of choices, edited as checkboxes rather than comma-separated text."""

    def formfield(self, **kwargs):
        defaults = {
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name.capitalize(),
            "help_text": self.help_text,
        }
        return forms.TypedMultipleChoiceField(**{**defaults, **kwargs})

    def deconstruct(self):
        """Only the form differs, so migrations hold a plain ArrayField and need nothing
        from this module (tests/test_migrations.py)."""
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.contrib.postgres.fields.ArrayField", args, kwargs


class FocusArea(models.TextChoices):
    SCHOOL_IMPROVEMENT = "school_improvement", "School improvement"
    PEER_REVIEW = "peer_review", "Peer review"
    LEADERSHIP_CPD = "leadership_cpd", "Leadership and CPD"
    CURRICULUM = "curriculum", "Curriculum"
    INCLUSION_SEND = "inclusion_send", "Inclusion and SEND"
    ATTENDANCE = "attendance", "Attendance"
    EXCLUSIONS_AP = "exclusions_ap", "Exclusions and alternative provision"
    CAREERS_EMPLOYERS = "careers_employers", "Careers and employers"
    WELLBEING = "wellbeing_mental_health", "Wellbeing and mental health"
    YOUTH_VIOLENCE = "youth_violence_safeguarding", "Youth violence and safeguarding"
    RECRUITMENT = "recruitment_retention", "Recruitment and retention"
    EARLY_YEARS = "early_years", "Early years"
    POST_16 = "post_16", "Post-16"
    PLACE_PLANNING = "place_planning", "Place planning"


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    POST_16 = "post_16", "Post-16"


class FundingModel(models.TextChoices):
    SUBSCRIPTIONS = "subscriptions", "Member subscriptions"
    LA_COMMISSION = "la_commission", "LA commission"
    GRANTS = "grants", "Grants and programme funds"
    TRADED_SERVICES = "traded_services", "Traded services"
    OTHER = "other", "Other"


class Governance(models.TextChoices):
    EXECUTIVE_OFFICER = "executive_officer", "Executive officer"
    BOARD = "board", "Board"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    LA_SEAT = "la_seat", "LA seat on the board"


class OwnerRole(models.TextChoices):
    """Who may confirm a record, as the public is told it: a role, never a person."""

    PARTNERSHIP = "partnership", "the partnership"
    COUNCIL = "council", "the council"


class PartnershipQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def local(self):
        """Not regional: a partnership of the areas it lists (what local coverage counts)."""
        return self.exclude(scope=Partnership.Scope.REGIONAL)

    def regional(self):
        return self.filter(scope=Partnership.Scope.REGIONAL)

    def with_public_relations(self):
        """Areas (by name, with their regions), sources and members fetched alongside: what
        the API's and the downloads' serializers read, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "local_authorities",
                queryset=LocalAuthority.objects.select_related("region").order_by("name"),
            ),
            "sources",
            models.Prefetch(
                "members",
                queryset=Membership.objects.select_related("local_authority").order_by(
                    "kind", "name"
                ),
            ),
        )


class ConfirmedByOwner(models.Model):
    """A record its owner can confirm (partnerships.verification): when, and by whom as a
    role; the same two fields on a partnership and on an LA's research record."""

    confirmed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its owner last confirmed the record accurate (a verification request).",
    )
    confirmed_by = models.CharField(
        max_length=12,
        choices=OwnerRole.choices,
        blank=True,
        editable=False,
        help_text="Who confirmed it, by role (never a person's name).",
    )

    class Meta:
        abstract = True


class Partnership(ConfirmedByOwner):
    """An area-based education partnership: a local, voluntary alliance of schools,
    trusts and often the LA, taking shared responsibility for improvement across a place.

    Only published partnerships are public; every change is kept in its history.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CEASED = "ceased", "Ceased"
        UNKNOWN = "unknown", "Unknown"

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership"
        PROGRAMME = "programme", "Programme"
        NETWORK = "network", "Network"
        TRUST_LED_PROGRAMME = "trust_led_programme", "Trust-led programme"
        BOARD = "board", "Board"

    class LARole(models.TextChoices):
        # "Schools-led" says only what the sources say: a council a source names as partner
        # is said so; the absence of a council in the sources is not a claim of its absence.
        SCHOOLS_LED_COUNCIL_PARTNER = (
            "schools_led_council_partner",
            "Schools-led, with the council as a partner",
        )
        SCHOOLS_LED = "schools_led", "Schools-led; no council role stated"
        SCHOOLS_AND_LA = "schools_and_la", "Schools and LA together"
        LA_COORDINATING = "la_coordinating", "LA coordinating"

    class Scope(models.TextChoices):
        PART_LA = "part_la", "Part of a local authority"
        ONE_LA = "one_la", "One local authority"
        SEVERAL_LAS = "several_las", "Several local authorities"
        REGIONAL = "regional", "Regional"

    class LegalForm(models.TextChoices):
        SCHOOL_COMPANY = "school_company", "School company"
        CHARITY = "charity", "Charity"
        COOPERATIVE_CIC = "cooperative_cic", "Co-operative or CIC"
        COMPANY_LIMITED_BY_SHARES = "company_limited_by_shares", "Company limited by shares"
        UNINCORPORATED_BOARD = "unincorporated_board", "Unincorporated board or network"
        INDEPENDENT_COMPANY = "independent_company", "Independent not-for-profit company"
        PROGRAMME = "programme", "Programme (no legal body of its own)"
        OTHER = "other", "Other"

    class Reach(models.TextChoices):
        ALL_SCHOOLS = "all_schools", "All schools in its areas"
        PHASES = "phases", "The schools of its phases in its areas"
        NAMED_SCHOOLS = "named_schools", "A named set of schools"
        MEMBERS_ONLY = "members_only", "Named members only"
        UNKNOWN = "unknown", "Not known"

    class Successor(models.TextChoices):
        CONVERTED_TO_TRUST = "converted_to_trust", "Converted into a multi-academy trust"
        MERGED_INTO = "merged_into", "Merged into"
        REPLACED_BY = "replaced_by", "Replaced by"

    class Evidence(models.TextChoices):
        HIGH = "high", "High: several or official sources"
        MEDIUM = "medium", "Medium: one credible source"
        LOW = "low", "Low: indirect, or may not be an area-based partnership"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    also_known_as = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Short or former names.",
    )
    summary = models.TextField(help_text="Plain facts, each supported by a source.")
    website = models.URLField(blank=True, validators=[validate_web_address])
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.UNKNOWN,
        help_text="Follows the evidence year (see status_from_evidence).",
    )
    evidence_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Latest year a source shows it working."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PARTNERSHIP)
    la_role = models.CharField(
        "LA's role", max_length=30, choices=LARole.choices, blank=True, help_text="Blank: unknown."
    )
    la_role_note = models.CharField("note on the LA's role", max_length=300, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    reach = models.CharField(
        max_length=20,
        choices=Reach.choices,
        default=Reach.UNKNOWN,
        help_text="Which schools it reaches, as its sources state; unknown counts as none.",
    )
    local_authorities = models.ManyToManyField(
        LocalAuthority, related_name="partnerships", help_text="The areas it covers."
    )
    drawn_footprint = models.MultiPolygonField(
        srid=4326, null=True, blank=True, help_text="For a partnership covering part of an LA."
    )
    display_footprint = models.MultiPolygonField(
        srid=4326,
        null=True,
        blank=True,
        editable=False,
        help_text="Drawn footprint, or its areas' display geometry: prepared once for maps.",
    )
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_form = models.CharField(max_length=30, choices=LegalForm.choices, blank=True)
    legal_form_detail = models.CharField(max_length=300, blank=True)
    funding_models = ChoiceArrayField(
        models.CharField(max_length=20, choices=FundingModel.choices), default=list, blank=True
    )
    governance = ChoiceArrayField(
        models.CharField(max_length=20, choices=Governance.choices), default=list, blank=True
    )
    focus_areas = ChoiceArrayField(
        models.CharField(max_length=30, choices=FocusArea.choices), default=list, blank=True
    )
    phases = ChoiceArrayField(
        models.CharField(max_length=30, choices=Phase.choices), default=list, blank=True
    )
    declared_member_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Members the partnership declares, where no list is known."
    )
    declared_member_count_note = models.CharField(max_length=200, blank=True)
    successor_relation = models.CharField(
        "what became of it", max_length=20, choices=Successor.choices, blank=True
    )
    successor_name = models.CharField(
        "successor", max_length=200, blank=True, help_text="As the sources name it."
    )
    successor_year = models.PositiveSmallIntegerField("successor since", null=True, blank=True)
    evidence = models.CharField(max_length=10, choices=Evidence.choices, default=Evidence.MEDIUM)
    unverified_notes = models.TextField(
        blank=True, help_text="Claims not yet verified: shown as such, never as fact."
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When the facts were last checked with the partnership."
    )
    published = models.BooleanField(default=False)
    curated_hash = models.CharField(
        max_length=32, blank=True, editable=False, help_text="Fingerprint of the curated record."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[local_authorities])
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["published", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership", args=[self.slug])

    def footprint(self):
        """Where it works: its drawn footprint, else the union of the areas it covers."""
        if self.drawn_footprint:
            return self.drawn_footprint
        return self.local_authorities.aggregate(union=Union("boundary"))["union"]

    def refresh_display_footprint(self):
        """Recompute the map footprint; call after changing its areas or drawn footprint."""
        footprint = (
            self.drawn_footprint
            or self.local_authorities.aggregate(union=Union("display_geometry"))["union"]
        )
        if footprint is not None and footprint.geom_type == "Polygon":
            footprint = MultiPolygon(footprint, srid=4326)
        Partnership.objects.filter(pk=self.pk).update(display_footprint=footprint)
        self.display_footprint = footprint

    @property
    def is_regional(self):
        """Regional bodies include areas without being a local partnership of any."""
        return self.scope == self.Scope.REGIONAL

    def labels(self, field):
        return [choice_label(field, value) for value in getattr(self, field)]

    def focus_area_labels(self):
        return self.labels("focus_areas")

    def phase_labels(self):
        return self.labels("phases")

    def funding_model_labels(self):
        return self.labels("funding_models")

    def governance_labels(self):
        return self.labels("governance")


# The partnership's field groups, declared once. Forms, the curated loader, moderation,
# serializers, downloads, admin, API filters and the map all read these, and take each
# field's label and choices from the model field itself: adding a field means the model,
# its migration, these groups and a test.
PUBLIC_FIELDS = [
    "slug",
    "name",
    "also_known_as",
    "summary",
    "website",
    "kind",
    "status",
    "evidence_year",
    "la_role",
    "la_role_note",
    "scope",
    "reach",
    "local_authorities",
    "founded_year",
    "legal_form",
    "legal_form_detail",
    "funding_models",
    "governance",
    "focus_areas",
    "phases",
    "declared_member_count",
    "declared_member_count_note",
    "successor_relation",
    "successor_name",
    "successor_year",
    "evidence",
    "unverified_notes",
    "last_verified",
    "updated_at",
]
# The owner's confirmation (a verification request answered): public, never curated.
CONFIRMATION_FIELDS = ["confirmed_on", "confirmed_by"]
# What the public may propose values for, in the form's order.
SUGGESTIBLE_FIELDS = [
    "name",
    "summary",
    "website",
    "kind",
    "status",
    "evidence_year",
    "la_role",
    "scope",
    "reach",
    "local_authorities",
    "founded_year",
    "legal_form",
    "legal_form_detail",
    "funding_models",
    "governance",
    "focus_areas",
    "phases",
    "declared_member_count",
]
# What a curated record sets (its areas, members and sources are loaded beside them).
CURATED_FIELDS = [
    name for name in PUBLIC_FIELDS if name not in {"slug", "local_authorities", "updated_at"}
]
# The columns of the open-data download (areas as codes and names): the public fields but
# the long texts, which the page and the API carry.
DOWNLOADABLE_FIELDS = [
    name
    for name in PUBLIC_FIELDS
    if name not in {"summary", "la_role_note", "declared_member_count_note", "unverified_notes"}
] + CONFIRMATION_FIELDS
# Fields people filter by, under their public parameter names: the API's filters, and the
# map's, which its page embeds (partnerships.map_data) and its address carries.
FILTERABLE_FIELDS = {
    "la_role": "la_role",
    "focus": "focus_areas",
    "phase": "phases",
    "scope": "scope",
    "reach": "reach",
    "legal_form": "legal_form",
    "status": "status",
    "kind": "kind",
}

# The one status rule: ceased when a source says so; otherwise active when a source shows
# it working within this many years before the year its record was verified.
ACTIVE_WITHIN_YEARS = 3


def status_from_evidence(evidence_year, verified_year, ceased=False):
    """The status the written rule gives (fixtures/partnerships/README.md)."""
    if ceased:
        return Partnership.Status.CEASED
    if evidence_year is not None and evidence_year >= verified_year - ACTIVE_WITHIN_YEARS:
        return Partnership.Status.ACTIVE
    return Partnership.Status.UNKNOWN


def partnership_field(name):
    return Partnership._meta.get_field(name)


def is_list_field(name):
    """Fields whose value is a list: choice arrays, names, and the areas covered."""
    field = partnership_field(name)
    return field.many_to_many or isinstance(field, ArrayField)


def field_choices(name):
    """[(value, label)] of a choice field or choice array; [] for free fields."""
    field = partnership_field(name)
    if isinstance(field, ArrayField):
        field = field.base_field
    return list(field.choices or [])


def field_label(name):
    return partnership_field(name).verbose_name.capitalize()


def choice_label(name, value):
    return dict(field_choices(name)).get(value, value)


def partnership_values(partnership, fields=SUGGESTIBLE_FIELDS):
    """The given fields of a partnership as plain JSON values (lists sorted, areas as
    ONS codes): what suggestions propose and moderation compares."""
    values = {}
    for name in fields:
        if name == "local_authorities":
            values[name] = sorted(la.ons_code for la in partnership.local_authorities.all())
        elif is_list_field(name):
            values[name] = sorted(getattr(partnership, name))
        else:
            values[name] = getattr(partnership, name)
    return values


class Membership(models.Model):
    """A participant in a partnership: a school (by URN), a trust, an LA or another
    organisation (charity, employer, university, diocese...), with its role and dates.

    Schools and trusts are referenced by their register identifiers even before the
    register is loaded, hence no database constraint on those keys.
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        TRUST = "trust", "Trust"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ORGANISATION = "organisation", "Other organisation"

    class OrganisationType(models.TextChoices):
        CHARITY = "charity", "Charity"
        EMPLOYER = "employer", "Employer"
        UNIVERSITY = "university", "University"
        DIOCESE = "diocese", "Diocese"
        TEACHING_SCHOOL_HUB = "teaching_school_hub", "Teaching school hub"
        HEADS_ASSOCIATION = "heads_association", "Headteachers' association"
        COLLEGE = "college", "College"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="URN.",
    )
    trust = models.ForeignKey(
        Trust,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="GIAS group UID.",
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    name = models.CharField(max_length=200, help_text="As the partnership names the member.")
    organisation_type = models.CharField(
        max_length=30, choices=OrganisationType.choices, blank=True
    )
    role = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="school", school__isnull=False)
                    | models.Q(kind="trust", trust__isnull=False)
                    | models.Q(kind="local_authority", local_authority__isnull=False)
                    | models.Q(kind="organisation")
                ),
                name="membership_names_its_member",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.name} in {self.partnership}"


class Source(models.Model):
    """Where a fact about a partnership comes from, what it says, and which of the
    partnership's fields it states (`supports`) or supports by a written inference rule
    (`infers`): see `partnerships.provenance`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=500, validators=[validate_web_address])
    title = models.CharField(max_length=300)
    accessed = models.DateField(null=True, blank=True, help_text="When we read it.")
    checked = models.BooleanField(
        default=False, help_text="We read the page itself (not only notes about it)."
    )
    says = models.CharField(max_length=500, blank=True, help_text="What it states, in short.")
    published = models.CharField(
        max_length=10, blank=True, help_text="The date the page shows: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    supports = ArrayField(
        models.CharField(max_length=30), default=list, blank=True, help_text="Fields it states."
    )
    infers = ArrayField(
        models.CharField(max_length=30),
        default=list,
        blank=True,
        help_text="Fields it supports by a written inference rule.",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title


class LAResearchQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate whether a published local partnership exists: the `documented` status
        is derived from the partnerships every time, never stored."""
        local = Partnership.objects.published().local()
        return self.annotate(
            has_local_partnership=models.Exists(
                local.filter(local_authorities=models.OuterRef("local_authority"))
            )
        )


# The research record's texts are short by design; whatever writes them (a suggestion's
# approval included) is held to this.
RESEARCH_TEXT_MAX = 2000


class LAResearch(ConfirmedByOwner):
    """What we know about school collaboration in one local authority, and how we know it.

    One per current LA. Its status is derived: `documented` when a published local
    (not regional) partnership covers the LA, else `none_found` when research found none
    (with the date), else `researched` when research has written what it found (a summary:
    the council's role, collaboration that is not a published partnership), else
    `not_researched`. Curated from fixtures, corrected by moderators
    through suggestions; every change is kept in its history.
    """

    class CouncilRole(models.TextChoices):
        IN_HOUSE_TEAM = "in_house_team", "The council's own school-improvement team"
        COUNCIL_COMPANY = "council_company", "A company the council owns or co-owns"
        COMMISSIONED_PARTNERSHIP = (
            "commissioned_partnership",
            "Commissioned from a schools-led partnership or charity",
        )
        STATUTORY_MINIMUM = "statutory_minimum", "Statutory duties only"
        UNKNOWN = "unknown", "Not known"

    class Status(models.TextChoices):
        DOCUMENTED = "documented", "A local partnership is documented"
        NONE_FOUND = "none_found", "Researched: no local partnership found"
        RESEARCHED = "researched", "Researched: no local partnership published yet"
        NOT_RESEARCHED = "not_researched", "Not researched yet"

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.PROTECT, related_name="research"
    )
    summary = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(RESEARCH_TEXT_MAX)],
        help_text="How schools collaborate there, from the sources; short.",
    )
    la_functions = models.TextField(
        "school-improvement functions the LA keeps",
        blank=True,
        validators=[MaxLengthValidator(RESEARCH_TEXT_MAX)],
        help_text="Only where sources say.",
    )
    council_role = models.CharField(
        "council's school-improvement role",
        max_length=30,
        choices=CouncilRole.choices,
        default=CouncilRole.UNKNOWN,
        help_text="Who delivers school improvement for the council, as the sources say.",
    )
    council_role_detail = models.CharField("council's role in short", max_length=300, blank=True)
    searches = ArrayField(
        models.CharField(max_length=300),
        default=list,
        blank=True,
        help_text="The searches made, shown where the sources leave something unknown.",
    )
    none_found_on = models.DateField(
        "searched, none found on",
        null=True,
        blank=True,
        help_text="When research looked for a local partnership and found none.",
    )
    sources = models.JSONField(
        default=list,
        blank=True,
        help_text="[{url, title, accessed, checked, says, published, supports, infers}]",
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When the sources were last checked."
    )
    curated_hash = models.CharField(max_length=32, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = LAResearchQuerySet.as_manager()

    class Meta:
        verbose_name = "LA research record"
        ordering = ["local_authority__name"]

    def __str__(self):
        return f"Research record: {self.local_authority}"

    @property
    def status(self):
        has_local = getattr(self, "has_local_partnership", None)
        if has_local is None:
            has_local = (
                Partnership.objects.published()
                .local()
                .filter(local_authorities=self.local_authority_id)
                .exists()
            )
        return research_status(has_local, self.none_found_on, bool(self.summary))

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def nothing_known(self):
        """Not researched: the area page asks visitors what they know."""
        return self.status == self.Status.NOT_RESEARCHED


def research_status(has_local_partnership, none_found_on, summarised=False):
    if has_local_partnership:
        return LAResearch.Status.DOCUMENTED
    if none_found_on:
        return LAResearch.Status.NONE_FOUND
    if summarised:
        return LAResearch.Status.RESEARCHED
    return LAResearch.Status.NOT_RESEARCHED


# The research record's field groups: what the public sees and what it may propose.
RESEARCH_PUBLIC_FIELDS = [
    "summary",
    "council_role",
    "council_role_detail",
    "la_functions",
    "none_found_on",
    "searches",
    "sources",
    "last_verified",
]
RESEARCH_SUGGESTIBLE_FIELDS = ["summary", "la_functions", "none_found_on"]


def research_values(research, fields=RESEARCH_SUGGESTIBLE_FIELDS):
    """A research record's fields as plain JSON values (dates as ISO text)."""
    values = {}
    for name in fields:
        value = getattr(research, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def new_reference():
    """A short reference people can quote: unambiguous letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "S-" + "".join(secrets.choice(alphabet) for _ in range(8))


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)


class DecidedByAModerator(models.Model):
    """What a request from the public records of its client and of the moderator's
    decision. Its `PERSONAL_FIELDS` are blanked some time after the decision
    (`partnerships.retention`)."""

    PERSONAL_FIELDS = ()

    client_fingerprint = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Keyed hash of the client address."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Suggestion(DecidedByAModerator):
    """A proposed new partnership, amendment or closure from the public.

    Nothing in it is public until a moderator approves it (`partnerships.moderation`).
    Its lifecycle is a state machine: pending, then approved, rejected or spam. The
    submitter's personal data is erased some time after the decision.
    """

    class Kind(models.TextChoices):
        NEW = "new", "New partnership"
        AMENDMENT = "amendment", "Amendment"
        CLOSURE = "closure", "Report closed"
        RESEARCH = "research", "LA research record"
        MEMBERSHIP = "membership", "Membership"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    research = models.ForeignKey(
        LAResearch, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    proposed = models.JSONField(default=dict, help_text="Proposed values, by field.")
    baseline = models.JSONField(
        default=dict, blank=True, help_text="The partnership's values when the suggestion was made."
    )
    evidence_urls = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)
    submitter_name = models.CharField(max_length=200, blank=True)
    submitter_email = models.EmailField(blank=True, validators=[validate_plain_email])
    submitter_organisation = models.CharField(max_length=200, blank=True)
    submitter_role = models.CharField(max_length=200, blank=True)
    consent_to_contact = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_fields = models.JSONField(default=list, blank=True)

    objects = SuggestionQuerySet.as_manager()
    PERSONAL_FIELDS = (
        "submitter_name",
        "submitter_email",
        "submitter_organisation",
        "submitter_role",
        "client_fingerprint",
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        target = self.partnership or self.research or self.proposed.get("name", "")
        return f"{self.reference}: {self.get_kind_display()} ({target})"


class ChangeLogEntry(models.Model):
    """One change to a partnership or an LA's research record, as the public change log
    (and later feeds) tell it: when, and which fields. Written in the same transaction as
    the change (an approved suggestion, a moderator's edit, a curated load), so it is a
    record of what happened rather than a reading of history; never who made it."""

    class Origin(models.TextChoices):
        SUGGESTION = "suggestion", "Approved suggestion"
        MODERATOR = "moderator", "Moderator's edit"
        CURATED = "curated", "Curated data set"
        OWNER = "owner", "Confirmed by its owner"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="change_log"
    )
    research = models.ForeignKey(
        LAResearch, on_delete=models.CASCADE, null=True, blank=True, related_name="change_log"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    added = models.BooleanField(default=False, help_text="The record was new: added, not changed.")
    fields = ArrayField(
        models.CharField(max_length=50),
        default=list,
        blank=True,
        help_text="Names of the fields that changed, in their public order.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "change log entries"
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=False, research__isnull=True)
                | models.Q(partnership__isnull=True, research__isnull=False),
                name="change_log_entry_names_one_record",
            )
        ]

    def __str__(self):
        return f"{self.partnership or self.research}: {self.changed_at:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """An email to one recipient, waiting to be sent. Written in the same transaction as
    what causes it, so nothing is lost if Redis or the worker is down; a periodic task
    sends what is due. Never addressed to a list: an address is never split or joined."""

    to = models.EmailField(
        max_length=MAX_EMAIL_LENGTH,
        validators=[validate_plain_email],
        help_text="One address: every recipient has a message of their own.",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    verification = models.ForeignKey(
        "VerificationRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    subscription = models.ForeignKey(
        "Subscription",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    api_key_request = models.ForeignKey(
        "ApiKeyRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    secret = models.BooleanField(
        default=False,
        editable=False,
        help_text="Carries a secret (an API key): never shown, and erased once sent.",
    )
    headers = models.JSONField(
        default=dict, blank=True, help_text="Extra headers (an alert's List-Unsubscribe)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.subject} ({'sent' if self.sent_at else 'waiting'})"


class LinkCheck(models.Model):
    """What the weekly link check last found at one cited web address (a partnership's
    source or an LA research record's): one row per address, however many records cite
    it. A failure is dated from the first check that failed in a row (`first_failed`), and
    cleared by the next check that works; the public pages mark the source, never hide it.
    Written by `partnerships.link_health`."""

    url = models.URLField(max_length=2000, unique=True)
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The last answer's HTTP status, after redirects."
    )
    error = models.CharField(
        max_length=200, blank=True, help_text="Why no answer came: timeout, TLS error..."
    )
    final_url = models.URLField(
        max_length=2000, blank=True, help_text="Where the redirects (if any) led."
    )
    redirects = models.JSONField(
        default=list, blank=True, help_text="[[status, location], ...] in the order followed."
    )
    last_checked = models.DateTimeField()
    last_ok = models.DateTimeField(null=True, blank=True)
    first_failed = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The first failure since it last worked: not working since.",
    )

    class Meta:
        ordering = ["url"]
        indexes = [models.Index(fields=["first_failed"])]

    def __str__(self):
        return self.url

    @property
    def broken(self):
        return self.first_failed is not None

    def outcome(self):
        """The last result in a few words, for moderators."""
        if self.error:
            return self.error
        return f"HTTP {self.status_code}"


def confirmation_token_expiry():
    return timezone.now() + VERIFICATION_VALID_FOR


def new_nonce():
    return secrets.token_urlsafe(16)


VERIFICATION_VALID_FOR = timedelta(days=30)


# What a check records of an address: written by the check, read-only everywhere else.
LINK_CHECK_RESULTS = [
    "status_code",
    "error",
    "final_url",
    "redirects",
    "last_checked",
    "last_ok",
    "first_failed",
]


class VerificationRequest(models.Model):
    """A moderator's request to a record's owner (a partnership, or the council for its
    LA's research record) to confirm the record as published, or propose changes.

    The owner answers through a signed link (`partnerships.verification`), valid 30 days
    and once: the answer is recorded here (confirmed, or changes proposed as an ordinary
    suggestion). The contact address is private: only moderators see it, and it is never
    published; the public sees only the role and the date of a confirmation."""

    class Outcome(models.TextChoices):
        AWAITING = "awaiting", "Awaiting an answer"
        CONFIRMED = "confirmed", "Confirmed accurate"
        CHANGES_PROPOSED = "changes_proposed", "Changes proposed"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verification_requests",
    )
    research = models.ForeignKey(
        LAResearch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verification_requests",
        verbose_name="LA research record",
    )
    contact_email = models.EmailField(
        max_length=MAX_EMAIL_LENGTH,
        validators=[validate_plain_email],
        help_text="Where the request goes. Private: never shown publicly.",
    )
    owner_role = models.CharField(
        max_length=12,
        choices=OwnerRole.choices,
        help_text='How a confirmation will be shown: "Confirmed by the partnership".',
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=confirmation_token_expiry)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_nonce, unique=True, editable=False)
    contact_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=False, research__isnull=True)
                | models.Q(partnership__isnull=True, research__isnull=False),
                name="verification_request_names_one_record",
            )
        ]

    def __str__(self):
        return f"Verification of {self.record} ({self.get_outcome_display().lower()})"

    @property
    def record(self):
        return self.partnership or self.research

    @property
    def expired(self):
        return self.outcome == self.Outcome.AWAITING and timezone.now() >= self.expires_at

    def state(self):
        return "Expired unanswered" if self.expired else self.get_outcome_display()


class Subscription(models.Model):
    """Someone's email alerts: a daily digest of the approved changes to everything, one
    area, one partnership or one trust (the partnerships naming it). Double opt-in: nothing
    is sent but the confirmation until its link is followed. The address is kept only while
    subscribed: unsubscribing deletes the row, and an unconfirmed one goes after a week
    (`partnerships.alerts`)."""

    class Scope(models.TextChoices):
        EVERYTHING = "everything", "every change across England"
        AREA = "area", "an area"
        PARTNERSHIP = "partnership", "a partnership"
        TRUST = "trust", "a trust"

    email = models.EmailField(max_length=MAX_EMAIL_LENGTH, validators=[validate_plain_email])
    scope = models.CharField(max_length=12, choices=Scope.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    trust = models.ForeignKey(
        Trust,
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Changes after this (or the confirmation) are due."
    )
    nonce = models.CharField(max_length=32, default=new_nonce, unique=True, editable=False)
    client_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "scope", "local_authority", "partnership", "trust"],
                nulls_distinct=False,
                name="one_subscription_per_address_and_subject",
            )
        ]

    def __str__(self):
        return f"Alerts for {self.subject()}"

    def subject(self):
        if self.scope == self.Scope.AREA:
            return self.local_authority.name
        if self.scope == self.Scope.PARTNERSHIP:
            return self.partnership.name
        if self.scope == self.Scope.TRUST:
            return self.trust.name
        return "every change across England"


class ApiKeyRequest(DecidedByAModerator):
    """Someone asking for an API key: who, and what for. A moderator issues the key (sent
    once by email, never stored: `partnerships.api_keys`) or declines it with a reason.
    The requester's details are erased some time after the decision, as a suggestion's."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ISSUED = "issued", "Key issued"
        DECLINED = "declined", "Declined"
        SPAM = "spam", "Spam"

    submitter_name = models.CharField("name", max_length=200)
    submitter_organisation = models.CharField("organisation", max_length=200, blank=True)
    submitter_email = models.EmailField(
        "email address", max_length=MAX_EMAIL_LENGTH, validators=[validate_plain_email]
    )
    intended_use = models.TextField(validators=[MaxLengthValidator(2000)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    api_key = models.ForeignKey(
        "rest_framework_api_key.APIKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The key issued (its prefix and hash only: the key itself is never stored).",
    )

    PERSONAL_FIELDS = (
        "submitter_name",
        "submitter_email",
        "submitter_organisation",
        "client_fingerprint",
    )

    class Meta:
        verbose_name = "API key request"
        ordering = ["created_at"]

    def __str__(self):
        who = self.submitter_organisation or self.submitter_name or "erased"
        return f"API key request {self.pk} ({who})"
