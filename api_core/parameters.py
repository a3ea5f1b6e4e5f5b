"""Reading the API's query parameters: numbers are ASCII digits only, and a typed parameter
given empty is refused, never taken as absent. Python's `int()` and `float()`, Django's form
fields and DRF's paging all read any Unicode digit ('٢', '２') and skip empty values; every
number and typed value of the API is read here or through the filter fields below, so a bad
one is a 400 naming the parameter."""

import re

import django_filters
from django import forms
from django_filters.fields import ChoiceField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

# [0-9], not \d: in Python \d is any Unicode decimal digit.
WHOLE_NUMBER = re.compile(r"[0-9]+")
DECIMAL_NUMBER_PATTERN = r"-?[0-9]+(\.[0-9]+)?"
DECIMAL_NUMBER = re.compile(DECIMAL_NUMBER_PATTERN)
NUMBER_LIST = re.compile(rf" *{DECIMAL_NUMBER_PATTERN} *(, *{DECIMAL_NUMBER_PATTERN} *)*")
RFC_3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-5][0-9](\.[0-9]+)?"
    r"([Zz]|[+-](0[0-9]|1[0-5]):[0-5][0-9])$"
)
EMPTY = "give a value, or leave the parameter out"


def whole_number(value, parameter, minimum=1, maximum=None):
    """`value` (text) as an int: ASCII digits only, within the bounds, else a 400 naming
    `parameter`."""
    if value == "":
        raise ValidationError({parameter: [EMPTY]})
    if not WHOLE_NUMBER.fullmatch(value):
        raise ValidationError({parameter: [f"{value[:20]!r} is not a whole number (digits 0-9)"]})
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
        raise ValidationError({parameter: [f"must be {bounds}"]})
    return number


def decimal_number(value, parameter):
    """`value` (text) as a float: an optional minus, ASCII digits, an optional decimal point.
    No exponent, no 'nan' or 'inf', no '_' separators."""
    if not DECIMAL_NUMBER.fullmatch(value):
        raise ValidationError({parameter: [f"{value[:20]!r} is not a number like -1.25"]})
    return float(value)


def number_list(value, parameter):
    """`value` unchanged if it is comma-separated numbers (as `decimal_number` reads them,
    spaces around each allowed), else a 400 naming `parameter`; None stays None."""
    if value is not None and not NUMBER_LIST.fullmatch(value):
        raise ValidationError(
            {parameter: ["give numbers like 1 or 0.5 separated by commas (digits 0-9)"]}
        )
    return value


class RefusesEmpty:
    """A form field that tells `?name=` (empty: refused) from no `name` at all (absent)."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError(EMPTY)
        return super().clean(value)


class NonEmptyCharField(RefusesEmpty, forms.CharField):
    pass


class WholeNumberField(RefusesEmpty, forms.IntegerField):
    def to_python(self, value):
        if value not in self.empty_values and not WHOLE_NUMBER.fullmatch(str(value)):
            raise forms.ValidationError(f"{str(value)[:20]!r} is not a whole number (digits 0-9)")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 0})
class WholeNumberFilter(django_filters.NumberFilter):
    """A non-negative whole number in ASCII digits (an identifier such as a trust's UID)."""

    field_class = WholeNumberField


class NonEmptyChoiceField(RefusesEmpty, ChoiceField):
    pass


class ChoiceFilter(django_filters.ChoiceFilter):
    """One of the choices; given empty, refused."""

    field_class = NonEmptyChoiceField


class NonEmptyIsoDateTimeField(RefusesEmpty, django_filters.fields.IsoDateTimeField):
    """An RFC 3339 date-time, offset included, as the schema's `date-time` says (Django would
    also take a date alone, no offset, or other digits), with an offset PostgreSQL accepts."""

    def to_python(self, value):
        if value not in self.empty_values and not RFC_3339.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": RFC_3339.pattern})
class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An RFC 3339 date-time with an offset within ±15:59 (PostgreSQL refuses wider ones);
    given empty, refused."""

    field_class = NonEmptyIsoDateTimeField
