from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.accounts.roles import EDIT_PEOPLE, HANDLE_PRIVACY, VIEW_PEOPLE, VIEW_SENSITIVE_DATA
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.ratelimit import rate_limited
from lotse.core.views import download, form_saved

from . import bulk, export, selection, services
from .forms import (
    AddRoleForm,
    BulkStatusForm,
    ConsentForm,
    ExperienceFormSet,
    LanguageFormSet,
    MergeForm,
    MergeSearchForm,
    NewPersonForm,
    ParticipantProfileForm,
    PersonForm,
    SavedFilterForm,
    StatusForm,
    VolunteerProfileForm,
    WithdrawConsentForm,
)
from .models import (
    Consent,
    ParticipantProfile,
    Person,
    PersonRole,
    PoolRole,
    SavedFilter,
    StatusChange,
    VolunteerProfile,
)

PAGE_SIZE = 50

_people = selection.visible_people
_sites = selection.active_sites
_filtered = selection.filtered_pool


# The pool's pages per role: the same list with the role fixed and the
# columns that role's work needs.
POOL_PAGES = {
    "participants": (PoolRole.PARTICIPANT, "people:participant_list"),
    "volunteers": (PoolRole.VOLUNTEER, "people:volunteer_list"),
}


@permission_required(VIEW_PEOPLE)
def person_list(request: HttpRequest, pool: str = "") -> HttpResponse:
    role, url_name = POOL_PAGES.get(pool, ("", "people:person_list"))
    params = request.GET
    if role:
        params = params.copy()
        params["role"] = role
    form, people = _filtered(request, params)
    # Prefetched into lists (to_attr): a related manager per row costs more
    # than the row's markup (people/rows.py).
    people = people.select_related("site").prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.order_by("pk"), to_attr="role_list")
    )
    if role == PoolRole.VOLUNTEER:
        people = people.select_related("volunteer")
    elif role == PoolRole.PARTICIPANT:
        people = people.select_related("participant").prefetch_related(
            Prefetch("participant__needs", to_attr="need_list")
        )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = params.copy()
    query.pop("page", None)
    filters_only = query.copy()
    filters_only.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "pool_role": role,
        "list_url": reverse(url_name),
        "pool_pages": [
            (reverse(name), label, name == url_name)
            for name, label in (
                ("people:person_list", _("Everyone")),
                ("people:participant_list", _("Participants")),
                ("people:volunteer_list", _("Volunteers")),
            )
        ],
        "today": timezone.localdate(),
        "query": query.urlencode(),
        "filter_query": filters_only.urlencode(),
        "sort": request.GET.get("sort", "name"),
        "saved_filters": SavedFilter.objects.visible_to(request.user).filter(user=request.user),
        "bulk_actions": bulk.actions_for(request),
    }
    template = "people/_person_results.html" if request.htmx else "people/person_list.html"
    return render(request, template, context)


EXPORT_LIMIT = 20_000
EXPORT_FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx),
    "csv": ("text/csv; charset=utf-8", export.to_csv),
}


def _list_url(query: str = "") -> str:
    """The pool list with filters; `query` is re-encoded, so that what a form
    sent can only ever end up in the query string of our own page."""
    query = QueryDict(query).urlencode()
    return f"{reverse('people:person_list')}?{query}" if query else reverse("people:person_list")


def _export(request: HttpRequest, people, file_format: str, back: str) -> HttpResponse:
    """The file of `people`, or back to the list when they are too many."""
    people = people.select_related("site").prefetch_related("roles", "languages")
    total = people.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _("%(count)s people are too many for one export; narrow the filters to %(limit)s.")
            % {"count": total, "limit": EXPORT_LIMIT},
        )
        return redirect(back)
    header, body = export.rows(people)
    services.record_export(actor=request.user, count=len(body))
    content_type, render_file = EXPORT_FORMATS[file_format]
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return download(render_file(header, body), f"lotse-pool-{stamp}.{file_format}", content_type)


@permission_required(VIEW_PEOPLE)
@rate_limited("personal_export", 30, 3600, per_user=True, methods=("GET", "POST"))
def person_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    _form, people = _filtered(request)
    return _export(request, people, file_format, _list_url(request.GET.urlencode()))


@require_POST
@permission_required(VIEW_PEOPLE)
@rate_limited("personal_export", 30, 3600, per_user=True)
def bulk_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The ticked rows (or everyone matching the filters) as a file."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    back = _list_url(request.POST.get("filter_query", ""))
    people = selection.selected_people(request)
    if not people.exists():
        messages.error(request, _("Tick at least one person in the list first."))
        return redirect(back)
    return _export(request, people, file_format, back)


