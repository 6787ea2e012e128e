"""The throttles must count in a cache every process shares.

django-ratelimit has a check of its own, but its app is deliberately not installed: the
check predates Django's Redis backend (it warns on it, though its INCR is atomic) and
refuses the database cache, which is shared but increments by read-then-write, so a burst
of simultaneous wrong codes may count as fewer (at most one per worker process). That is a
slowdown a little weaker under a burst, not a hole; set REDIS_URL for exact counts."""

from django.conf import settings
from django.core import checks

NOT_SHARED = {
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing",
    "django.core.cache.backends.locmem.LocMemCache": "is not shared between processes",
    "django.core.cache.backends.filebased.FileBasedCache": "is not shared between machines",
}


@checks.register(checks.Tags.caches, checks.Tags.security)
def throttle_cache_is_shared(app_configs, **kwargs):
    name = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(name, {}).get("BACKEND")
    if backend is None:
        return [
            checks.Error(
                f"RATELIMIT_USE_CACHE names the cache {name!r}, which CACHES does not have.",
                id="accounts.E001",
            )
        ]
    if backend in NOT_SHARED:
        return [
            checks.Error(
                f"The throttle cache {name!r} uses {backend}, which {NOT_SHARED[backend]}: "
                "throttles would not hold.",
                hint="Use Redis (REDIS_URL) or the database cache (the default).",
                id="accounts.E002",
            )
        ]
    return []
