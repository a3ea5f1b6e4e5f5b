import re
from datetime import date

from django.contrib.gis.db import models
from django.db.models import Case, Q, When


class BoundarySet(models.Model):
    """One published vintage of England's LA and region boundaries.

    Councils keep being reorganised, so boundaries come in sets: a new set is loaded
    inactive, checked, then switched on in one step (`activate`), which rewrites the
    current `LocalAuthority` and `Region` rows from it. Older sets stay stored, so the
    previous boundaries can be inspected or switched back on.
    """

    name = models.SlugField(max_length=80, unique=True, help_text="e.g. utla-2023-buc")
    description = models.TextField(blank=True)
    source = models.TextField(help_text="Where the files came from (provenance).")
    licence = models.TextField(help_text="Licence and the attribution it requires.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the source files.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_problems = models.JSONField(
        default=list, blank=True, help_text="What the last check found wrong; empty when fine."
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_boundary_set"
            )
        ]

    def __str__(self):
        return f"{self.name}{' (active)' if self.is_active else ''}"


class Boundary(models.Model):
    """An area as a boundary set describes it: its codes, names and geometry."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "la", "Local authority"
        REGION = "region", "Region"

    boundary_set = models.ForeignKey(
        BoundarySet, on_delete=models.CASCADE, related_name="boundaries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=9, help_text="ONS (GSS) code.")
    name = models.CharField(max_length=120)
    dfe_code = models.CharField(max_length=3, blank=True, help_text="DfE 3-digit LA code.")
    la_type = models.CharField(max_length=30, blank=True)
    region_code = models.CharField(max_length=9, blank=True)
    former_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes that now resolve to this area: [{code, scheme, note}].",
    )
    geometry = models.MultiPolygonField(srid=4326)
    display_geometry = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField()

    class Meta:
        verbose_name_plural = "boundaries"
        ordering = ["boundary_set", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["boundary_set", "code"], name="unique_code_per_set")
        ]

    def __str__(self):
        return f"{self.name} ({self.code}, {self.boundary_set.name})"


class Region(models.Model):
    """An English region (ONS E12 code), the level above local authorities."""

    code = models.CharField(max_length=9, unique=True, help_text="ONS E12 code.")
    name = models.CharField(max_length=60)
    boundary = models.MultiPolygonField(srid=4326)
    display_geometry = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthorityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def resolve(self, code):
        """The authorities a code names today: its own ONS or DfE code, or a former code.

        A former code may resolve to several successors (Cumbria's 909 is now Cumberland
        and Westmorland and Furness).
        """
        code = code.strip().upper()
        direct = self.filter(Q(ons_code=code) | Q(dfe_code=code))
        if direct.exists():
            return direct
        return self.filter(code_aliases__code=code).distinct()


class LocalAuthority(models.Model):
    """A local authority with education responsibility (county, unitary, metropolitan
    district or London borough): the unit schools, partnerships and statistics hang on.

    Identity is the authority, not its code: a recode (Barnsley's 2025 ONS code) updates
    the codes in place and keeps the old one as an alias.
    """

    class Type(models.TextChoices):
        COUNTY = "county", "County"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
        LONDON_BOROUGH = "london_borough", "London borough"

    ons_code = models.CharField(max_length=9, unique=True, help_text="ONS (GSS) code.")
    dfe_code = models.CharField(max_length=3, unique=True, help_text="DfE 3-digit LA code.")
    name = models.CharField(max_length=120)
    la_type = models.CharField("type", max_length=30, choices=Type.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    boundary = models.MultiPolygonField(srid=4326)
    display_geometry = models.MultiPolygonField(
        srid=4326, help_text="Simplified once at load time for national maps."
    )
    area_km2 = models.FloatField(help_text="Area of the boundary in EPSG:27700, km².")
    boundary_set = models.ForeignKey(
        BoundarySet,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The set the boundary comes from.",
    )
    is_current = models.BooleanField(
        default=True, help_text="In the active boundary set (false once abolished)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthorityCodeAlias(models.Model):
    """A code that no longer names an authority directly but resolves to its successor(s)."""

    class Scheme(models.TextChoices):
        ONS = "ons", "ONS (GSS) code"
        DFE = "dfe", "DfE LA code"

    code = models.CharField(max_length=9)
    scheme = models.CharField(max_length=3, choices=Scheme.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="code_aliases"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "code alias"
        verbose_name_plural = "code aliases"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "local_authority"], name="unique_alias_per_authority"
            )
        ]

    def __str__(self):
        return f"{self.code} → {self.local_authority}"


class ImportRunQuerySet(models.QuerySet):
    def register_state(self):
        """The newest successful establishments import and the newest attempt of any outcome.

        `loaded` is the newest GIAS import, else the census baseline when only that is loaded.
        `latest` is the newest GIAS import that succeeded or failed (not a dry run): only
        such runs move the data version (migration 0012), so only they are shown.
        """
        gias_first = Case(When(source=ImportRun.Source.GIAS_ESTABLISHMENTS, then=0), default=1)
        loaded = (
            self.filter(
                source__in=[ImportRun.Source.GIAS_ESTABLISHMENTS, ImportRun.Source.SCHOOL_CENSUS],
                status=ImportRun.Status.SUCCEEDED,
            )
            .order_by(gias_first, "-started_at")
            .first()
        )
        latest = (
            self.filter(
                source=ImportRun.Source.GIAS_ESTABLISHMENTS,
                status__in=[ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED],
                dry_run=False,
            )
            .order_by("-started_at")
            .first()
        )
        return {"loaded": loaded, "latest": latest}


class ImportRun(models.Model):
    """One attempt to import a register file, whatever its outcome.

    Written before the import starts (or when it is queued) and finished after it commits
    or rolls back, so a failed or refused import leaves its record (and nothing else);
    what runs after the commit is recorded in `steps`. See
    `geodata.import_runs.recorded_run`, the lifecycle every importer goes through.
    """

    class Source(models.TextChoices):
        GIAS_ESTABLISHMENTS = "gias", "GIAS establishments (edubasealldata)"
        GIAS_LINKS = "gias_links", "GIAS establishment links"
        INDICATORS = "indicators", "LA indicators"
        STATISTICAL_NEIGHBOURS = "neighbours", "DfE statistical neighbours"
        SCHOOL_CENSUS = "census", "DfE school census baseline (January 2023)"
        POSTCODES = "postcodes", "Postcodes to local authorities"
        BOUNDARIES = "boundaries", "LA and region boundaries"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued (waiting for a worker)"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused (file failed a safety check)"
        FAILED = "failed", "Failed"
        DRY_RUN = "dry_run", "Dry run (checked, nothing changed)"

    source = models.CharField(max_length=20, choices=Source.choices)
    location = models.TextField(help_text="The file path or URL imported.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    extract_date = models.DateField(null=True, blank=True, help_text="Date of the extract.")
    triggered_by = models.CharField(max_length=100, blank=True)
    forced = models.BooleanField(default=False, help_text="Safety check on row count skipped.")
    dry_run = models.BooleanField(
        default=False, help_text="Checked and counted what it would change, then rolled back."
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    message = models.TextField(blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0, help_text="Schools newly marked closed.")
    missing = models.PositiveIntegerField(
        default=0, help_text="Schools stored before but absent from this extract (kept)."
    )
    rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text="The first rejected rows: [{line, urn, error}]."
    )
    steps = models.JSONField(
        default=list,
        blank=True,
        help_text="What ran after the import committed, each with its outcome: "
        "[{name, status, message}]. A failed step leaves the import itself committed.",
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.get_source_display()} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


# Trusts known only by name (the school census gives no UID) get numbers from here up, far
# above any GIAS group UID, so they share the trust URLs and keys; see `Trust`.
BASELINE_TRUST_UID_START = 90_000_000
CENSUS_DATE = date(2023, 1, 19)
CENSUS_LABEL = "DfE school census, January 2023"


class RecordSource(models.TextChoices):
    GIAS = "gias", "DfE Get Information About Schools"
    CENSUS = "census", CENSUS_LABEL


def trust_name_key(name):
    """A trust's name reduced so the census's and GIAS's spellings of it compare equal."""
    key = name.casefold().replace("&", " and ")
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    key = re.sub(r"^the ", "", key)
    key = re.sub(r" (limited|ltd)$", "", key)
    return key


class TrustQuerySet(models.QuerySet):
    def current(self):
        """Trusts not superseded by a GIAS trust of the same name."""
        return self.filter(superseded_by__isnull=True)

    def named(self, name):
        """Current trusts whose normalised name is `name`'s, GIAS trusts first."""
        return self.current().filter(name_key=trust_name_key(name)).order_by("uid")


class Trust(models.Model):
    """An academy trust (or foundation trust): a group of schools.

    Identified by its GIAS group UID; a trust known only by name from the census baseline
    gets a number from `BASELINE_TRUST_UID_START` up. When a GIAS import brings the same
    trust (same normalised name) with its real UID, the baseline trust is kept but
    `superseded_by` it: its URL redirects there and memberships naming it follow.
    Its school count and local-authority footprint are derived from its schools.
    """

    class Type(models.TextChoices):
        MULTI_ACADEMY = "multi_academy", "Multi-academy trust"
        SINGLE_ACADEMY = "single_academy", "Single-academy trust"
        TRUST = "trust", "Trust (foundation or other)"

    uid = models.PositiveIntegerField(
        primary_key=True,
        help_text="GIAS group UID; from 90,000,000 up: a census trust known only by name.",
    )
    name = models.CharField(max_length=255)
    name_key = models.CharField(
        max_length=255, db_index=True, blank=True, help_text="Normalised name, for matching."
    )
    trust_type = models.CharField("type", max_length=20, choices=Type.choices, blank=True)
    companies_house_number = models.CharField(max_length=8, blank=True)
    record_source = models.CharField(
        max_length=10, choices=RecordSource.choices, default=RecordSource.GIAS
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded",
        help_text="The GIAS trust this census trust turned out to be.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrustQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def gias_uid(self):
        return self.uid if self.uid < BASELINE_TRUST_UID_START else None

    def open_schools(self):
        return self.schools.open()

    def footprint(self):
        """The authorities its open schools are in, with how many schools in each."""
        return (
            LocalAuthority.objects.filter(schools__in=self.open_schools())
            .annotate(school_count=models.Count("schools"))
            .order_by("-school_count", "name")
        )


class SchoolQuerySet(models.QuerySet):
    # GIAS type groups of state-funded schools: LA maintained, special, academies, free
    # schools; independent special and non-maintained special schools are not.
    STATE_FUNDED_GROUPS = ("4", "5", "10", "11")
    NOT_STATE_FUNDED_TYPES = ("Non-maintained special school", "Other independent special school")
    ACADEMY_GROUPS = ("10", "11")

    def listed(self):
        """Schools the latest register extract lists (those it lacks have `missing_since`)."""
        return self.filter(missing_since__isnull=True)

    def open(self):
        """Open schools: listed in the latest extract and not closed there. A school the
        extract lacks is not counted as open, whatever status it last had: every count,
        filter, coverage figure and download of open schools goes through here."""
        return self.listed().exclude(status=School.CLOSED)

    def with_status(self, status):
        """Schools with the register status `status` (any case) as the latest extract gives
        it: a school it lacks has no current status, so it is matched only as closed (the
        status it had when last seen)."""
        schools = self.filter(status__iexact=status)
        return schools if status.casefold() == School.CLOSED.casefold() else schools.listed()

    def state_funded(self):
        return self.filter(type_group_code__in=self.STATE_FUNDED_GROUPS).exclude(
            establishment_type__in=self.NOT_STATE_FUNDED_TYPES
        )


class School(models.Model):
    """An establishment in the DfE register (GIAS), keyed by its URN.

    Kept up to date by the GIAS import; never deleted when an extract lacks it (that is
    recorded in `missing_since`), so history and references survive.
    """

    CLOSED = "Closed"

    urn = models.PositiveIntegerField(primary_key=True, verbose_name="URN")
    name = models.CharField(max_length=255)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools"
    )
    register_la_code = models.CharField(
        max_length=3, help_text="LA code as the register gives it (may be a former code)."
    )
    establishment_type = models.CharField(max_length=100)
    type_group_code = models.CharField(max_length=4, blank=True)
    type_group = models.CharField(max_length=100)
    status = models.CharField(max_length=60)
    phase_code = models.CharField(max_length=4, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    religious_character = models.CharField(max_length=100, blank=True)
    diocese = models.CharField(max_length=100, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    percentage_fsm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    trust = models.ForeignKey(
        Trust, on_delete=models.SET_NULL, null=True, blank=True, related_name="schools"
    )
    trust_school_flag = models.CharField(max_length=60, blank=True)
    federation_code = models.CharField(max_length=20, blank=True)
    federation = models.CharField(max_length=255, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    street = models.CharField(max_length=255, blank=True)
    locality = models.CharField(max_length=255, blank=True)
    address3 = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.CharField(max_length=255, blank=True)
    location = models.PointField(srid=4326, null=True, blank=True)
    constituency_code = models.CharField(max_length=9, blank=True)
    constituency = models.CharField(max_length=100, blank=True)
    urban_rural = models.CharField(max_length=100, blank=True)
    ofsted_rating = models.CharField(max_length=60, blank=True)
    ofsted_last_inspection = models.DateField(null=True, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    register_last_changed = models.DateField(
        null=True, blank=True, help_text="GIAS LastChangedDate."
    )
    first_seen = models.DateField(help_text="Date of the first extract that had it.")
    last_seen = models.DateField(help_text="Date of the latest extract that had it.")
    missing_since = models.DateField(
        null=True, blank=True, help_text="Date of the first extract that lacked it, if any."
    )
    content_hash = models.CharField(max_length=32, help_text="Fingerprint of the imported row.")
    record_source = models.CharField(
        max_length=10,
        choices=RecordSource.choices,
        default=RecordSource.GIAS,
        help_text="Where the record comes from; `last_seen` is as of when.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["local_authority", "status"]),
            models.Index(fields=["postcode"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self):
        """As `SchoolQuerySet.open`: listed in the latest extract and not closed."""
        return self.status != self.CLOSED and self.missing_since is None

    @property
    def is_closed(self):
        return self.status == self.CLOSED

    @property
    def record_label(self):
        """Where the record comes from and as of when, in words; and, for a school the
        latest extract lacks, since when it is missing (it no longer counts as open)."""
        label = (
            CENSUS_LABEL
            if self.record_source == RecordSource.CENSUS
            else f"GIAS extract of {self.last_seen:%-d %B %Y}"
        )
        if self.missing_since:
            label += (
                f"; missing from the latest register extract since {self.missing_since:%-d %B %Y}"
            )
        return label


class SchoolLink(models.Model):
    """A GIAS link between two URNs: predecessor/successor, merger, sixth-form centre...

    URNs are plain numbers, not keys: links often name establishments closed before any
    extract we hold.
    """

    urn = models.PositiveIntegerField(db_index=True)
    linked_urn = models.PositiveIntegerField(db_index=True)
    linked_name = models.CharField(max_length=255, blank=True)
    link_type = models.CharField(max_length=100)
    established = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["urn", "established"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn", "linked_urn", "link_type"], name="unique_school_link"
            )
        ]

    def __str__(self):
        return f"{self.urn} → {self.link_type} {self.linked_urn}"


class Indicator(models.Model):
    """A measure published for every LA (free school meals, deprivation, attainment...),
    used to describe areas and to find similar ones."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField()
    unit = models.CharField(max_length=20)
    year = models.CharField(max_length=20, help_text="The year (label) of the values.")
    source = models.TextField()
    licence = models.CharField(max_length=100)
    group = models.CharField(max_length=30, help_text="disadvantage, population, outcomes...")
    derived_from_register = models.BooleanField(default=False)

    class Meta:
        ordering = ["group", "name"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="indicator_values"
    )
    value = models.FloatField()
    year = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "local_authority"], name="one_value_per_indicator_and_la"
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.local_authority}: {self.value}"


class StatisticalNeighbour(models.Model):
    """DfE's statistical neighbours (May 2025): ten LAs most like each LA, ranked, with
    DfE's closeness band."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="statistical_neighbours"
    )
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=30)

    class Meta:
        ordering = ["local_authority", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "rank"], name="one_neighbour_per_rank"
            )
        ]

    def __str__(self):
        return f"{self.local_authority} #{self.rank}: {self.neighbour}"


class DataVersion(models.Model):
    """The version of everything public answers are computed from, as one number.

    PostgreSQL triggers move it forward (from a sequence that never goes back) whenever a
    table that feeds a page or an API answer changes, in the same transaction: imports,
    approvals, curated loads, boundary switches and admin edits alike, bulk SQL included.
    Read by `api_core.data_version`; work that depends only on the data is kept under it
    (`api_core.kept_answers`).
    """

    version = models.BigIntegerField()
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"data version {self.version} ({self.changed_at:%Y-%m-%d %H:%M})"


class Postcode(models.Model):
    """A postcode unit and the local authority it lies in (as MapIt answers it).

    Kept small for 1.5M rows: the key is the postcode without its space ("S12HE") and the
    authority is its DfE code as a number (LocalAuthority.dfe_code, stable across recodes).
    Terminated postcodes (ONSPD) keep their last authority and say when they ended.
    """

    postcode = models.CharField(max_length=7, primary_key=True, help_text="Without space.")
    la_code = models.PositiveSmallIntegerField(help_text="DfE LA code of its authority.")
    terminated = models.DateField(null=True, blank=True, help_text="Month it was terminated.")

    def __str__(self):
        return self.postcode
