from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import (
    EDIT_ENROLMENTS,
    MANAGE_PROGRAMMES,
    RUN_MATCHING,
    SKIP_STEPS,
    VIEW_PROGRAMMES,
)
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.models import Site
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.views import show_result
from lotse.people.models import Person
from lotse.people.selection import selected_people, selection_state

from . import services
from .forms import (
    EndForm,
    EnrolForm,
    EventFilterForm,
    EventForm,
    MoveForm,
    ProgrammeForm,
    RegisterForm,
    StepForm,
)
from .models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Event,
    Programme,
    Registration,
    RegistrationStatus,
    Step,
)

BOARD_LIMIT = 12  # enrolments shown per step on the board; the step's list has them all
PAGE_SIZE = 50


def _programmes(request: HttpRequest):
    return Programme.objects.visible_to(request.user)


def _sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


def _enrolments(request: HttpRequest):
    return Enrolment.objects.visible_to(request.user)


def _events(request: HttpRequest):
    return Event.objects.visible_to(request.user)


def _people(request: HttpRequest):
    return Person.objects.visible_to(request.user)


# --- programmes ----------------------------------------------------------------


@permission_required(VIEW_PROGRAMMES)
def programme_list(request: HttpRequest) -> HttpResponse:
    active = Q(enrolments__status=EnrolmentStatus.ACTIVE)
    if not request.membership.all_sites:
        active &= Q(enrolments__person__site__in=request.membership.site_ids)
    programmes = _programmes(request).annotate(active_count=Count("enrolments", filter=active))
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": programmes.prefetch_related("sites"),
            "can_manage": request.membership.has_perm(MANAGE_PROGRAMMES),
        },
    )


@permission_required(MANAGE_PROGRAMMES)
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, sites=_sites(request))
    if form.is_valid():
        try:
            programme = services.create_programme(
                actor=request.user, organisation=request.organisation, **form.programme_values()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The programme has been created."))
            return redirect("programmes:programme_edit", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": None})


@membership_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), pk=pk)
    require(request, MANAGE_PROGRAMMES)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        sites=_sites(request),
        initial={"version": programme.version},
    )
    if form.is_valid():
        try:
            services.update_programme(
                actor=request.user,
                programme=programme,
                version=form.cleaned_data["version"] or 0,
                **form.programme_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("programmes:programme_edit", pk=programme.pk)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("programmes:programme_edit", pk=programme.pk)
    steps = programme.steps.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE))
    ).order_by("position")
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme, "steps": steps, "step_form": StepForm()},
    )


@require_POST
@membership_required
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), pk=pk)
    require(request, MANAGE_PROGRAMMES)
    form = StepForm(request.POST)
    if form.is_valid():
        show_result(
            request,
            lambda: services.add_step(actor=request.user, programme=programme, **form.cleaned_data),
            _("The step has been added at the end."),
        )
    else:
        messages.error(request, _("Give the step a German and an English name."))
    return redirect(f"{reverse('programmes:programme_edit', args=[programme.pk])}#steps")


@membership_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(
        Step.objects.visible_to(request.user).select_related("programme"), pk=pk
    )
    require(request, MANAGE_PROGRAMMES)
    form = StepForm(request.POST or None, instance=step)
    if form.is_valid():
        values = dict(form.cleaned_data)
        step.refresh_from_db()  # the form wrote into the instance; the service compares
        if show_result(
            request,
            lambda: services.update_step(actor=request.user, step=step, **values),
            _("The changes have been saved."),
        ):
            return redirect(
                f"{reverse('programmes:programme_edit', args=[step.programme_id])}#steps"
            )
    return render(request, "programmes/step_form.html", {"form": form, "step": step})


@require_POST
@membership_required
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(Step.objects.visible_to(request.user), pk=pk)
    require(request, MANAGE_PROGRAMMES)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_step(actor=request.user, step=step, offset=offset)
    return redirect(f"{reverse('programmes:programme_edit', args=[step.programme_id])}#steps")


@require_POST
@membership_required
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(Step.objects.visible_to(request.user), pk=pk)
    require(request, MANAGE_PROGRAMMES)
    programme_id = step.programme_id
    show_result(
        request,
        lambda: services.delete_step(actor=request.user, step=step),
        _("The step has been removed."),
    )
    return redirect(f"{reverse('programmes:programme_edit', args=[programme_id])}#steps")


