from typing import Annotated

from fastapi import Depends, Request

from ..credentials.password_attempts import PasswordAttempts
from .challenges import Challenges


async def challenges(request: Request) -> Challenges:
    store: Challenges = request.app.state.mfa_challenges
    return store


async def second_factor_attempts(request: Request) -> PasswordAttempts:
    attempts: PasswordAttempts = request.app.state.mfa_attempts
    return attempts


ChallengesDep = Annotated[Challenges, Depends(challenges)]
SecondFactorAttemptsDep = Annotated[PasswordAttempts, Depends(second_factor_attempts)]
