"""Permission checks: decorators for views that answer like the rest of Lotse,
and the checks every app's services start with."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .exceptions import NotPermitted

# Permission codes core's own views check; roles (accounts.roles) grant them.
VIEW_AUDIT_LOG = "core.view_audit_log"
MANAGE_SITES = "core.manage_sites"
VIEW_PERSONAL_DATA = "core.view_personal_data"
# Every role of the organisation's own staff has it; the partner role has not:
# its querysets answer only models marked `partner_readable` (the network).
VIEW_RECORDS = "core.view_records"


def membership_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, with an active membership (the tenant middleware sets it)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "membership", None) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def permission_required(code: str) -> Callable[[Callable[..., HttpResponse]], Callable]:
    """Signed in, member, and the role grants `code`; otherwise 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @membership_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.membership.has_perm(code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require(request: HttpRequest, code: str) -> None:
    """For views that look their object up first: another organisation's object
    answers 404 whatever the role; only then does a missing permission answer 403."""
    if not request.membership.has_perm(code):
        raise PermissionDenied


def actor_membership(actor: Any, organisation_id: int, permission: str, refusal: str) -> Any:
    """For services: the acting user's membership (set on the user by the
    tenant middleware or the caller) if it is in `organisation_id` and grants
    `permission`; otherwise NotPermitted with `refusal`, a translated sentence."""
    membership = getattr(actor, "membership", None)
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or not membership.has_perm(permission)
    ):
        raise NotPermitted(refusal)
    return membership


def check_sites(membership: Any, site_ids: Any, refusal: str) -> None:
    """For services: NotPermitted with `refusal` unless the membership covers
    every one of `site_ids`."""
    if not membership.all_sites and not set(site_ids) <= set(membership.site_ids):
        raise NotPermitted(refusal)