# --- the board -----------------------------------------------------------------


@membership_required
def programme_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolments per step, with counts: the life cycle at a glance."""
    programme = get_object_or_404(_programmes(request), pk=pk)
    require(request, VIEW_PROGRAMMES)
    role = request.GET.get("role", "")
    if role not in programme.roles():
        role = ""
    enrolments = _enrolments(request).filter(programme=programme).active()
    if request.site is not None:
        enrolments = enrolments.filter(person__site=request.site)
    if role:
        enrolments = enrolments.filter(role=role)
    steps = list(programme.steps.order_by("position"))
    counts = {
        row["step"]: row["n"]
        for row in enrolments.order_by().values("step").annotate(n=Count("pk"))
    }
    chosen = None
    page = None
    if request.GET.get("step", "").isdigit():
        chosen = next((s for s in steps if s.pk == int(request.GET["step"])), None)
    listed = enrolments.select_related("person", "step").order_by("step_since", "pk")
    if chosen is not None:
        page = Paginator(listed.filter(step=chosen), PAGE_SIZE).get_page(request.GET.get("page"))
        columns = []
    else:
        columns = [
            {
                "step": step,
                "count": counts.get(step.pk, 0),
                "enrolments": list(listed.filter(step=step)[:BOARD_LIMIT]),
            }
            for step in steps
        ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "columns": columns,
        "chosen": chosen,
        "page": page,
        "role": role,
        "roles": [(value, EnrolmentRole(value).label) for value in programme.roles()],
        "total": sum(counts.values()),
        "query": query.urlencode(),
        "can_move": request.membership.has_perm(EDIT_ENROLMENTS),
        # Matching sits above programmes: the board links to it by URL name only.
        "can_match": request.membership.has_perm(RUN_MATCHING)
        and EnrolmentRole.MENTOR in programme.roles(),
        "board_limit": BOARD_LIMIT,
    }
    template = "programmes/_board.html" if request.htmx else "programmes/programme_board.html"
    return render(request, template, context)


# --- enrolments ----------------------------------------------------------------


def _back_to(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    # Only our own pages: a path, never another host.
    return target if target.startswith("/") and not target.startswith("//") else fallback


@membership_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        _enrolments(request).select_related("person__site", "programme", "step"), pk=pk
    )
    require(request, VIEW_PROGRAMMES)
    steps = services.steps_for(enrolment.programme, enrolment.role)
    return render(
        request,
        "programmes/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "steps": steps,
            "next_step": services.next_step(enrolment),
            "transitions": enrolment.transitions.select_related("from_step", "to_step", "moved_by"),
            "move_form": MoveForm(
                steps=[s for s in steps if s.pk != enrolment.step_id],
                initial={"version": enrolment.version},
            ),
            "can_move": request.membership.has_perm(EDIT_ENROLMENTS)
            and enrolment.status == EnrolmentStatus.ACTIVE,
            "can_skip": request.membership.has_perm(SKIP_STEPS),
        },
    )


@require_POST
@membership_required
def enrolment_advance(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(_enrolments(request).select_related("step", "programme"), pk=pk)
    require(request, EDIT_ENROLMENTS)
    version = request.POST.get("version", "")
    show_result(
        request,
        lambda: services.advance(
            actor=request.user,
            enrolment=enrolment,
            version=int(version) if version.isdigit() else None,
        ),
        _("%(name)s has moved on.") % {"name": enrolment.person.full_name},
    )
    return redirect(_back_to(request, reverse("programmes:enrolment_detail", args=[pk])))


@require_POST
@membership_required
def enrolment_move(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(_enrolments(request).select_related("step", "programme"), pk=pk)
    require(request, EDIT_ENROLMENTS)
    form = MoveForm(request.POST, steps=services.steps_for(enrolment.programme, enrolment.role))
    if form.is_valid():
        show_result(
            request,
            lambda: services.move_enrolment(
                actor=request.user, enrolment=enrolment, **form.cleaned_data
            ),
            _("The enrolment has been moved."),
        )
    else:
        messages.error(request, _("Choose a step of this programme."))
    return redirect("programmes:enrolment_detail", pk=pk)


@require_POST
@membership_required
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(_enrolments(request).select_related("step", "programme"), pk=pk)
    require(request, EDIT_ENROLMENTS)
    form = EndForm(request.POST)
    status = request.POST.get("status")
    if form.is_valid() and status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN):
        show_result(
            request,
            lambda: services.end_enrolment(
                actor=request.user, enrolment=enrolment, status=status, **form.cleaned_data
            ),
            _("The enrolment has ended."),
        )
    else:
        messages.error(request, _("Choose how the enrolment ends."))
    return redirect("programmes:enrolment_detail", pk=pk)


@require_POST
@membership_required
def person_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    require(request, EDIT_ENROLMENTS)
    form = EnrolForm(request.POST, programmes=_programmes(request).active())
    if form.is_valid():
        show_result(
            request,
            lambda: services.enrol(actor=request.user, person=person, **form.cleaned_data),
            _("%(name)s has been enrolled.") % {"name": person.full_name},
        )
    else:
        messages.error(request, _("Choose a programme and a role."))
    return redirect("people:person_detail", pk=person.pk)


@require_POST
@membership_required
def person_register(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    require(request, EDIT_ENROLMENTS)
    form = RegisterForm(request.POST, events=_events(request).upcoming())
    if form.is_valid():
        try:
            registration = services.register(
                actor=request.user, person=person, event=form.cleaned_data["event"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request,
                    _("The event is full: %(name)s is on the waiting list.")
                    % {"name": person.full_name},
                )
            else:
                messages.success(
                    request, _("%(name)s has been registered.") % {"name": person.full_name}
                )
    else:
        messages.error(request, _("Choose an upcoming event."))
    return redirect("people:person_detail", pk=person.pk)


def _pool_url(request: HttpRequest) -> str:
    query = request.POST.get("filter_query", "")
    return f"{reverse('people:person_list')}?{query}" if query else reverse("people:person_list")


def _selection_or_back(request: HttpRequest):
    # The site goes into each audit entry: loaded with the people, not per person.
    people = selected_people(request).select_related("site")
    count = people.count()
    if not count:
        messages.error(request, _("Tick at least one person in the list first."))
    return people, count


@require_POST
@permission_required(EDIT_ENROLMENTS)
def bulk_enrol(request: HttpRequest) -> HttpResponse:
    people, count = _selection_or_back(request)
    if not count:
        return redirect(_pool_url(request))
    form = EnrolForm(
        request.POST if request.POST.get("confirm") else None,
        programmes=_programmes(request).active(),
    )
    if form.is_valid():
        try:
            result = services.enrol_many(actor=request.user, people=people, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(count)s people have been enrolled in %(programme)s.")
                % {"count": len(result.enrolled), "programme": form.cleaned_data["programme"]},
            )
            for person, why in result.refused[:10]:
                messages.warning(request, f"{person.full_name}: {why}")
            return redirect("programmes:programme_board", pk=form.cleaned_data["programme"].pk)
    return render(
        request,
        "programmes/bulk_enrol.html",
        {
            "form": form,
            "count": count,
            "preview": people[:20],
            "selection": selection_state(request),
            "back": _pool_url(request),
        },
    )


@require_POST
@permission_required(EDIT_ENROLMENTS)
def bulk_register(request: HttpRequest) -> HttpResponse:
    people, count = _selection_or_back(request)
    if not count:
        return redirect(_pool_url(request))
    form = RegisterForm(
        request.POST if request.POST.get("confirm") else None,
        events=_events(request).upcoming(),
    )
    if form.is_valid():
        event = form.cleaned_data["event"]
        try:
            result = services.register_many(actor=request.user, people=people, event=event)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(registered)s registered, %(waiting)s on the waiting list.")
                % {"registered": len(result.registered), "waiting": len(result.waiting)},
            )
            for person, why in result.refused[:10]:
                messages.warning(request, f"{person.full_name}: {why}")
            return redirect("programmes:event_detail", pk=event.pk)
    return render(
        request,
        "programmes/bulk_register.html",
        {
            "form": form,
            "count": count,
            "preview": people[:20],
            "selection": selection_state(request),
            "back": _pool_url(request),
        },
    )


# --- events --------------------------------------------------------------------


@permission_required(VIEW_PROGRAMMES)
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, programmes=_programmes(request))
    events = _events(request).select_related("site", "programme")
    if request.site is not None:
        events = events.filter(site=request.site)
    when = "upcoming"
    if form.is_valid():
        when = form.cleaned_data["when"] or "upcoming"
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["programme"]:
            events = events.filter(programme=form.cleaned_data["programme"])
    now = timezone.now()
    events = events.order_by("starts_at", "pk")
    if when == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    events = events.annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": request.membership.has_perm(EDIT_ENROLMENTS),
    }
    template = "programmes/_event_results.html" if request.htmx else "programmes/event_list.html"
    return render(request, template, context)


def _event_form(request: HttpRequest, *args, **kwargs) -> EventForm:
    return EventForm(
        *args, sites=_sites(request), programmes=_programmes(request).active(), **kwargs
    )


@permission_required(EDIT_ENROLMENTS)
def event_create(request: HttpRequest) -> HttpResponse:
    form = _event_form(request, request.POST or None, initial={"site": request.site})
    if form.is_valid():
        try:
            event = services.create_event(
                actor=request.user, organisation=request.organisation, **form.event_values()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event has been created."))
            return redirect("programmes:event_detail", pk=event.pk)
    return render(request, "programmes/event_form.html", {"form": form, "event": None})


@membership_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(request), pk=pk)
    require(request, EDIT_ENROLMENTS)
    form = _event_form(
        request, request.POST or None, instance=event, initial={"version": event.version}
    )
    if form.is_valid():
        try:
            services.update_event(
                actor=request.user,
                event=event,
                version=form.cleaned_data["version"] or 0,
                **form.event_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("programmes:event_edit", pk=event.pk)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("programmes:event_detail", pk=event.pk)
    return render(request, "programmes/event_form.html", {"form": form, "event": event})


def _registrations(request: HttpRequest, event: Event):
    """The event's registrations of people the user may see; colleagues at
    other sites register theirs, and only their number shows here."""
    return (
        event.registrations.filter(person__in=_people(request))
        .select_related("person")
        .order_by("registered_at", "pk")
    )


@membership_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(request).select_related("site", "programme"), pk=pk)
    require(request, VIEW_PROGRAMMES)
    registrations = list(_registrations(request, event))
    by_status = {status: [] for status in RegistrationStatus.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    others = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
        - len(by_status[RegistrationStatus.REGISTERED])
        - len(by_status[RegistrationStatus.WAITING])
    )
    return render(
        request,
        "programmes/event_detail.html",
        {
            "event": event,
            "registered": by_status[RegistrationStatus.REGISTERED],
            "waiting": by_status[RegistrationStatus.WAITING],
            "cancelled": by_status[RegistrationStatus.CANCELLED],
            "others": others,
            "can_edit": request.membership.has_perm(EDIT_ENROLMENTS),
            "attendance_open": event.starts_at <= timezone.now(),
        },
    )


@require_POST
@membership_required
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(request), pk=pk)
    require(request, EDIT_ENROLMENTS)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    try:
        attended, absent = services.record_attendance(
            actor=request.user, event=event, present=present
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Attendance saved: %(present)s present, %(absent)s absent.")
            % {"present": attended, "absent": absent},
        )
    return redirect("programmes:event_detail", pk=event.pk)


@membership_required
def event_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance list to print and sign at the door."""
    event = get_object_or_404(_events(request).select_related("site", "programme"), pk=pk)
    require(request, VIEW_PROGRAMMES)
    registered = [
        r for r in _registrations(request, event) if r.status == RegistrationStatus.REGISTERED
    ]
    return render(
        request, "programmes/event_print.html", {"event": event, "registered": registered}
    )


@require_POST
@membership_required
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.filter(
            event__in=_events(request), person__in=_people(request)
        ).select_related("person"),
        pk=pk,
    )
    require(request, EDIT_ENROLMENTS)
    show_result(
        request,
        lambda: services.cancel_registration(actor=request.user, registration=registration),
        _("The registration of %(name)s has been cancelled.")
        % {"name": registration.person.full_name},
    )
    return redirect(
        _back_to(request, reverse("programmes:event_detail", args=[registration.event_id]))
    )
