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


PhoneNumber = Annotated[str, AfterValidator(to_e164), Field(examples=["+12025550143"])]
