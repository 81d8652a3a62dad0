from typing import Annotated

from fastapi import Depends, Request

from .code_store import CodeStore
from .password_attempts import PasswordAttempts


async def code_store(request: Request) -> CodeStore:
    store: CodeStore = request.app.state.code_store
    return store


async def password_attempts(request: Request) -> PasswordAttempts:
    attempts: PasswordAttempts = request.app.state.password_attempts
    return attempts


CodeStoreDep = Annotated[CodeStore, Depends(code_store)]
PasswordAttemptsDep = Annotated[PasswordAttempts, Depends(password_attempts)]
