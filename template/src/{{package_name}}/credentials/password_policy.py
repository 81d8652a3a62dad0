"""What a new password may not be: shorter than PASSWORD_MIN_LENGTH, one of the most common
passwords, or made with the account's phone number or e-mail address."""

import re
from collections.abc import Iterable
from functools import cache

import phonenumbers

from .errors import WeakPasswordError
from .passwords import normalised

# Shorter local parts ("al@...") would refuse too many good passwords.
MIN_LOCAL_PART = 3


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of the 30,000 most common passwords, shipped with the package."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def identifier_parts(identifiers: Iterable[str]) -> set[str]:
    """The digits of each phone number (whole, and national), the local part of each address."""
    parts = set()
    for identifier in identifiers:
        if identifier.startswith("+"):
            number = phonenumbers.parse(identifier)
            parts |= {identifier[1:], phonenumbers.national_significant_number(number)}
        elif "@" in identifier:
            local = identifier.split("@", 1)[0].lower()
            if len(local) >= MIN_LOCAL_PART:
                parts.add(local)
    return parts


def check_strength(password: str, min_length: int, identifiers: Iterable[str]) -> None:
    """Refuse a weak new password with the reason; `identifiers` are the account's."""
    form = normalised(password)
    if len(form) < min_length:
        raise WeakPasswordError(f"The password needs at least {min_length} characters")
    folded = form.casefold()
    if folded in common_passwords() or re.sub(r"\d+$", "", folded) in common_passwords():
        raise WeakPasswordError("The password is one of the most common passwords")
    if any(part in folded for part in identifier_parts(identifiers)):
        raise WeakPasswordError("The password contains the account's phone number or e-mail")
