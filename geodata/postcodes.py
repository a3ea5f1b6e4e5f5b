"""Postcode to local authority, as MapIt answers it: any case or spacing in, the LA out."""

import re

from geodata.models import LocalAuthority, Postcode

# A UK postcode unit without its space: outward code (area, district) + inward code.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
# Postcode areas wholly outside England: Scotland, Northern Ireland, Wales, Crown dependencies.
OUTSIDE_ENGLAND = {
    **dict.fromkeys(
        ["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"],
        "Scotland",
    ),
    "BT": "Northern Ireland",
    **dict.fromkeys(["CF", "LD", "LL", "NP", "SA"], "Wales"),
    "GY": "Guernsey",
    "JE": "Jersey",
    "IM": "the Isle of Man",
}


class InvalidPostcode(ValueError):
    """The text is not a postcode at all."""


class PostcodeNotFound(LookupError):
    """A valid-looking postcode we cannot place in England; the message says why."""


def normalise_postcode(text):
    """'s12he', ' S1  2HE ' -> 'S12HE'; anything that cannot be a postcode is refused."""
    compact = re.sub(r"\s+", "", str(text)).upper()
    if not POSTCODE.match(compact):
        raise InvalidPostcode(
            f"{str(text).strip()[:20]!r} is not a postcode (expected something like 'S1 2HE')"
        )
    return compact


def looks_like_postcode(text):
    try:
        normalise_postcode(text)
    except InvalidPostcode:
        return False
    return True


def display_postcode(compact):
    """'S12HE' -> 'S1 2HE'."""
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_area(compact):
    return re.match(r"^[A-Z]+", compact).group(0)


def find_postcode(text):
    """The postcode's record and its local authority: (Postcode, LocalAuthority).

    Raises InvalidPostcode for text that is not a postcode, PostcodeNotFound for one we
    cannot place (outside England, unknown, or newer than the data).
    """
    compact = normalise_postcode(text)
    shown = display_postcode(compact)
    country = OUTSIDE_ENGLAND.get(postcode_area(compact))
    if country:
        raise PostcodeNotFound(
            f"{shown} is in {country}: this map covers England's local authorities only."
        )
    # One query: the postcode row joined to its authority (by DfE code, zero-padded).
    found = list(
        LocalAuthority.objects.raw(
            "SELECT la.id, la.ons_code, la.dfe_code, la.name, la.la_type, la.is_current, "
            "p.terminated AS postcode_terminated FROM geodata_postcode p "
            "LEFT JOIN geodata_localauthority la ON la.dfe_code = to_char(p.la_code, 'FM000') "
            "WHERE p.postcode = %s",
            [compact],
        )
    )
    if not found:
        raise PostcodeNotFound(
            f"{shown} is not a known English postcode: it may be outside England, newer "
            "than our postcode data, or mistyped."
        )
    authority = found[0]
    if authority.pk is None or not authority.is_current:
        raise PostcodeNotFound(f"{shown} lies in an authority that is no longer current.")
    postcode = Postcode(
        postcode=compact, la_code=int(authority.dfe_code), terminated=authority.postcode_terminated
    )
    return postcode, authority
