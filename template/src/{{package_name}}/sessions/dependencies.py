from typing import Annotated

from fastapi import Depends, Request

from ..core.config import SettingsDep
from ..core.devices import Device, device_of


async def device(request: Request, settings: SettingsDep) -> Device:
    """The device a login comes from: its address (as the trusted proxies say) and browser."""
    return device_of(request, settings.TRUSTED_PROXIES)


DeviceDep = Annotated[Device, Depends(device)]
