from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.core.exceptions import ServiceError
from lotse.core.models import Site
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.ratelimit import rate_limited

from . import services
from .forms import (
    InviteForm,
    LocalisedPasswordResetForm,
    LoginForm,
    MembershipForm,
    ProfileForm,
    TokenForm,
)
from .models import Membership
from .roles import MANAGE_USERS, Role

USERS_PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        # The interface follows the language the user chose for themselves.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


# Each request may send a mail: limited per address, so that nobody floods an
# inbox or the mail server through the form.
@method_decorator(rate_limited("password_reset", 5, 3600), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = LocalisedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class AcceptInvitationView(PasswordResetConfirmView):
    """An invited user chooses their password (the link works once)."""

    template_name = "accounts/accept_invitation.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your password is set. You can now sign in with your e-mail address.")
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_safe_next(request, reverse("core:dashboard")))
    if not request.user.has_device():
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        token = form.cleaned_data["token"]
        device = match_token(request.user, token)
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; it is now spent. "
                        "Renew your codes if few are left."
                    ),
                )
            return redirect(_safe_next(request, reverse("core:dashboard")))
        form.add_error("token", _("The code is not valid. Try the newest code from your app."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, "")},
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not user.is_verified():
            return redirect("accounts:two_factor_verify")
        messages.info(request, _("Two-factor login is already set up."))
        return redirect("accounts:account")
    if user.has_device() and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = services.pending_totp_device(actor=user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.confirm_totp_device(
                actor=user, device=device, token=form.cleaned_data["token"]
            )
        except ServiceError as error:
            form.add_error("token", error.message)
        else:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request, reverse("core:dashboard"))},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _format_secret(device),
            "next": _safe_next(request, ""),
            "required": bool(request.membership and request.membership.requires_two_factor),
        },
    )


def _qr_svg(data: str) -> str:
    import segno

    return segno.make(data, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )


def _format_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_POST
@membership_required
def renew_recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.renew_recovery_codes(actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account")},
    )


@membership_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "language": user.language}
    )
    if form.is_valid():
        services.update_profile(actor=user, **form.cleaned_data)
        translation.activate(user.language)  # confirm in the language just chosen
        messages.success(request, _("Your details have been saved."))
        response = redirect("accounts:account")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
        },
    )


# --- User management (administrators) ------------------------------------------


def _memberships(request: HttpRequest):
    return Membership.objects.visible_to(request.user).select_related("user")


def _get_membership(request: HttpRequest, pk: int) -> Membership:
    membership = get_object_or_404(_memberships(request), pk=pk)
    require(request, MANAGE_USERS)
    return membership


@permission_required(MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    memberships = _memberships(request).prefetch_related("sites").order_by("user__full_name")
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    status = request.GET.get("status", "active")
    if query:
        memberships = memberships.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    if role in Role.values:
        memberships = memberships.filter(role=role)
    if status == "active":
        memberships = memberships.filter(is_active=True)
    elif status == "inactive":
        memberships = memberships.filter(is_active=False)
    page = Paginator(memberships, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
    devices = set(
        TOTPDevice.objects.filter(user__in=[m.user_id for m in page], confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "with_device": devices,
        "q": query,
        "role": role,
        "status": status,
        "roles": Role.choices,
        "query": params.urlencode(),
    }
    template = "accounts/_user_results.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@permission_required(MANAGE_USERS)
def user_invite(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.visible_to(request.user).filter(is_active=True)
    form = InviteForm(
        request.POST or None,
        sites=sites,
        initial={"language": request.LANGUAGE_CODE, "role": Role.COORDINATOR},
    )
    if form.is_valid():
        try:
            membership = services.invite_user(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s has been invited. The invitation was sent by e-mail.")
                % {"name": membership.user.full_name},
            )
            return redirect("accounts:user_detail", pk=membership.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@membership_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership(request, pk)
    sites = Site.objects.visible_to(request.user)
    initial = {
        "role": membership.role,
        "all_sites": membership.all_sites,
        "sites": list(membership.sites.all()),
        "sensitive_data": membership.sensitive_data,
        "version": membership.version,
    }
    form = MembershipForm(request.POST or None, sites=sites, initial=initial)
    if form.is_valid():
        try:
            services.change_membership(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("accounts:user_detail", pk=membership.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "member": membership,
            "form": form,
            "two_factor": membership.user.has_device(),
            "invitation_pending": not membership.user.has_usable_password(),
            "is_self": membership.user_id == request.user.pk,
        },
    )


_USER_ACTIONS = {
    "deactivate": (services.deactivate_membership, gettext_lazy("The user has been deactivated.")),
    "reactivate": (services.reactivate_membership, gettext_lazy("The user has been reactivated.")),
    "reset-two-factor": (
        services.reset_two_factor,
        gettext_lazy("The second factor has been reset."),
    ),
    "resend-invitation": (
        services.resend_invitation,
        gettext_lazy("The invitation has been sent again."),
    ),
}


@require_POST
@membership_required
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    membership = _get_membership(request, pk)
    if action not in _USER_ACTIONS:
        raise Http404
    service, success = _USER_ACTIONS[action]
    try:
        service(actor=request.user, membership=membership)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(success))
    return redirect("accounts:user_detail", pk=membership.pk)
