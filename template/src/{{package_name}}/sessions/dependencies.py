from typing import Annotated

from fastapi import Depends, Request

from ..core.client_ip import client_ip
from ..core.config import SettingsDep
from ..core.devices import Device


async def device(request: Request, settings: SettingsDep) -> Device:
    """The device a login comes from: its address (as the trusted proxies say) and browser."""
    address = client_ip(request, settings.TRUSTED_PROXIES)[:45]
    agent = request.headers.get("user-agent", "")[:512]
    return Device(ip_address=address or None, user_agent=agent or None)


DeviceDep = Annotated[Device, Depends(device)]
