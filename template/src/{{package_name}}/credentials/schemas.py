"""What clients send to prove themselves: codes, passwords, and the phone number they go with."""

from typing import Annotated

from pydantic import BaseModel, Field

from ..core.phone_numbers import PhoneNumber
from .code_store import CODE_DIGITS
from .passwords import MAX_LENGTH, MIN_LENGTH

Code = Annotated[
    str,
    Field(min_length=CODE_DIGITS, max_length=CODE_DIGITS, pattern=r"^[0-9]+$", examples=["123456"]),
]
Password = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]
# A password given to prove who one is: any length up to the maximum.
GivenPassword = Annotated[str, Field(max_length=MAX_LENGTH)]


class PhoneCodeRequest(BaseModel):
    phone_number: PhoneNumber


class PhoneCodeLogin(BaseModel):
    phone_number: PhoneNumber
    otp: Code
