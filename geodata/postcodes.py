"""Postcode to local authority, as MapIt answers it: any case or spacing in, the LA out."""

import re
from dataclasses import dataclass, field
from datetime import date

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


class UnknownPostcode(PostcodeNotFound):
    """An English-looking postcode our data does not hold (newer, or mistyped): its sector
    may still place it (`authorities_in_sector`)."""

    def __init__(self, message, compact):
        super().__init__(message)
        self.compact = compact


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


def display_sector(compact):
    """The postcode sector (outward code and the inward code's digit): 'MK401SJ' -> 'MK40 1'."""
    return display_postcode(compact)[:-2]


def authorities_in_sector(compact):
    """The current LAs holding the live known postcodes of `compact`'s sector, most
    postcodes first, each with `postcodes` (its count): one LA means the whole sector lies
    in it. The range on the key lets the primary-key index find the sector in any collation."""
    sector = compact[:-2]
    following = sector[:-1] + chr(ord(sector[-1]) + 1)
    return list(
        LocalAuthority.objects.raw(
            "SELECT la.id, la.ons_code, la.dfe_code, la.name, la.la_type, la.is_current, "
            "count(*) AS postcodes FROM geodata_postcode p "
            "JOIN geodata_localauthority la ON la.dfe_code = to_char(p.la_code, 'FM000') "
            "WHERE p.postcode >= %s AND p.postcode < %s AND p.postcode LIKE %s "
            "AND length(p.postcode) = %s AND p.terminated IS NULL AND la.is_current "
            "GROUP BY la.id ORDER BY count(*) DESC, la.name",
            [sector, following, sector.replace("%", "") + "%", len(compact)],
        )
    )


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
        raise UnknownPostcode(
            f"{shown} is not a known English postcode: it may be outside England, newer "
            "than our postcode data, or mistyped.",
            compact,
        )
    authority = found[0]
    if authority.pk is None or not authority.is_current:
        raise PostcodeNotFound(f"{shown} lies in an authority that is no longer current.")
    postcode = Postcode(
        postcode=compact, la_code=int(authority.dfe_code), terminated=authority.postcode_terminated
    )
    return postcode, authority


@dataclass
class PlacedPostcode:
    """Where a postcode leads: its own record (`match` "postcode"), or, for a postcode our
    data does not hold, its sector's LAs (`match` "sector"): `local_authority` is the one LA
    when the whole sector lies in it, None when the sector spans several (then
    `sector_authorities` lists them, most postcodes first)."""

    postcode: str
    match: str
    sector: str
    local_authority: LocalAuthority | None
    sector_authorities: list = field(default_factory=list)
    terminated: date | None = None

    @property
    def note(self):
        """What a reader must know of a sector match; empty for a postcode match."""
        if self.match == "postcode":
            return ""
        if self.local_authority:
            return (
                f"{self.postcode} is not in our postcode data; every known postcode in "
                f"{self.sector} is in {self.local_authority.name}."
            )
        names = [authority.name for authority in self.sector_authorities]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        return (
            f"{self.postcode} is not in our postcode data; known postcodes in {self.sector} "
            f"lie in {listed}."
        )


def place_postcode(text):
    """A PlacedPostcode for `text`: its authority, or its sector's when the postcode itself
    is unknown. Raises as find_postcode does when neither places it."""
    try:
        postcode, authority = find_postcode(text)
    except UnknownPostcode as error:
        authorities = authorities_in_sector(error.compact)
        if not authorities:
            raise
        return PlacedPostcode(
            postcode=display_postcode(error.compact),
            match="sector",
            sector=display_sector(error.compact),
            local_authority=authorities[0] if len(authorities) == 1 else None,
            sector_authorities=authorities,
        )
    return PlacedPostcode(
        postcode=display_postcode(postcode.postcode),
        match="postcode",
        sector=display_sector(postcode.postcode),
        local_authority=authority,
        terminated=postcode.terminated,
    )
