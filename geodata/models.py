from django.contrib.gis.db import models
from django.db.models import Q


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
