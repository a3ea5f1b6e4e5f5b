"""The local school landscape of an area, from the register: what kinds of schools, how
many pupils are in academies, which trusts operate there."""

from django.db.models import Count, Q, Sum

from geodata.models import School, SchoolQuerySet, Trust


def school_landscape(local_authority):
    """Counts for the area page. Empty counts mean the register is not loaded."""
    schools = School.objects.filter(local_authority=local_authority).open()
    state_funded = schools.state_funded()
    by_group = list(
        schools.values("type_group").annotate(count=Count("urn")).order_by("-count", "type_group")
    )
    by_phase = list(
        state_funded.exclude(phase="")
        .values("phase")
        .annotate(count=Count("urn"))
        .order_by("-count", "phase")
    )
    pupils = state_funded.aggregate(
        total=Sum("number_of_pupils"),
        in_academies=Sum(
            "number_of_pupils", filter=Q(type_group_code__in=SchoolQuerySet.ACADEMY_GROUPS)
        ),
    )
    academy_share = (
        pupils["in_academies"] / pupils["total"]
        if pupils["total"] and pupils["in_academies"] is not None
        else None
    )
    trusts = (
        Trust.objects.filter(schools__in=schools)
        .annotate(
            local_schools=Count("schools", filter=Q(schools__local_authority=local_authority))
        )
        .order_by("-local_schools", "name")
    )
    return {
        "open_schools": schools.count(),
        "state_funded_schools": state_funded.count(),
        "by_type_group": by_group,
        "by_phase": by_phase,
        "pupils": pupils["total"],
        "academy_pupil_share": academy_share,
        "trusts": trusts,
    }


def record_sources(local_authority):
    """Where the area's school records come from and as of when: [(label, schools)]."""
    rows = (
        School.objects.filter(local_authority=local_authority)
        .values("record_source", "last_seen")
        .annotate(schools=Count("urn"))
        .order_by("-last_seen")
    )
    labels = {}
    for row in rows:
        label = School(record_source=row["record_source"], last_seen=row["last_seen"]).record_label
        labels[label] = labels.get(label, 0) + row["schools"]
    return list(labels.items())
