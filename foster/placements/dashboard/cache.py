"""Kept between data changes."""

from __future__ import annotations

from datetime import date

from thuisnet.accounts.models import Organisation, Region

# --- Kept between data changes -----------------------------------------------------------
# Building the dashboard reads every placement of the cohort; the result only changes when a
# placement or target of the region changes (or the day, which is part of the key). The
# region's data version is a fresh random token on every change (signals in apps.py and the
# bulk paths in services), so a cached page is never served after a change.

CACHE_SECONDS = 6 * 3600


def _version_key(region_id: int) -> str:
    return f"placements:data-version:{region_id}"


def data_version(region_id: int) -> str:
    import uuid

    from django.core.cache import cache

    version = cache.get(_version_key(region_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.set(_version_key(region_id), version, None)
    return version


def data_changed(region_id: int) -> None:
    """Call after any change to the region's placements or targets."""
    import uuid

    from django.core.cache import cache

    cache.set(_version_key(region_id), uuid.uuid4().hex, None)


def _public(value):
    """The dashboard without its private working values (arrays, curves): what pages show."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(value, list):
        return [_public(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_public(v) for v in value)
    return value


def cache_key(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    placement_type: str | None = None,
    own_provider: Organisation | None = None,
) -> str:
    """The key of a kept dashboard: it changes with the region's data version, the filters,
    the viewer's own provider and the language. The page's fragment cache uses it too."""
    from django.utils.translation import get_language

    return ":".join(
        str(x)
        for x in (
            "placements:dashboard",
            region.pk,
            data_version(region.pk),
            cohort_start,
            cohort_end,
            as_of,
            placement_type or "",
            own_provider.pk if own_provider else "",
            get_language(),
        )
    )


def cached_build(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    placement_type: str | None = None,
    own_provider: Organisation | None = None,
    key: str | None = None,
) -> dict:
    """:func:`build`, kept in the cache until the region's data change (``key``: the
    :func:`cache_key`, if the caller has it already)."""
    from django.core.cache import cache

    key = key or cache_key(
        region,
        cohort_start=cohort_start,
        cohort_end=cohort_end,
        as_of=as_of,
        placement_type=placement_type,
        own_provider=own_provider,
    )
    data = cache.get(key)
    if data is None:
        # Through the package, so that a test (or a profiler) replacing ``dashboard.build`` sees it.
        from foster.placements import dashboard

        data = _public(
            dashboard.build(
                region,
                cohort_start=cohort_start,
                cohort_end=cohort_end,
                as_of=as_of,
                placement_type=placement_type,
                own_provider=own_provider,
            )
        )
        cache.set(key, data, CACHE_SECONDS)
    return data
