from typing import Annotated

from fastapi import Depends, Request

from ..notifications.email import EmailSender


async def email_sender(request: Request) -> EmailSender:
    sender: EmailSender = request.app.state.email_sender
    return sender


EmailSenderDep = Annotated[EmailSender, Depends(email_sender)]
