"""Pages of the work with employers: the directory, acquisition, openings,
placements and probation. Staff read them (VIEW_EMPLOYERS) and keep them
(EDIT_EMPLOYERS); placements are narrowed to the candidates' sites."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import EDIT_EMPLOYERS, VIEW_EMPLOYERS
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.views import download, form_saved, show_result, submit
from lotse.people.export import safe, to_csv, to_xlsx
from lotse.people.models import Person

from . import services, suggestions
from .forms import (
    ActivityForm,
    ContactForm,
    EmployerFilterForm,
    EmployerForm,
    FollowUpForm,
    MoveForm,
    OpeningFilterForm,
    OpeningForm,
    PlacementFilterForm,
    ProposeForm,
    StageForm,
    data_of,
)
from .models import (
    IN_PROGRESS,
    Activity,
    Employer,
    EmployerContact,
    FollowUp,
    Opening,
    Placement,
    ProspectStage,
    Relationship,
    Stage,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can_edit(request: HttpRequest) -> bool:
    return request.membership.has_perm(EDIT_EMPLOYERS)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- employers ------------------------------------------------------------------------


def _filtered_employers(request: HttpRequest) -> tuple[EmployerFilterForm, object]:
    form = EmployerFilterForm(request.GET or None)
    employers = Employer.objects.visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            employers = employers.search(data["q"])
        if data["relationship"]:
            employers = employers.filter(relationship=data["relationship"])
        if data["industry"]:
            employers = employers.filter(industry=data["industry"])
        if data["size_class"]:
            employers = employers.filter(size_class=data["size_class"])
        if data["municipality"]:
            employers = employers.filter(municipality=data["municipality"])
    return form, employers


@permission_required(VIEW_EMPLOYERS)
def employer_list(request: HttpRequest) -> HttpResponse:
    form, employers = _filtered_employers(request)
    page = Paginator(
        employers.select_related("industry").order_by("name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "can_edit": _can_edit(request),
    }
    if request.htmx:
        return render(request, "employers/_employer_results.html", context)
    return render(request, "employers/employer_list.html", context)


@permission_required(VIEW_EMPLOYERS)
def newsletter_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The contact persons of the filtered employers who may get a mailing."""
    _form, employers = _filtered_employers(request)
    contacts = services.newsletter_recipients(actor=request.user, employers=employers)
    header = [
        _("Employer"),
        _("Name"),
        _("Function"),
        _("E-mail"),
        _("Municipality"),
        _("Industry"),
    ]
    body = [
        [
            safe(value)
            for value in (
                contact.employer.name,
                contact.name,
                contact.function,
                contact.email,
                contact.employer.municipality,
                contact.employer.industry.name if contact.employer.industry else "",
            )
        ]
        for contact in contacts
    ]
    day = timezone.localdate().isoformat()
    if fmt == "csv":
        return download(to_csv(header, body), f"newsletter-{day}.csv", "text/csv; charset=utf-8")
    return download(to_xlsx(header, body), f"newsletter-{day}.xlsx", XLSX)


@permission_required(EDIT_EMPLOYERS)
def employer_create(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = form_saved(
            request,
            form,
            lambda: services.save_employer(
                actor=request.user, organisation=request.organisation, data=data_of(form)
            ),
            _("The employer has been added."),
        )
        if employer is not None:
            return redirect("employers:employer_detail", employer.pk)
    return render(request, "employers/employer_form.html", {"form": form})


def _get_employer(request: HttpRequest, pk: int) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)


@membership_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = EmployerForm(
        request.POST or None,
        instance=_get_employer(request, pk),
        initial={"version": employer.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_employer(
                actor=request.user,
                organisation=request.organisation,
                data=data_of(form),
                employer=employer,
                version=form.cleaned_data["version"],
            ),
            _("The employer has been saved."),
        )
        if saved is not None:
            return redirect("employers:employer_detail", employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@membership_required
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, VIEW_EMPLOYERS)
    context = {
        "employer": employer,
        "contacts": employer.contacts.all(),
        "activities": employer.activities.select_related("staff", "contact"),
        "openings": employer.openings.annotate(
            candidate_count=Count("placements", filter=Q(placements__stage__in=IN_PROGRESS))
        ),
        "can_edit": _can_edit(request),
        "activity_form": ActivityForm(employer=employer, initial={"date": timezone.localdate()}),
        "stage_form": StageForm(initial={"stage": employer.stage, "version": employer.version}),
        "today": timezone.localdate(),
    }
    return render(request, "employers/employer_detail.html", context)


@membership_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, EDIT_EMPLOYERS)
    return _contact_form(request, employer, None)


@membership_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(EmployerContact.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_EMPLOYERS)
    return _contact_form(request, contact.employer, contact)


