from typing import Annotated

from fastapi import Depends, Request

from .sms import SmsSender


async def sms_sender(request: Request) -> SmsSender:
    sender: SmsSender = request.app.state.sms_sender
    return sender


SmsSenderDep = Annotated[SmsSender, Depends(sms_sender)]
