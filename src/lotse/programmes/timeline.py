"""The person timeline's entries of this app: step changes and events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.accounts.roles import VIEW_PROGRAMMES
from lotse.people.models import Person
from lotse.people.timeline import LIMIT, TimelineEntry

from .models import Event, Registration, RegistrationStatus, StepTransition


def person_entries(person: Person, user: User) -> list[TimelineEntry]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(VIEW_PROGRAMMES):
        return []
    entries = []
    transitions = (
        StepTransition.objects.filter(enrolment__person=person)
        .select_related("enrolment__programme", "to_step", "from_step", "moved_by")
        .order_by("-moved_at")[:LIMIT]
    )
    for move in transitions:
        enrolment = move.enrolment
        values = {"programme": enrolment.programme.name, "step": move.to_step.name}
        if move.from_step is None:
            text = _("Enrolled in %(programme)s at the step %(step)s") % values
        elif move.from_step_id == move.to_step_id:
            text = _("%(programme)s: %(status)s") % {
                "programme": enrolment.programme.name,
                "status": move.get_to_status_display(),
            }
        else:
            text = _("%(programme)s: moved to the step %(step)s") % values
        if move.reason:
            text = f"{text} ({move.reason})"
        entries.append(
            TimelineEntry(
                move.moved_at,
                text,
                by=str(move.moved_by or ""),
                url=reverse("programmes:enrolment_detail", args=[enrolment.pk]),
            )
        )
    registrations = (
        Registration.objects.filter(person=person, event__in=Event.objects.visible_to(user))
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("-event__starts_at")[:LIMIT]
    )
    for registration in registrations:
        event = registration.event
        if registration.attended is True:
            text = _("Attended: %(event)s") % {"event": event.title}
        elif registration.attended is False:
            text = _("Did not attend: %(event)s") % {"event": event.title}
        else:
            text = _("Registered for: %(event)s") % {"event": event.title}
        entries.append(
            TimelineEntry(
                event.starts_at, text, url=reverse("programmes:event_detail", args=[event.pk])
            )
        )
    return entries