@require_POST
@permission_required(VIEW_PEOPLE)
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        try:
            services.save_filter(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The filter has been saved."))
    else:
        messages.error(request, _("Give the filter a name (up to 100 characters)."))
    return redirect(f"{reverse('people:person_list')}?{form.data.get('query', '')}")


@require_POST
@membership_required
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(
        SavedFilter.objects.visible_to(request.user).filter(user=request.user), pk=pk
    )
    require(request, VIEW_PEOPLE)
    saved.delete()
    messages.success(request, _("The saved filter has been deleted."))
    return redirect("people:person_list")


def _language_initial(person: Person | None) -> list[dict[str, str]]:
    if person is None:
        return []
    return [{"language": row.language, "level": row.level} for row in person.languages.all()]


def _experience_initial(person: Person | None) -> list[dict[str, object]]:
    if person is None:
        return []
    return [
        {"occupation_area": row.occupation_area, "industry": row.industry, "years": row.years}
        for row in person.experience.select_related("occupation_area", "industry")
    ]


@permission_required(EDIT_PEOPLE)
def person_create(request: HttpRequest) -> HttpResponse:
    sensitive = request.membership.has_perm(VIEW_SENSITIVE_DATA)
    form = NewPersonForm(
        request.POST or None,
        sites=_sites(request),
        sensitive=sensitive,
        initial={"site": request.site},
    )
    languages = LanguageFormSet(request.POST or None, prefix="languages")
    experience = ExperienceFormSet(request.POST or None, prefix="experience")
    duplicates: list[Person] = []
    if form.is_valid() and languages.is_valid() and experience.is_valid():
        values = form.person_values()
        duplicates = services.find_duplicates(
            organisation=request.organisation,
            given_name=values["given_name"],
            family_name=values["family_name"],
            birth_date=values["birth_date"],
            email=values["email"],
            phone=values["phone"],
        )
        if not duplicates or form.cleaned_data["confirm_not_duplicate"]:
            try:
                person = services.create_person(
                    actor=request.user,
                    organisation=request.organisation,
                    role=form.cleaned_data["role"],
                    status=form.cleaned_data["status"],
                    languages=languages.skills(),
                    experience=experience.experience(),
                    **values,
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
                return redirect("people:person_detail", pk=person.pk)
    visible = set(
        _people(request).filter(pk__in=[p.pk for p in duplicates]).values_list("pk", flat=True)
    )
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "language_formset": languages,
            "experience_formset": experience,
            "person": None,
            "duplicates": [(p, p.pk in visible) for p in duplicates],
        },
    )


@membership_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        _people(request)
        .select_related("site")
        .prefetch_related(
            "languages",
            Prefetch(
                "roles",
                queryset=PersonRole.objects.prefetch_related(
                    Prefetch("changes", queryset=StatusChange.objects.select_related("changed_by"))
                ),
            ),
        ),
        pk=pk,
    )
    require(request, VIEW_PEOPLE)
    services.record_view(actor=request.user, person=person)
    # An anonymised record is kept for the figures only: nothing to edit.
    can_edit = request.membership.has_perm(EDIT_PEOPLE) and not person.anonymised_at
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "sensitive": request.membership.has_perm(VIEW_SENSITIVE_DATA),
            "can_edit": can_edit,
            "can_merge": services.may_merge(request.membership) and not person.anonymised_at,
            "can_answer_access": request.membership.has_perm(HANDLE_PRIVACY),
            "consents": person.consents.select_related("institution").order_by(
                "withdrawn_on", "-given_on", "-pk"
            ),
            "today": timezone.localdate(),
            "status_form": StatusForm(),
            "role_form": AddRoleForm(),
            "missing_roles": len(person.roles.all()) < 2,
        },
    )


@membership_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    require(request, EDIT_PEOPLE)
    sensitive = request.membership.has_perm(VIEW_SENSITIVE_DATA)
    form = PersonForm(
        request.POST or None,
        instance=person,
        sites=_sites(request),
        sensitive=sensitive,
        initial={"version": person.version},
    )
    languages = LanguageFormSet(
        request.POST or None, prefix="languages", initial=_language_initial(person)
    )
    experience = ExperienceFormSet(
        request.POST or None, prefix="experience", initial=_experience_initial(person)
    )
    if form.is_valid() and languages.is_valid() and experience.is_valid():
        try:
            services.update_person(
                actor=request.user,
                person=person,
                version=form.cleaned_data["version"] or 0,
                languages=languages.skills(),
                experience=experience.experience(),
                **form.person_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            # Show what is stored now; the user's input is lost only after they saw why.
            fresh = get_object_or_404(_people(request), pk=pk)
            form = PersonForm(
                instance=fresh,
                sites=_sites(request),
                sensitive=sensitive,
                initial={"version": fresh.version},
            )
            languages = LanguageFormSet(prefix="languages", initial=_language_initial(fresh))
            experience = ExperienceFormSet(prefix="experience", initial=_experience_initial(fresh))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "language_formset": languages,
            "experience_formset": experience,
            "person": person,
            "duplicates": [],
        },
    )


