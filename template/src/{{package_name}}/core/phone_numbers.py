"""Phone numbers as accepted at the door: international form, stored as E.164."""

from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field


def to_e164(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as error:
        raise ValueError("not in international form, such as +12025550143") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Numbers an SMS reaches at its receiver's cost. Premium-rate, shared-cost, toll-free, VoIP and
# pager numbers are what SMS pumping sends to, for a share of what each message costs.
RECEIVES_SMS = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def sms_country_code(e164: str, allowed_regions: list[str]) -> int | None:
    """The country calling code of a number an SMS may go to, or None: a number of another
    type, or outside `allowed_regions` (ISO 3166 codes; empty for every region)."""
    number = phonenumbers.parse(e164, None)
    if phonenumbers.number_type(number) not in RECEIVES_SMS:
        return None
    if allowed_regions and phonenumbers.region_code_for_number(number) not in allowed_regions:
        return None
    return number.country_code


PhoneNumber = Annotated[str, AfterValidator(to_e164), Field(examples=["+12025550143"])]
