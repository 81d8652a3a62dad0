from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Discriminator, EmailStr, Tag

from ..credentials.schemas import Code, PhoneCodeLogin, PhoneCodeRequest

# Addresses are compared and stored lower-case: one mailbox, one account.
Email = Annotated[EmailStr, AfterValidator(str.lower)]


class EmailCodeRequest(BaseModel):
    """The verified address of an account."""

    email: Email


def identifier_given(body: Any) -> str | None:
    """`phone_number` or `email`, whichever the body names; None for both or neither."""
    if not isinstance(body, dict):
        return "email" if isinstance(body, EmailCodeRequest) else "phone_number"
    given = body.keys() & {"phone_number", "email"}
    return given.pop() if len(given) == 1 else None


# A login code goes to a phone number, or instead to the verified address of an account.
CodeRequest = Annotated[
    Annotated[PhoneCodeRequest, Tag("phone_number")] | Annotated[EmailCodeRequest, Tag("email")],
    Discriminator(
        identifier_given,
        custom_error_type="one_identifier",
        custom_error_message="give either phone_number or email",
    ),
]


class CodeLogin(PhoneCodeLogin):
    # Optional: starts the verification of this address for the account.
    email: Email | None = None


class EmailUpdate(BaseModel):
    email: Email


class EmailVerification(BaseModel):
    verification_code: Code
