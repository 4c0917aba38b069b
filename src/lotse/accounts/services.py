"""Use cases around users, memberships and sign-in. Each one checks the
permission, runs in one transaction and writes the audit log."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from lotse.core import audit, mytasks
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import Organisation, Site

from .models import Membership, User
from .roles import MANAGE_USERS, Role

USER_INVITED = audit.register_action("lotse.user.invited", gettext_lazy("User invited"))
INVITATION_RESENT = audit.register_action(
    "lotse.user.invitation_resent", gettext_lazy("Invitation sent again")
)
MEMBERSHIP_CHANGED = audit.register_action(
    "lotse.user.membership_changed", gettext_lazy("Role or sites changed")
)
USER_DEACTIVATED = audit.register_action("lotse.user.deactivated", gettext_lazy("User deactivated"))
USER_REACTIVATED = audit.register_action("lotse.user.reactivated", gettext_lazy("User reactivated"))
TWO_FACTOR_ENABLED = audit.register_action(
    "lotse.user.two_factor_enabled", gettext_lazy("Two-factor login set up")
)
TWO_FACTOR_RESET = audit.register_action(
    "lotse.user.two_factor_reset", gettext_lazy("Two-factor login reset")
)
RECOVERY_CODES_RENEWED = audit.register_action(
    "lotse.user.recovery_codes_renewed", gettext_lazy("Recovery codes renewed")
)
SIGNED_IN = audit.register_action("lotse.user.signed_in", gettext_lazy("Signed in"))
SIGNED_OUT = audit.register_action("lotse.user.signed_out", gettext_lazy("Signed out"))
PROFILE_CHANGED = audit.register_action(
    "lotse.user.profile_changed", gettext_lazy("Own profile changed")
)

RECOVERY_CODE_COUNT = 10


def _require_manager(actor: User, organisation: Organisation) -> None:
    membership = actor.membership
    if (
        membership is None
        or membership.organisation_id != organisation.pk
        or not membership.has_perm(MANAGE_USERS)
    ):
        raise NotPermitted(_("You may not manage the users of this organisation."))


def _check_sites(organisation: Organisation, sites: Iterable[Site]) -> list[Site]:
    sites = list(sites)
    if any(site.organisation_id != organisation.pk for site in sites):
        raise ServiceError(_("A chosen site does not belong to this organisation."))
    return sites


def _is_last_administrator(membership: Membership) -> bool:
    if membership.role != Role.ADMINISTRATOR or not membership.is_active:
        return False
    others = (
        Membership.objects.filter(
            organisation=membership.organisation_id, role=Role.ADMINISTRATOR, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    return not others


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:accept_invitation", kwargs={"uidb64": uid, "token": token})
    return settings.LOTSE_BASE_URL.rstrip("/") + path


def send_invitation(membership: Membership, *, inviter: User | None) -> None:
    user = membership.user
    with translation.override(user.language):
        context = {
            "user": user,
            "organisation": membership.organisation,
            "inviter": inviter,
            "link": invitation_link(user),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        subject = _("Your access to Lotse at %(organisation)s") % {
            "organisation": membership.organisation.name
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def invite_user(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    sites: Iterable[Site] = (),
    all_sites: bool = False,
    sensitive_data: bool = False,
    language: str = settings.LANGUAGE_CODE,
) -> Membership:
    """Give a person access to the organisation and send them a link to set a password."""
    _require_manager(actor, organisation)
    sites = _check_sites(organisation, sites)
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name, language=language)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif Membership.objects.filter(organisation=organisation, user=user).exists():
            raise ServiceError(_("This person already has access to the organisation."))
        membership = Membership.objects.create(
            organisation=organisation,
            user=user,
            role=role,
            all_sites=all_sites,
            sensitive_data=sensitive_data,
        )
        membership.sites.set(sites)
        audit.record(
            actor=actor,
            organisation=organisation,
            action=USER_INVITED,
            target=membership,
            changed_fields=["role", "sites", "all_sites", "sensitive_data"],
        )
        transaction.on_commit(lambda: send_invitation(membership, inviter=actor))
    return membership


def resend_invitation(*, actor: User, membership: Membership) -> None:
    _require_manager(actor, membership.organisation)
    if membership.user.has_usable_password():
        raise ServiceError(_("This user has already accepted the invitation."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            organisation=membership.organisation,
            action=INVITATION_RESENT,
            target=membership,
        )
        transaction.on_commit(lambda: send_invitation(membership, inviter=actor))


def change_membership(
    *,
    actor: User,
    membership: Membership,
    role: str,
    sites: Iterable[Site],
    all_sites: bool,
    version: int,
    sensitive_data: bool = False,
) -> Membership:
    """Change a user's role and sites. `version` is the one the editor saw."""
    _require_manager(actor, membership.organisation)
    sites = _check_sites(membership.organisation, sites)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.version != version:
            raise Conflict(
                _(
                    "Someone else changed this user while you were editing. "
                    "Your changes were not saved; please review the current values."
                )
            )
        if role != Role.ADMINISTRATOR and _is_last_administrator(current):
            raise ServiceError(_("The organisation must keep at least one active administrator."))
        changed = []
        if current.role != role:
            changed.append("role")
        if current.all_sites != all_sites:
            changed.append("all_sites")
        if current.sensitive_data != sensitive_data:
            changed.append("sensitive_data")
        if {s.pk for s in current.sites.all()} != {s.pk for s in sites}:
            changed.append("sites")
        if not changed:
            return current
        current.role = role
        current.all_sites = all_sites
        current.sensitive_data = sensitive_data
        current.version += 1
        current.save(update_fields=["role", "all_sites", "sensitive_data", "version"])
        current.sites.set(sites)
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=MEMBERSHIP_CHANGED,
            target=current,
            changed_fields=changed,
        )
    return current


