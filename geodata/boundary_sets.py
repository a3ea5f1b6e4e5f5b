"""Checking a boundary set and switching it on.

Switching on rewrites the current `Region` and `LocalAuthority` rows from the set in one
transaction. Authorities keep their identity across recodes (matched on the DfE code),
and authorities the set no longer has stay stored, marked not current.
"""

from django.db import transaction
from django.utils import timezone

from geodata.models import Boundary, BoundarySet, LocalAuthority, LocalAuthorityCodeAlias, Region
from geodata.signals import boundary_set_activated


def check(boundary_set):
    """What is wrong with the set (empty when it can be switched on); saved on the set."""
    boundaries = Boundary.objects.filter(boundary_set=boundary_set)
    authorities = boundaries.filter(kind=Boundary.Kind.LOCAL_AUTHORITY)
    region_codes = set(boundaries.filter(kind=Boundary.Kind.REGION).values_list("code", flat=True))
    problems = []
    if not region_codes:
        problems.append("the set has no regions")
    if not authorities.exists():
        problems.append("the set has no local authorities")
    orphans = sorted(set(authorities.values_list("region_code", flat=True)) - region_codes)
    if orphans:
        problems.append(f"authorities refer to regions the set lacks: {', '.join(orphans)}")
    invalid = list(
        boundaries.filter(geometry__isvalid=False).values_list("code", flat=True)
    ) + list(boundaries.filter(display_geometry__isvalid=False).values_list("code", flat=True))
    if invalid:
        problems.append(f"invalid geometries: {', '.join(sorted(set(invalid)))}")
    dfe_codes = [code for code in authorities.values_list("dfe_code", flat=True) if code]
    repeated = sorted({code for code in dfe_codes if dfe_codes.count(code) > 1})
    if repeated:
        problems.append(f"DfE codes used twice: {', '.join(repeated)}")

    covered = set(authorities.values_list("code", flat=True)) | set(dfe_codes)
    for former in authorities.values_list("former_codes", flat=True):
        covered.update(item["code"] for item in former)
    lost = [
        f"{la.ons_code} {la.name}"
        for la in LocalAuthority.objects.current()
        if la.ons_code not in covered and la.dfe_code not in covered
    ]
    if lost:
        problems.append(
            "code continuity: these current authorities are neither in the set nor named as "
            f"a former code of one of its areas: {', '.join(lost)}"
        )
    boundary_set.check_problems = problems
    boundary_set.checked_at = timezone.now()
    boundary_set.save(update_fields=["check_problems", "checked_at"])
    return problems


@transaction.atomic
def activate(boundary_set):
    """Make `boundary_set` the one the product shows; the previous set stays stored."""
    BoundarySet.objects.select_for_update().filter(is_active=True).update(is_active=False)
    boundaries = Boundary.objects.filter(boundary_set=boundary_set)
    regions = {}
    for boundary in boundaries.filter(kind=Boundary.Kind.REGION):
        regions[boundary.code], _ = Region.objects.update_or_create(
            code=boundary.code,
            defaults={
                "name": boundary.name,
                "boundary": boundary.geometry,
                "display_geometry": boundary.display_geometry,
            },
        )

    current_ids = []
    for boundary in boundaries.filter(kind=Boundary.Kind.LOCAL_AUTHORITY):
        authority = (
            LocalAuthority.objects.filter(ons_code=boundary.code).first()
            or LocalAuthority.objects.filter(dfe_code=boundary.dfe_code).first()
        )
        if authority is None:
            authority = LocalAuthority(ons_code=boundary.code)
        elif authority.ons_code != boundary.code:
            LocalAuthorityCodeAlias.objects.get_or_create(
                code=authority.ons_code,
                local_authority=authority,
                defaults={"scheme": LocalAuthorityCodeAlias.Scheme.ONS, "note": "recoded"},
            )
            authority.ons_code = boundary.code
        authority.dfe_code = boundary.dfe_code
        authority.name = boundary.name
        authority.la_type = boundary.la_type
        authority.region = regions[boundary.region_code]
        authority.boundary = boundary.geometry
        authority.display_geometry = boundary.display_geometry
        authority.area_km2 = boundary.area_km2
        authority.boundary_set = boundary_set
        authority.is_current = True
        authority.save()
        current_ids.append(authority.pk)
        for former in boundary.former_codes:
            LocalAuthorityCodeAlias.objects.get_or_create(
                code=former["code"],
                local_authority=authority,
                defaults={"scheme": former["scheme"], "note": former["note"]},
            )
    LocalAuthority.objects.exclude(pk__in=current_ids).update(is_current=False)

    boundary_set.is_active = True
    boundary_set.activated_at = timezone.now()
    boundary_set.save(update_fields=["is_active", "activated_at"])
    boundary_set_activated.send(sender=activate, boundary_set=boundary_set)
