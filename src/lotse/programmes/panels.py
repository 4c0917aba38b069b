"""The person page's sections of this app: enrolments and events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.accounts.roles import EDIT_ENROLMENTS, VIEW_PROGRAMMES
from lotse.people.models import Person

from .forms import EnrolForm, RegisterForm
from .models import Enrolment, Event, Programme, Registration


def enrolments_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_PROGRAMMES):
        return None
    can_edit = request.membership.has_perm(EDIT_ENROLMENTS)
    programmes = Programme.objects.visible_to(request.user).active()
    return {
        "enrolments": Enrolment.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("programme", "step"),
        "enrol_form": EnrolForm(programmes=programmes, auto_id="enrol_%s") if can_edit else None,
        "can_edit": can_edit,
    }


def registrations_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_PROGRAMMES):
        return None
    can_edit = request.membership.has_perm(EDIT_ENROLMENTS)
    events = Event.objects.visible_to(request.user).upcoming()
    registrations = (
        Registration.objects.filter(person=person, event__in=Event.objects.visible_to(request.user))
        .select_related("event")
        .order_by("-event__starts_at")
    )
    return {
        "registrations": registrations,
        "register_form": RegisterForm(events=events, auto_id="register_%s")
        if can_edit and events.exists()
        else None,
        "can_edit": can_edit,
    }