def deactivate_membership(*, actor: User, membership: Membership) -> Membership:
    """Take a user's access away. Their open sessions end with their next request."""
    _require_manager(actor, membership.organisation)
    if membership.user_id == actor.pk:
        raise ServiceError(_("You cannot deactivate yourself."))
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if not current.is_active:
            return current
        if _is_last_administrator(current):
            raise ServiceError(_("The organisation must keep at least one active administrator."))
        current.is_active = False
        current.version += 1
        current.save(update_fields=["is_active", "version"])
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=USER_DEACTIVATED,
            target=current,
            changed_fields=["is_active"],
        )
    return current


def reactivate_membership(*, actor: User, membership: Membership) -> Membership:
    _require_manager(actor, membership.organisation)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.is_active:
            return current
        current.is_active = True
        current.version += 1
        current.save(update_fields=["is_active", "version"])
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=USER_REACTIVATED,
            target=current,
            changed_fields=["is_active"],
        )
    return current


def reset_two_factor(*, actor: User, membership: Membership) -> None:
    """For a user who lost their phone: remove their second factors. Roles that
    need one are asked to set it up again at their next sign-in."""
    _require_manager(actor, membership.organisation)
    if membership.user_id == actor.pk:
        raise ServiceError(_("You cannot reset your own second factor here."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=membership.user).delete()
        StaticDevice.objects.filter(user=membership.user).delete()
        audit.record(
            actor=actor,
            organisation=membership.organisation,
            action=TWO_FACTOR_RESET,
            target=membership,
        )


# --- Self-service ------------------------------------------------------------


def pending_totp_device(*, actor: User) -> TOTPDevice:
    """The authenticator-app device being set up (not yet confirmed)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=_("Authenticator app"), confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_totp_device(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app with a code it shows; returns fresh recovery codes (shown once)."""
    if device.user_id != actor.pk or device.confirmed:
        raise NotPermitted(_("This device cannot be confirmed."))
    if not device.verify_token(token.replace(" ", "")):
        raise ServiceError(
            _("The code is not valid. Check the time on your phone and enter the newest code.")
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        codes = _new_recovery_codes(actor)
        _record_for_user(actor, TWO_FACTOR_ENABLED)
    return codes


def renew_recovery_codes(*, actor: User) -> list[str]:
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ServiceError(_("Set up two-factor login first."))
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        _record_for_user(actor, RECOVERY_CODES_RENEWED)
    return codes


def update_profile(*, actor: User, full_name: str, language: str) -> User:
    changed = [
        name
        for name, value in (("full_name", full_name), ("language", language))
        if getattr(actor, name) != value
    ]
    if changed:
        with transaction.atomic():
            actor.full_name = full_name
            actor.language = language
            actor.save(update_fields=changed)
            _record_for_user(actor, PROFILE_CHANGED, changed)
    return actor


def _record_for_user(user: User, action: str, changed_fields: Iterable[str] = ()) -> None:
    """Audit an act of a user on their own account, in each organisation they belong to."""
    for membership in Membership.all_organisations.filter(user=user, is_active=True):
        audit.record(
            actor=user,
            organisation=membership.organisation,
            action=action,
            target=membership,
            changed_fields=changed_fields,
        )


def record_sign_in(user: User) -> None:
    _record_for_user(user, SIGNED_IN)


def record_sign_out(user: User) -> None:
    _record_for_user(user, SIGNED_OUT)


# --- the daily digest of "my tasks" ---------------------------------------------------


def send_task_digests(*, today: datetime.date | None = None) -> int:
    """E-mail every active member the tasks due in their organisation, in
    their language; nobody with nothing due gets mail. Tasks are named
    without people's names (core.mytasks). Returns the number of e-mails."""
    today = today or timezone.localdate()
    sent = 0
    memberships = (
        Membership.all_organisations.filter(is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation_id", "pk")
    )
    for membership in memberships:
        user = membership.user
        with scope(organisation=membership.organisation_id), translation.override(user.language):
            user.membership = membership
            tasks = mytasks.for_user(user, today)
            if not tasks:
                continue
            base = settings.LOTSE_BASE_URL.rstrip("/")
            context = {
                "user": user,
                "organisation": membership.organisation,
                "groups": [
                    (group, [(task.mail_text, base + task.url) for task in items])
                    for group, items in mytasks.grouped(tasks)
                ],
                "dashboard": base + reverse("core:dashboard"),
            }
            subject = ngettext(
                "Lotse: %(count)s task at %(organisation)s",
                "Lotse: %(count)s tasks at %(organisation)s",
                len(tasks),
            ) % {"count": len(tasks), "organisation": membership.organisation.name}
            body = render_to_string("accounts/email/task_digest.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