def _post_to_service(request: HttpRequest, form, call, success: str, invalid: str) -> None:
    """Run a small action from the person page; its outcome is a message there."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        call(**form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


@require_POST
@membership_required
def person_status(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    person_role = get_object_or_404(PersonRole.objects.filter(person=person), pk=role_pk)
    require(request, EDIT_PEOPLE)
    _post_to_service(
        request,
        StatusForm(request.POST),
        partial(services.change_status, actor=request.user, person_role=person_role),
        _("The status has been changed."),
        _("Choose a valid status."),
    )
    return redirect("people:person_detail", pk=person.pk)


@require_POST
@membership_required
def person_add_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    require(request, EDIT_PEOPLE)
    _post_to_service(
        request,
        AddRoleForm(request.POST),
        partial(services.add_role, actor=request.user, person=person),
        _("The role has been added."),
        _("Choose a valid role and status."),
    )
    return redirect("people:person_detail", pk=person.pk)


PROFILE_FORMS = {
    PoolRole.PARTICIPANT: (ParticipantProfile, ParticipantProfileForm),
    PoolRole.VOLUNTEER: (VolunteerProfile, VolunteerProfileForm),
}


@membership_required
def person_profile(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    if role not in PROFILE_FORMS or not person.roles.filter(role=role).exists():
        raise Http404
    require(request, EDIT_PEOPLE)
    model, form_class = PROFILE_FORMS[role]
    profile = model.objects.filter(person=person).first() or model(person=person)
    form = form_class(
        request.POST or None,
        instance=profile,
        organisation_id=person.organisation_id,
        initial={"version": person.version},
    )
    if form.is_valid():
        try:
            services.update_profile(
                actor=request.user,
                person=person,
                role=role,
                version=form.cleaned_data["version"],
                **form.profile_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("people:person_profile", pk=person.pk, role=role)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/profile_form.html",
        {"form": form, "person": person, "role_label": PoolRole(role).label},
    )


# --- merging duplicates -----------------------------------------------------

MERGE_SEARCH_LIMIT = 20


def _require_merge(request: HttpRequest) -> None:
    """After the lookup, like require(): outsiders got 404 already."""
    if not services.may_merge(request.membership):
        raise PermissionDenied


@membership_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the duplicate: the possible duplicates of this record, or a search."""
    person = get_object_or_404(_people(request).select_related("site"), pk=pk)
    _require_merge(request)
    duplicates = services.find_duplicates(
        organisation=person.organisation,
        given_name=person.given_name,
        family_name=person.family_name,
        birth_date=person.birth_date,
        email=person.email,
        phone=person.phone,
        exclude=person,
    )
    # find_duplicates looks across all sites; offered are only those the user sees.
    duplicates = _people(request).filter(pk__in=[p.pk for p in duplicates]).select_related("site")
    form = MergeSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        found = list(
            _people(request)
            .search(form.cleaned_data["q"])
            .exclude(pk=person.pk)
            .select_related("site")[:MERGE_SEARCH_LIMIT]
        )
    return render(
        request,
        "people/person_merge.html",
        {
            "person": person,
            "duplicates": duplicates,
            "form": form,
            "found": found,
            "search_limit": MERGE_SEARCH_LIMIT,
        },
    )


