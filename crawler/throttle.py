"""AutoThrottle that keeps each site's own pace: never faster than the site's delay.

Scrapy's AutoThrottle adapts every download slot's delay to the server's latency but
between one floor for all (``DOWNLOAD_DELAY``): a site given ``delay = 5`` in the sites
file would be sped up to the global floor, and one given ``delay = 0.2`` held at it.
:class:`SiteAutoThrottle` uses the slot's own delay from ``DOWNLOAD_SLOTS`` (set from
the sites file by the spider) as that slot's floor, and :func:`slot_floor` tells the
back-off middleware the same.

Imports scrapy.
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


def slot_floors(settings) -> dict[str, float]:
    """Each download slot's own delay (``DOWNLOAD_SLOTS``): its floor."""
    return {
        key: float(slot["delay"])
        for key, slot in settings.getdict("DOWNLOAD_SLOTS").items()
        if isinstance(slot, dict) and "delay" in slot
    }


class SiteAutoThrottle(AutoThrottle):
    """AutoThrottle with a floor per download slot (``DOWNLOAD_SLOTS`` ``delay``)."""

    def __init__(self, crawler):
        super().__init__(crawler)  # NotConfigured unless AUTOTHROTTLE_ENABLED
        self.floors = slot_floors(crawler.settings)

    def _response_downloaded(self, response, request, spider=None) -> None:
        floor = self.floors.get(request.meta.get("download_slot"))
        if floor is None:
            super()._response_downloaded(response, request, spider)
            return
        # AutoThrottle clamps every new delay to self.mindelay: this slot's, for this
        # one adjustment (the reactor runs one handler at a time).
        default, self.mindelay = self.mindelay, floor
        try:
            super()._response_downloaded(response, request, spider)
        finally:
            self.mindelay = default