def _contact_form(
    request: HttpRequest, employer: Employer, contact: EmployerContact | None
) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_contact(
                actor=request.user, employer=employer, data=data_of(form), contact=contact
            ),
            _("The contact person has been saved."),
        )
        if saved is not None:
            return redirect(reverse("employers:employer_detail", args=[employer.pk]) + "#contacts")
    return render(
        request,
        "employers/contact_form.html",
        {"form": form, "employer": employer, "contact": contact},
    )


@require_POST
@membership_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = ActivityForm(request.POST, employer=employer)
    submit(
        request,
        form,
        lambda data: services.record_activity(actor=request.user, employer=employer, data=data),
        _("The activity has been recorded."),
    )
    return redirect(reverse("employers:employer_detail", args=[employer.pk]) + "#activities")


@require_POST
@membership_required
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_EMPLOYERS)
    show_result(
        request,
        lambda: services.complete_follow_up(actor=request.user, activity=activity),
        _("The follow-up is done."),
    )
    target = request.POST.get("next")
    if target == "follow_ups":
        return redirect("employers:follow_ups")
    return redirect(
        reverse("employers:employer_detail", args=[activity.employer_id]) + "#activities"
    )


@require_POST
@membership_required
def prospect_move(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, EDIT_EMPLOYERS)
    submit(
        request,
        StageForm(request.POST),
        lambda data: services.move_prospect(
            actor=request.user, employer=employer, stage=data["stage"], version=data["version"]
        ),
        _("The acquisition stage has been saved."),
    )
    if request.POST.get("next") == "pipeline":
        return redirect("employers:pipeline")
    return redirect("employers:employer_detail", employer.pk)


PIPELINE_LIMIT = 25