@membership_required
def person_merge_confirm(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Both records side by side; the POST merges `other_pk` into `pk`."""
    people = _people(request).select_related("site").prefetch_related("languages", "roles")
    keep = get_object_or_404(people, pk=pk)
    other = get_object_or_404(people.exclude(pk=keep.pk), pk=other_pk)
    _require_merge(request)
    form = MergeForm(
        request.POST or None,
        initial={"version_keep": keep.version, "version_other": other.version},
    )
    failure = None
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Please confirm the merge again."))
            return redirect("people:person_merge_confirm", pk=keep.pk, other_pk=other.pk)
        try:
            merged = services.merge_people(
                actor=request.user, keep=keep, other=other, **form.cleaned_data
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("people:person_merge_confirm", pk=keep.pk, other_pk=other.pk)
        except ServiceError as error:
            failure = error.message
        else:
            messages.success(
                request,
                _("The records have been merged into this one: %(name)s.")
                % {"name": merged.full_name},
            )
            return redirect("people:person_detail", pk=merged.pk)
    else:
        # Both records' key data are shown: each counts as opened.
        services.record_view(actor=request.user, person=keep)
        services.record_view(actor=request.user, person=other)
    obstacles = services.merge_obstacles(actor=request.user, keep=keep, other=other)
    if failure and failure not in obstacles:
        obstacles.append(failure)
    return render(
        request,
        "people/person_merge_confirm.html",
        {
            "keep": keep,
            "other": other,
            "sides": [
                (keep, _("Kept record")),
                (other, _("Merged into it, then removed")),
            ],
            "form": form,
            "obstacles": obstacles,
            "summary": services.merge_summary(keep=keep, other=other),
            "filled": services.merge_filled_fields(actor=request.user, keep=keep, other=other),
        },
    )


# --- bulk actions of the pool list ------------------------------------------

BULK_PREVIEW = 20


@require_POST
@permission_required(EDIT_PEOPLE)
def bulk_status(request: HttpRequest) -> HttpResponse:
    """The first POST (from the list) asks which status; the second, with
    `confirm`, changes it for everyone selected."""
    back = _list_url(request.POST.get("filter_query", ""))
    people = selection.selected_people(request)
    count = people.count()
    if not count:
        messages.error(request, _("Tick at least one person in the list first."))
        return redirect(back)
    if count > selection.SELECTION_LIMIT:
        messages.error(
            request,
            _("%(count)s people are too many for one change; narrow the filters to %(limit)s.")
            % {"count": count, "limit": selection.SELECTION_LIMIT},
        )
        return redirect(back)
    form = BulkStatusForm(request.POST if request.POST.get("confirm") else None)
    if form.is_valid():
        try:
            changed, unchanged = services.change_status_many(
                actor=request.user, people=people, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The status of %(count)s person has been changed.",
                    "The status of %(count)s people has been changed.",
                    changed,
                )
                % {"count": changed},
            )
            if unchanged:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s person was left unchanged: without this role, or at "
                        "this status already.",
                        "%(count)s people were left unchanged: without this role, or at "
                        "this status already.",
                        unchanged,
                    )
                    % {"count": unchanged},
                )
            return redirect(back)
    return render(
        request,
        "people/bulk_status.html",
        {
            "form": form,
            "count": count,
            "preview": list(people[:BULK_PREVIEW]),
            "selection": selection.selection_state(request),
            "back": back,
        },
    )


# --- consents -------------------------------------------------------------------------


@membership_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    require(request, EDIT_PEOPLE)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        organisation_id=person.organisation_id,
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        done = form_saved(
            request,
            form,
            lambda: services.record_consent(actor=request.user, person=person, **form.cleaned_data),
            _("The consent has been recorded."),
        )
        if done is not None:
            return redirect(f"{reverse('people:person_detail', args=[person.pk])}#consents")
    return render(request, "people/consent_form.html", {"person": person, "form": form})


def _consent(request: HttpRequest, pk: int) -> Consent:
    return get_object_or_404(
        Consent.objects.filter(person__in=_people(request)).select_related("person", "institution"),
        pk=pk,
    )


@membership_required
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _consent(request, pk)
    require(request, EDIT_PEOPLE)
    if consent.withdrawn_on is not None:
        return redirect("people:person_detail", pk=consent.person_id)
    form = WithdrawConsentForm(
        request.POST or None,
        initial={"version": consent.version, "withdrawn_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        done = form_saved(
            request,
            form,
            lambda: services.withdraw_consent(
                actor=request.user, consent=consent, **form.cleaned_data
            ),
            _("The withdrawal has been recorded: what needed the consent is refused from now on."),
        )
        if done is not None:
            return redirect(f"{reverse('people:person_detail', args=[consent.person_id])}#consents")
    return render(request, "people/consent_withdraw.html", {"consent": consent, "form": form})


@membership_required
def consent_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _consent(request, pk)
    require(request, VIEW_PEOPLE)
    try:
        handle = services.open_consent_evidence(actor=request.user, consent=consent)
    except ServiceError as error:
        raise Http404(error.message) from error
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        consent.evidence_type, "bin"
    )
    # Read at once (a scan of at most 10 MB): nothing is left open.
    with handle:
        response = download(
            handle.read(), f"{_('consent')}-{consent.pk}.{extension}", consent.evidence_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
