from typing import Annotated

from fastapi import Depends, Request

from .code_store import CodeStore


async def code_store(request: Request) -> CodeStore:
    store: CodeStore = request.app.state.code_store
    return store


CodeStoreDep = Annotated[CodeStore, Depends(code_store)]
