"""Pages of the local network. Everyone on the staff and the partner role
read them; the network manager (EDIT_NETWORK) keeps them. The actor table is
the network's own planning and stays with the staff (VIEW_RECORDS)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import EDIT_NETWORK, VIEW_NETWORK
from lotse.core.exceptions import ServiceError
from lotse.core.models import Site
from lotse.core.permissions import (
    VIEW_RECORDS,
    membership_required,
    permission_required,
    require,
)
from lotse.core.views import download, form_saved, show_result, stored_file, submit

from . import analysis, documents, services
from .forms import (
    ActorFilterForm,
    AgreementForm,
    CommitteeForm,
    ContactForm,
    DraftMeasureForm,
    InstitutionFilterForm,
    InstitutionForm,
    IssueForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureUpdateForm,
    MeetingForm,
    MemberForm,
    NeedForm,
    NewMeetingForm,
    OfferFilterForm,
    OfferForm,
    ResponsibilityForm,
    StepForm,
    data_of,
)
from .models import (
    PENDING,
    WORKSHOP_SIZE_HINT,
    AgreedMeasure,
    Committee,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    Institution,
    IntegrationStep,
    InterfacePaper,
    MeasureStatus,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
)

PAGE_SIZE = 50
DRAFT_MEASURES = 3  # empty measure rows on the new-meeting form


def _can_edit(request: HttpRequest) -> bool:
    return request.membership.has_perm(EDIT_NETWORK)


def _institutions(request: HttpRequest):
    return Institution.objects.visible_to(request.user)


def _contacts(request: HttpRequest):
    return (
        ContactPerson.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("institution")
    )


def _sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- institutions --------------------------------------------------------------------


@permission_required(VIEW_NETWORK)
def institution_list(request: HttpRequest) -> HttpResponse:
    form = InstitutionFilterForm(request.GET or None)
    institutions = _institutions(request).annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True))
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            institutions = institutions.filter(
                Q(name__icontains=data["q"])
                | Q(short_name__icontains=data["q"])
                | Q(town__icontains=data["q"])
                | Q(tasks__icontains=data["q"])
            )
        if data["domain"]:
            institutions = institutions.filter(domain=data["domain"])
        if data["kind"]:
            institutions = institutions.filter(kind=data["kind"])
    page = Paginator(institutions.order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "can_edit": _can_edit(request),
        "staff": request.membership.has_perm(VIEW_RECORDS),
    }
    if request.htmx:
        return render(request, "network/_institution_results.html", context)
    return render(request, "network/institution_list.html", context)


def _get_institution(request: HttpRequest, pk: int) -> Institution:
    return get_object_or_404(_institutions(request), pk=pk)


@permission_required(EDIT_NETWORK)
def institution_create(request: HttpRequest) -> HttpResponse:
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        institution = form_saved(
            request,
            form,
            lambda: services.save_institution(
                actor=request.user, organisation=request.organisation, data=data_of(form)
            ),
            _("The institution has been added."),
        )
        if institution is not None:
            return redirect("network:institution_detail", institution.pk)
    return render(request, "network/institution_form.html", {"form": form})


@membership_required
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _get_institution(request, pk)
    require(request, EDIT_NETWORK)
    form = InstitutionForm(
        request.POST or None,
        instance=_get_institution(request, pk),
        initial={"version": institution.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_institution(
                actor=request.user,
                organisation=request.organisation,
                data=data_of(form),
                institution=institution,
                version=form.cleaned_data["version"],
            ),
            _("The institution has been saved."),
        )
        if saved is not None:
            return redirect("network:institution_detail", institution.pk)
    return render(
        request, "network/institution_form.html", {"form": form, "institution": institution}
    )


@membership_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _get_institution(request, pk)
    require(request, VIEW_NETWORK)
    today = timezone.localdate()
    contacts = institution.contacts.all()
    if not _can_edit(request):
        contacts = contacts.filter(is_active=True)
    context = {
        "institution": institution,
        "contacts": contacts,
        "can_edit": _can_edit(request),
        "staff": request.membership.has_perm(VIEW_RECORDS),
        "committees": Committee.objects.visible_to(request.user)
        .filter(members__institution=institution)
        .distinct(),
        "responsibilities": institution.responsibilities.select_related("step", "contact"),
        "offers": institution.offers.current(today),
        "agreements": CooperationAgreement.objects.visible_to(request.user).filter(
            parties=institution
        ),
        "measures": AgreedMeasure.objects.visible_to(request.user)
        .filter(institution=institution)
        .pending()
        .select_related("meeting__committee"),
        "today": today,
    }
    return render(request, "network/institution_detail.html", context)


@membership_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _get_institution(request, pk)
    require(request, EDIT_NETWORK)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form_saved(
            request,
            form,
            lambda: services.save_contact(
                actor=request.user, institution=institution, data=data_of(form)
            ),
            _("The contact person has been added."),
        )
        if contact is not None:
            return redirect("network:institution_detail", institution.pk)
    return render(request, "network/contact_form.html", {"form": form, "institution": institution})


@membership_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        ContactPerson.objects.visible_to(request.user).select_related("institution"), pk=pk
    )
    require(request, EDIT_NETWORK)
    form = ContactForm(
        request.POST or None, instance=ContactPerson.objects.visible_to(request.user).get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_contact(
                actor=request.user,
                institution=contact.institution,
                data=data_of(form),
                contact=contact,
            ),
            _("The contact person has been saved."),
        )
        if saved is not None:
            return redirect("network:institution_detail", contact.institution_id)
    return render(
        request,
        "network/contact_form.html",
        {"form": form, "institution": contact.institution, "contact": contact},
    )


# --- the actor table ------------------------------------------------------------------


def _actors(request: HttpRequest, form: ActorFilterForm):
    institutions = _institutions(request).prefetch_related(
        Prefetch("contacts", queryset=ContactPerson.objects.filter(is_active=True))
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            institutions = institutions.filter(name__icontains=data["q"])
        if data["domain"]:
            institutions = institutions.filter(domain=data["domain"])
        if data["kind"]:
            institutions = institutions.filter(kind=data["kind"])
        if data["cooperates"]:
            institutions = institutions.filter(cooperates=True)
        if data["core_group"] == "any":
            institutions = institutions.exclude(core_group="")
        elif data["core_group"]:
            institutions = institutions.filter(core_group=data["core_group"])
        if data["extended_forums"]:
            institutions = institutions.filter(extended_forums=True)
    return institutions.filter(is_active=True).order_by("domain", "name")


@permission_required(VIEW_NETWORK)
def actor_table(request: HttpRequest) -> HttpResponse:
    require(request, VIEW_RECORDS)
    form = ActorFilterForm(request.GET or None)
    context = {
        "form": form,
        "institutions": _actors(request, form),
        "query": _query(request),
        "can_edit": _can_edit(request),
    }
    if request.htmx:
        return render(request, "network/_actor_results.html", context)
    return render(request, "network/actor_table.html", context)


@permission_required(VIEW_NETWORK)
def actor_table_xlsx(request: HttpRequest) -> HttpResponse:
    require(request, VIEW_RECORDS)
    form = ActorFilterForm(request.GET or None)
    content = documents.actor_table_xlsx(_actors(request, form))
    return download(content, _("actor-table.xlsx"), XLSX)


# --- committees -----------------------------------------------------------------------


def _committees(request: HttpRequest):
    return Committee.objects.visible_to(request.user)


def _get_committee(request: HttpRequest, pk: int) -> Committee:
    return get_object_or_404(_committees(request), pk=pk)


@permission_required(VIEW_NETWORK)
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = _committees(request).annotate(
        member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True)
    )
    agreements = CooperationAgreement.objects.visible_to(request.user).prefetch_related("parties")
    return render(
        request,
        "network/committee_list.html",
        {
            "committees": committees,
            "agreements": agreements,
            "today": timezone.localdate(),
            "can_edit": _can_edit(request),
        },
    )


@permission_required(EDIT_NETWORK)
def committee_create(request: HttpRequest) -> HttpResponse:
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        committee = form_saved(
            request,
            form,
            lambda: services.save_committee(
                actor=request.user, organisation=request.organisation, data=data_of(form)
            ),
            _("The committee has been added."),
        )
        if committee is not None:
            return redirect("network:committee_detail", committee.pk)
    return render(request, "network/committee_form.html", {"form": form})


@membership_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    require(request, EDIT_NETWORK)
    form = CommitteeForm(request.POST or None, instance=_get_committee(request, pk))
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_committee(
                actor=request.user,
                organisation=request.organisation,
                data=data_of(form),
                committee=committee,
            ),
            _("The committee has been saved."),
        )
        if saved is not None:
            return redirect("network:committee_detail", committee.pk)
    return render(request, "network/committee_form.html", {"form": form, "committee": committee})


@membership_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    require(request, VIEW_NETWORK)
    members = list(committee.members.select_related("institution", "contact"))
    meetings = committee.meetings.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        measure_count=Count("measures", distinct=True),
    )
    context = {
        "committee": committee,
        "members": members,
        "too_large": len(members) > WORKSHOP_SIZE_HINT,
        "size_hint": WORKSHOP_SIZE_HINT,
        "meetings": meetings,
        "can_edit": _can_edit(request),
    }
    if context["can_edit"]:
        context["member_form"] = MemberForm(
            institutions=_institutions(request).filter(is_active=True),
            contacts=_contacts(request),
            auto_id="member_%s",
        )
    return render(request, "network/committee_detail.html", context)


@require_POST
@membership_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    require(request, EDIT_NETWORK)
    form = MemberForm(
        request.POST,
        institutions=_institutions(request).filter(is_active=True),
        contacts=_contacts(request),
    )
    submit(
        request,
        form,
        lambda data: services.add_member(actor=request.user, committee=committee, **data),
        _("The member has been added."),
    )
    return redirect(reverse("network:committee_detail", args=[committee.pk]) + "#members")


@require_POST
@membership_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        CommitteeMember.objects.visible_to(request.user).filter(committee__in=_committees(request)),
        pk=pk,
    )
    require(request, EDIT_NETWORK)
    committee_id = member.committee_id
    show_result(
        request,
        lambda: services.remove_member(actor=request.user, member=member),
        _("The member has been removed."),
    )
    return redirect(reverse("network:committee_detail", args=[committee_id]) + "#members")


# --- cooperation agreements -----------------------------------------------------------


def _get_agreement(request: HttpRequest, pk: int) -> CooperationAgreement:
    return get_object_or_404(CooperationAgreement.objects.visible_to(request.user), pk=pk)


def _agreement_page(request: HttpRequest, agreement: CooperationAgreement | None) -> HttpResponse:
    initial = {}
    if agreement is not None:
        initial = {
            "subject": agreement.subject,
            "parties": list(agreement.parties.all()),
            "signed_on": agreement.signed_on,
            "valid_until": agreement.valid_until,
            "notes": agreement.notes,
        }
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        institutions=_institutions(request).filter(is_active=True),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = form_saved(
            request,
            form,
            lambda: services.save_agreement(
                actor=request.user,
                organisation=request.organisation,
                data={
                    name: data[name] for name in ("subject", "signed_on", "valid_until", "notes")
                },
                parties=data["parties"],
                document=data["document"],
                agreement=agreement,
            ),
            _("The cooperation agreement has been saved."),
        )
        if saved is not None:
            return redirect(reverse("network:committee_list") + "#agreements")
    return render(request, "network/agreement_form.html", {"form": form, "agreement": agreement})


@permission_required(EDIT_NETWORK)
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _agreement_page(request, None)


@membership_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get_agreement(request, pk)
    require(request, EDIT_NETWORK)
    return _agreement_page(request, agreement)


@membership_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get_agreement(request, pk)
    require(request, VIEW_NETWORK)
    try:
        handle = services.open_agreement_document(actor=request.user, agreement=agreement)
    except (ServiceError, FileNotFoundError) as error:
        raise Http404 from error
    suffix = agreement.document.name.rsplit(".", 1)[-1]
    return stored_file(
        handle,
        _("cooperation-agreement-%(number)s.%(suffix)s")
        % {"number": agreement.pk, "suffix": suffix},
    )


# --- meetings, goals and measures -------------------------------------------------------


def _meetings(request: HttpRequest):
    return NetworkMeeting.objects.visible_to(request.user).select_related("committee")


def _get_meeting(request: HttpRequest, pk: int) -> NetworkMeeting:
    return get_object_or_404(_meetings(request), pk=pk)


def _draft_forms(request: HttpRequest, data=None) -> list[DraftMeasureForm]:
    return [
        DraftMeasureForm(
            data,
            prefix=f"measure-{index}",
            institutions=_institutions(request).filter(is_active=True),
            contacts=_contacts(request),
        )
        for index in range(DRAFT_MEASURES)
    ]


@membership_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    require(request, EDIT_NETWORK)
    members = list(committee.members.select_related("institution", "contact"))
    data = request.POST or None
    form = NewMeetingForm(
        data,
        members=members,
        initial={"held_on": timezone.localdate(), "present": [str(m.pk) for m in members]},
    )
    drafts = _draft_forms(request, data)
    if request.method == "POST" and form.is_valid() and all(d.is_valid() for d in drafts):
        present = set(form.cleaned_data["present"])
        participants = [
            services.Participant(member.institution, member.contact, str(member.pk) in present)
            for member in members
        ]
        measures = [
            services.MeasureDraft(
                title=draft.cleaned_data["title"],
                institution=draft.cleaned_data["institution"],
                contact=draft.cleaned_data["contact"],
                due_on=draft.cleaned_data["due_on"],
                goal=draft.cleaned_data["goal"],
            )
            for draft in drafts
            if draft.cleaned_data["title"]
        ]
        meeting = form_saved(
            request,
            form,
            lambda: services.record_meeting(
                actor=request.user,
                committee=committee,
                data=data_of(form),
                participants=participants,
                goals=form.cleaned_data["goals"].splitlines(),
                measures=measures,
            ),
            _("The meeting has been recorded."),
        )
        if meeting is not None:
            return redirect("network:meeting_detail", meeting.pk)
    return render(
        request,
        "network/meeting_form.html",
        {"form": form, "drafts": drafts, "committee": committee, "members": members},
    )


@membership_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    require(request, VIEW_NETWORK)
    today = timezone.localdate()
    goals = list(meeting.goals.all())
    measures = list(
        meeting.measures.select_related("institution", "contact", "goal").prefetch_related(
            "updates__written_by"
        )
    )
    can_edit = _can_edit(request)
    for measure in measures:
        measure.overdue = measure.is_overdue(today)
        if can_edit:
            measure.form = MeasureUpdateForm(
                initial={"version": measure.version, "status": measure.status},
                prefix=f"measure-{measure.pk}",
            )
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("institution", "contact"),
        "goals": goals,
        "measures": measures,
        "can_edit": can_edit,
    }
    if can_edit:
        context["measure_form"] = MeasureForm(
            institutions=_institutions(request).filter(is_active=True),
            contacts=_contacts(request),
            goals=goals,
            auto_id="new_measure_%s",
        )
    return render(request, "network/meeting_detail.html", context)


@membership_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    require(request, EDIT_NETWORK)
    attendance = list(meeting.attendance.select_related("institution", "contact"))
    form = MeetingForm(
        request.POST or None,
        instance=_get_meeting(request, pk),
        initial={"version": meeting.version},
    )
    if request.method == "POST" and form.is_valid():
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        saved = form_saved(
            request,
            form,
            lambda: services.update_meeting(
                actor=request.user,
                meeting=meeting,
                data=data_of(form),
                present=present,
                version=form.cleaned_data["version"],
            ),
            _("The meeting has been saved."),
        )
        if saved is not None:
            return redirect("network:meeting_detail", meeting.pk)
    return render(
        request,
        "network/meeting_edit.html",
        {"form": form, "meeting": meeting, "attendance": attendance},
    )


@membership_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    require(request, VIEW_NETWORK)
    filename = _("minutes-%(date)s.pdf") % {"date": meeting.held_on.isoformat()}
    return download(documents.minutes_pdf(meeting), filename, "application/pdf")


@require_POST
@membership_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    require(request, EDIT_NETWORK)
    show_result(
        request,
        lambda: services.add_goal(
            actor=request.user, meeting=meeting, text=request.POST.get("text", "")[:300]
        ),
        _("The goal has been added."),
    )
    return redirect(reverse("network:meeting_detail", args=[meeting.pk]) + "#goals")


@require_POST
@membership_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    require(request, EDIT_NETWORK)
    goals = list(meeting.goals.all())
    form = MeasureForm(
        request.POST,
        institutions=_institutions(request).filter(is_active=True),
        contacts=_contacts(request),
        goals=goals,
    )
    submit(
        request,
        form,
        lambda data: services.add_measure(
            actor=request.user,
            meeting=meeting,
            draft=services.MeasureDraft(
                title=data["title"],
                institution=data["institution"],
                contact=data["contact"],
                due_on=data["due_on"],
            ),
            goal=next((g for g in goals if str(g.pk) == data["goal"]), None),
        ),
        _("The measure has been added."),
    )
    return redirect(reverse("network:meeting_detail", args=[meeting.pk]) + "#measures")


@permission_required(VIEW_NETWORK)
def measure_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    committees = _committees(request)
    form = MeasureFilterForm(
        request.GET or None,
        committees=committees,
        institutions=_institutions(request),
    )
    measures = AgreedMeasure.objects.visible_to(request.user)
    state = "pending"
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"] or "pending"
        if data["committee"]:
            measures = measures.filter(meeting__committee=data["committee"])
        if data["institution"]:
            measures = measures.filter(institution=data["institution"])
    if state == "pending":
        measures = measures.pending()
    elif state == "overdue":
        measures = measures.overdue(today)
    elif state in MeasureStatus.values:
        measures = measures.filter(status=state)
    everything = AgreedMeasure.objects.visible_to(request.user)
    counts = {
        row["status"]: row["n"] for row in everything.values("status").annotate(n=Count("pk"))
    }
    summary = {
        "total": sum(counts.values()),
        "done": counts.get(MeasureStatus.DONE, 0),
        "pending": sum(counts.get(status, 0) for status in PENDING),
        "overdue": everything.overdue(today).count(),
        "dropped": counts.get(MeasureStatus.DROPPED, 0),
    }
    decided = summary["total"] - summary["dropped"]
    summary["done_share"] = round(100 * summary["done"] / decided) if decided else None
    page = Paginator(
        measures.select_related("meeting__committee", "institution", "contact")
        .prefetch_related("updates")
        .order_by("due_on", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    can_edit = _can_edit(request)
    for measure in page.object_list:
        measure.overdue = measure.is_overdue(today)
        updates = list(measure.updates.all())
        measure.latest = updates[0] if updates else None
        if can_edit:
            measure.form = MeasureUpdateForm(
                initial={"version": measure.version, "status": measure.status},
                prefix=f"measure-{measure.pk}",
            )
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "summary": summary,
        "can_edit": can_edit,
    }
    if request.htmx:
        return render(request, "network/_measure_results.html", context)
    return render(request, "network/measure_list.html", context)


@require_POST
@membership_required
def measure_update(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(AgreedMeasure.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_NETWORK)
    form = MeasureUpdateForm(request.POST, prefix=f"measure-{measure.pk}")
    submit(
        request,
        form,
        lambda data: services.update_measure(actor=request.user, measure=measure, **data),
        _("The progress has been recorded."),
    )
    back = request.POST.get("next", "")
    if back == "tracker":
        return redirect(reverse("network:measure_list") + f"#measure-{measure.pk}")
    return redirect(
        reverse("network:meeting_detail", args=[measure.meeting_id]) + f"#measure-{measure.pk}"
    )


# --- responsibilities and the interface paper ---------------------------------------------


def _steps(request: HttpRequest):
    return IntegrationStep.objects.visible_to(request.user)


@permission_required(VIEW_NETWORK)
def interface_paper(request: HttpRequest) -> HttpResponse:
    services.ensure_default_steps(request.organisation)
    can_edit = _can_edit(request)
    steps = _steps(request).prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("institution", "contact").order_by(
                "institution__name"
            ),
        )
    )
    if not can_edit:
        steps = steps.filter(is_active=True)
    context = {
        "steps": steps,
        "papers": InterfacePaper.objects.visible_to(request.user).select_related("issued_by"),
        "can_edit": can_edit,
    }
    if can_edit:
        context["responsibility_form"] = ResponsibilityForm(
            steps=_steps(request).filter(is_active=True),
            institutions=_institutions(request).filter(is_active=True),
            contacts=_contacts(request),
            auto_id="responsibility_%s",
        )
        context["issue_form"] = IssueForm(
            initial={
                "title": _("Interface paper of %(organisation)s")
                % {"organisation": request.organisation.name}
            },
            auto_id="issue_%s",
        )
    return render(request, "network/interface_paper.html", context)


@permission_required(EDIT_NETWORK)
def step_create(request: HttpRequest) -> HttpResponse:
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = form_saved(
            request,
            form,
            lambda: services.save_step(
                actor=request.user, organisation=request.organisation, data=data_of(form)
            ),
            _("The step has been added."),
        )
        if step is not None:
            return redirect("network:interface_paper")
    return render(request, "network/step_form.html", {"form": form})


@membership_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(_steps(request), pk=pk)
    require(request, EDIT_NETWORK)
    form = StepForm(request.POST or None, instance=_steps(request).get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_step(
                actor=request.user, organisation=request.organisation, data=data_of(form), step=step
            ),
            _("The step has been saved."),
        )
        if saved is not None:
            return redirect("network:interface_paper")
    return render(request, "network/step_form.html", {"form": form, "step": step})


@require_POST
@permission_required(EDIT_NETWORK)
def responsibility_add(request: HttpRequest) -> HttpResponse:
    form = ResponsibilityForm(
        request.POST,
        steps=_steps(request).filter(is_active=True),
        institutions=_institutions(request).filter(is_active=True),
        contacts=_contacts(request),
    )
    submit(
        request,
        form,
        lambda data: services.set_responsibility(actor=request.user, **data),
        _("The responsibility has been saved."),
    )
    return redirect(reverse("network:interface_paper") + "#matrix")


@require_POST
@membership_required
def responsibility_remove(request: HttpRequest, pk: int) -> HttpResponse:
    responsibility = get_object_or_404(Responsibility.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_NETWORK)
    show_result(
        request,
        lambda: services.remove_responsibility(actor=request.user, responsibility=responsibility),
        _("The responsibility has been removed."),
    )
    return redirect(reverse("network:interface_paper") + "#matrix")


@require_POST
@permission_required(EDIT_NETWORK)
def paper_issue(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.issue_interface_paper(
            actor=request.user, organisation=request.organisation, **data
        ),
        _("The new version of the interface paper has been issued."),
    )
    return redirect(reverse("network:interface_paper") + "#versions")


def _get_paper(request: HttpRequest, pk: int) -> InterfacePaper:
    return get_object_or_404(InterfacePaper.objects.visible_to(request.user), pk=pk)


@membership_required
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _get_paper(request, pk)
    require(request, VIEW_NETWORK)
    content = documents.interface_paper_pdf(paper, request.organisation.name)
    filename = _("interface-paper-%(number)s.pdf") % {"number": paper.number}
    return download(content, filename, "application/pdf")


@membership_required
def paper_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _get_paper(request, pk)
    require(request, VIEW_NETWORK)
    filename = _("interface-paper-%(number)s.xlsx") % {"number": paper.number}
    return download(documents.interface_paper_xlsx(paper), filename, XLSX)


# --- offers ------------------------------------------------------------------------------


def _offers(request: HttpRequest):
    return Offer.objects.visible_to(request.user).select_related("provider", "site")


def _get_offer(request: HttpRequest, pk: int) -> Offer:
    return get_object_or_404(_offers(request), pk=pk)


@permission_required(VIEW_NETWORK)
def offer_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = OfferFilterForm(request.GET or None, initial={"current": True})
    offers = _offers(request)
    current = not request.GET or request.GET.get("current")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            offers = offers.search(data["q"])
        if data["area"]:
            offers = offers.filter(area=data["area"])
        if data["language"]:
            offers = offers.in_language(data["language"])
    if current:
        offers = offers.current(today)
    page = Paginator(offers.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "can_edit": _can_edit(request),
        "today": today,
    }
    if request.htmx:
        return render(request, "network/_offer_results.html", context)
    return render(request, "network/offer_list.html", context)


def _offer_form(request: HttpRequest, instance: Offer | None = None) -> OfferForm:
    return OfferForm(
        request.POST or None,
        instance=instance,
        institutions=_institutions(request).filter(is_active=True),
        sites=_sites(request),
    )


@permission_required(EDIT_NETWORK)
def offer_create(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request)
    if request.method == "POST" and form.is_valid():
        offer = form_saved(
            request,
            form,
            lambda: services.save_offer(
                actor=request.user, organisation=request.organisation, data=data_of(form)
            ),
            _("The offer has been added."),
        )
        if offer is not None:
            return redirect("network:offer_detail", offer.pk)
    return render(request, "network/offer_form.html", {"form": form})


@membership_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _get_offer(request, pk)
    require(request, VIEW_NETWORK)
    return render(
        request,
        "network/offer_detail.html",
        {"offer": offer, "can_edit": _can_edit(request), "today": timezone.localdate()},
    )


@membership_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _get_offer(request, pk)
    require(request, EDIT_NETWORK)
    form = _offer_form(request, _get_offer(request, pk))
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_offer(
                actor=request.user,
                organisation=request.organisation,
                data=data_of(form),
                offer=offer,
            ),
            _("The offer has been saved."),
        )
        if saved is not None:
            return redirect("network:offer_detail", offer.pk)
    return render(request, "network/offer_form.html", {"form": form, "offer": offer})


# --- needs and gaps ------------------------------------------------------------------------


@permission_required(VIEW_NETWORK)
def gap_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    report = analysis.gap_report(request.organisation.pk, today)
    context = {
        "report": report,
        "chart": analysis.gap_chart_svg(report),
        "entries": NeedsEntry.objects.visible_to(request.user).select_related("recorded_by"),
        "can_edit": _can_edit(request),
    }
    if context["can_edit"]:
        context["need_form"] = NeedForm(initial={"recorded_on": today}, auto_id="need_%s")
    return render(request, "network/gap_report.html", context)


@require_POST
@permission_required(EDIT_NETWORK)
def need_add(request: HttpRequest) -> HttpResponse:
    form = NeedForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.record_need(
            actor=request.user, organisation=request.organisation, **data
        ),
        _("The counted need has been recorded."),
    )
    return redirect(reverse("network:gap_report") + "#needs")


@require_POST
@membership_required
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(NeedsEntry.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_NETWORK)
    show_result(
        request,
        lambda: services.delete_need(actor=request.user, entry=entry),
        _("The counted need has been deleted."),
    )
    return redirect(reverse("network:gap_report") + "#needs")


# --- the network map ------------------------------------------------------------------------


@permission_required(VIEW_NETWORK)
def network_map(request: HttpRequest) -> HttpResponse:
    graph = analysis.network_map(
        request.organisation.pk,
        timezone.localdate(),
        shared_only=not request.membership.has_perm(VIEW_RECORDS),
    )
    names = {node.pk: node.name for node in graph.nodes}
    kinds = {"agreement": _("cooperation agreement"), "committee": _("committee")}
    connections = sorted(
        (names[edge.source], names[edge.target], kinds[edge.kind])
        for edge in graph.edges
        if edge.source in names and edge.target in names
    )
    return render(
        request,
        "network/network_map.html",
        {"svg": analysis.network_map_svg(graph), "connections": connections},
    )
