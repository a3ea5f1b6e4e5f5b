"""Following a school through GIAS's establishment links: a school that converts or
merges gets a new URN, and references to the old one should follow it."""

from geodata.models import School, SchoolLink

SUCCESSOR_TYPES = ("Successor", "Successor - merged", "Successor - amalgamated")


def successor_chain(urn, max_steps=20):
    """The URNs that followed `urn`, in order, while each step has exactly one successor.

    A split school has several successors: the chain stops there rather than guess.
    """
    chain = []
    seen = {urn}
    current = urn
    for _ in range(max_steps):
        successors = list(
            SchoolLink.objects.filter(urn=current, link_type__in=SUCCESSOR_TYPES)
            .values_list("linked_urn", flat=True)
            .distinct()
        )
        if len(successors) != 1 or successors[0] in seen:
            break
        current = successors[0]
        seen.add(current)
        chain.append(current)
    return chain


def current_urn(urn):
    """The URN a reference to `urn` should point at today (itself if it has no successor)."""
    chain = successor_chain(urn)
    return chain[-1] if chain else urn


def successor_of(school):
    """The school that replaced this one (GIAS links), as {urn, name, school}, if any."""
    chain = successor_chain(school.urn)
    if not chain:
        return None
    urn = chain[-1]
    link = SchoolLink.objects.filter(linked_urn=urn).exclude(linked_name="").first()
    return {
        "urn": urn,
        "name": link.linked_name if link else "",
        "school": School.objects.filter(urn=urn).first(),
    }