@permission_required(VIEW_EMPLOYERS)
def pipeline(request: HttpRequest) -> HttpResponse:
    """Prospects by stage of acquisition, the most recently changed first."""
    prospects = Employer.objects.visible_to(request.user).filter(relationship=Relationship.PROSPECT)
    counts = dict(prospects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    columns = [
        {
            "stage": stage,
            "label": label,
            "count": counts.get(stage, 0),
            "employers": list(
                prospects.filter(stage=stage).order_by("-updated_at", "pk")[:PIPELINE_LIMIT]
            ),
        }
        for stage, label in ProspectStage.choices
    ]
    return render(
        request,
        "employers/pipeline.html",
        {
            "columns": columns,
            "limit": PIPELINE_LIMIT,
            "can_edit": _can_edit(request),
            "stages": [*ProspectStage.choices, (Relationship.ACTIVE.value, _("active partner"))],
        },
    )


@permission_required(VIEW_EMPLOYERS)
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Acquisition follow-ups due, and probation follow-ups of the next weeks."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=14)
    activities = (
        Activity.objects.visible_to(request.user)
        .follow_ups_due(horizon)
        .select_related("employer", "staff")
        .order_by("follow_up_on", "pk")
    )
    probation = (
        FollowUp.objects.pending()
        .filter(
            placement__in=Placement.objects.visible_to(request.user).values("pk"),
            due_on__lte=horizon,
        )
        .select_related("placement__person", "placement__opening__employer", "assigned_to")
        .order_by("due_on", "pk")
    )
    if request.GET.get("mine"):
        activities = activities.filter(staff=request.user)
        probation = probation.filter(assigned_to=request.user)
    return render(
        request,
        "employers/follow_ups.html",
        {
            "activities": activities,
            "probation": probation,
            "today": today,
            "horizon": horizon,
            "mine": bool(request.GET.get("mine")),
            "can_edit": _can_edit(request),
        },
    )


# --- openings -------------------------------------------------------------------------


@permission_required(VIEW_EMPLOYERS)
def opening_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = "open"
    form = OpeningFilterForm(params)
    openings = Opening.objects.visible_to(request.user).select_related(
        "employer", "occupation_area"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            openings = openings.filter(
                Q(title__icontains=data["q"])
                | Q(employer__name__icontains=data["q"])
                | Q(place__icontains=data["q"])
            )
        if data["kind"]:
            openings = openings.filter(kind=data["kind"])
        if data["status"]:
            openings = openings.filter(status=data["status"])
        if data["occupation_area"]:
            openings = openings.filter(occupation_area=data["occupation_area"])
    openings = openings.annotate(
        candidate_count=Count("placements", filter=Q(placements__stage__in=IN_PROGRESS))
    )
    page = Paginator(openings.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "query": _query(request)}
    if request.htmx:
        return render(request, "employers/_opening_results.html", context)
    return render(request, "employers/opening_list.html", context)


def _get_opening(request: HttpRequest, pk: int) -> Opening:
    return get_object_or_404(
        Opening.objects.visible_to(request.user).select_related("employer", "occupation_area"),
        pk=pk,
    )


@membership_required
def opening_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _get_employer(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opening = form_saved(
            request,
            form,
            lambda: services.save_opening(
                actor=request.user, employer=employer, data=data_of(form)
            ),
            _("The opening has been created."),
        )
        if opening is not None:
            return redirect("employers:opening_detail", opening.pk)
    return render(request, "employers/opening_form.html", {"form": form, "employer": employer})


@membership_required
def opening_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _get_opening(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = OpeningForm(
        request.POST or None,
        instance=_get_opening(request, pk),
        initial={"version": opening.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_opening(
                actor=request.user,
                employer=opening.employer,
                data=data_of(form),
                opening=opening,
                version=form.cleaned_data["version"],
            ),
            _("The opening has been saved."),
        )
        if saved is not None:
            return redirect("employers:opening_detail", opening.pk)
    return render(
        request,
        "employers/opening_form.html",
        {"form": form, "employer": opening.employer, "opening": opening},
    )


@membership_required
def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _get_opening(request, pk)
    require(request, VIEW_EMPLOYERS)
    placements = (
        Placement.objects.visible_to(request.user)
        .filter(opening=opening)
        .select_related("person", "responsible")
        .order_by("stage", "person__family_name")
    )
    can_edit = _can_edit(request)
    context = {
        "opening": opening,
        "placements": placements,
        "can_edit": can_edit,
        "suggestions": suggestions.candidates_for(opening, request.user)
        if can_edit and opening.status == "open"
        else [],
    }
    return render(request, "employers/opening_detail.html", context)


@require_POST
@membership_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _get_opening(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = get_object_or_404(
        Person.objects.visible_to(request.user), pk=form.cleaned_data["person"]
    )
    placement = None

    def use_case(data: dict) -> Placement:
        nonlocal placement
        placement = services.propose(
            actor=request.user, opening=opening, person=person, note=data["note"]
        )
        return placement

    submit(
        request,
        form,
        use_case,
        _("%(name)s has been proposed for the opening.") % {"name": person.full_name},
    )
    if placement is not None:
        return redirect("employers:placement_detail", placement.pk)
    if request.POST.get("next") == "person":
        return redirect("employers:person_openings", person.pk)
    return redirect("employers:opening_detail", opening.pk)


@membership_required
def person_openings(request: HttpRequest, pk: int) -> HttpResponse:
    """The openings that suit a participant best."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_EMPLOYERS)
    return render(
        request,
        "employers/person_openings.html",
        {"person": person, "suggestions": suggestions.openings_for(person, request.user)},
    )


# --- placements -----------------------------------------------------------------------


@permission_required(VIEW_EMPLOYERS)
def placement_list(request: HttpRequest) -> HttpResponse:
    form = PlacementFilterForm(request.GET or None)
    placements = Placement.objects.visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["stage"]:
            placements = placements.filter(stage=form.cleaned_data["stage"])
        if form.cleaned_data["mine"]:
            placements = placements.filter(responsible=request.user)
    counts = dict(
        Placement.objects.visible_to(request.user)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    page = Paginator(
        placements.select_related("person", "opening__employer", "responsible").order_by(
            "-updated_at", "-pk"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "stages": [(stage, label, counts.get(stage, 0)) for stage, label in Stage.choices],
    }
    if request.htmx:
        return render(request, "employers/_placement_results.html", context)
    return render(request, "employers/placement_list.html", context)


def _get_placement(request: HttpRequest, pk: int) -> Placement:
    return get_object_or_404(
        Placement.objects.visible_to(request.user).select_related(
            "person", "opening__employer", "responsible"
        ),
        pk=pk,
    )


@membership_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _get_placement(request, pk)
    require(request, VIEW_EMPLOYERS)
    context = {
        "placement": placement,
        "changes": placement.changes.select_related("changed_by"),
        "follow_ups": placement.follow_ups.select_related("assigned_to", "recorded_by"),
        "can_edit": _can_edit(request),
        "move_form": MoveForm(current=placement.stage, initial={"version": placement.version}),
        "follow_up_form": FollowUpForm(),
        "today": timezone.localdate(),
    }
    return render(request, "employers/placement_detail.html", context)


@require_POST
@membership_required
def placement_move(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _get_placement(request, pk)
    require(request, EDIT_EMPLOYERS)
    form = MoveForm(request.POST, current=placement.stage)
    submit(
        request,
        form,
        lambda data: services.move_placement(
            actor=request.user,
            placement=placement,
            stage=data["stage"],
            note=data["note"],
            contract=form.contract() if data["stage"] == Stage.CONTRACT else None,
            version=data["version"],
        ),
        _("The placement has been moved."),
    )
    return redirect("employers:placement_detail", placement.pk)


@require_POST
@membership_required
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(
            placement__in=Placement.objects.visible_to(request.user).values("pk")
        ).select_related("placement__person"),
        pk=pk,
    )
    require(request, EDIT_EMPLOYERS)
    submit(
        request,
        FollowUpForm(request.POST),
        lambda data: services.record_follow_up(
            actor=request.user,
            follow_up=follow_up,
            result=data["result"],
            note=data["note"],
            left_on=data["left_on"],
        ),
        _("The follow-up has been recorded."),
    )
    return redirect(
        reverse("employers:placement_detail", args=[follow_up.placement_id]) + "#follow-ups"
    )
