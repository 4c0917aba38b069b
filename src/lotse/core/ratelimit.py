"""Rate limits for what an attacker would repeat: asking for password reset
mails, flooding a public questionnaire, pulling copies of personal data
(SECURITY.md H2; sign-in attempts are django-axes' work).

Fixed windows counted in Django's cache, per client address or per user. The
default cache lives in each server process, so with several worker processes
each counts on its own: the limit holds per process, which still stops a
script. The counters' keys hold a digest of the address, never the address."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int  # requests allowed …
    seconds: int  # … per window of this length
    per_user: bool = False  # count per signed-in user instead of per address


def _limits() -> dict[str, tuple[int, int]]:
    return getattr(settings, "LOTSE_RATE_LIMITS", {})


def exceeded(request: HttpRequest, limit: Limit) -> int:
    """0 if the request may go on, else the seconds until the window ends."""
    count, seconds = _limits().get(limit.scope, (limit.count, limit.seconds))
    if count <= 0:  # switched off
        return 0
    if limit.per_user and request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = f"address:{request.META.get('REMOTE_ADDR', '')}"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{who}".encode()).hexdigest()[:32]
    now = time.time()
    window = int(now // seconds)
    key = f"lotse:rate:{limit.scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=seconds):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds)
            used = 1
    if used <= count:
        return 0
    return max(1, int((window + 1) * seconds - now))


def rate_limited(
    scope: str, count: int, seconds: int, *, per_user: bool = False, methods=("POST",)
) -> Callable:
    """Answer 429 with a page saying when to try again once `count` requests
    of `methods` came within `seconds` (overridable in LOTSE_RATE_LIMITS)."""
    limit = Limit(scope, count, seconds, per_user)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                wait = exceeded(request, limit)
                if wait:
                    response = render(
                        request,
                        "core/rate_limited.html",
                        {"minutes": max(1, -(-wait // 60))},
                        status=429,
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
