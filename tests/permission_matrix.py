"""Who may do what, per URL: the one table the permission-matrix test checks.

Every URL pattern needs an entry; a new URL without one fails the test.
Personas: see tests/conftest.py. Objects in `kwargs` belong to organisation A,
so every persona of organisation B must get 404 on object URLs, whatever their
role (the object is looked up before the permission is checked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ANON = "anonymous"
A_PERSONAS = ("ada", "alice", "cora", "vera", "pia")
PARTNER = "pia"
B_PERSONAS = ("carol", "dave")
PERSONAS = (ANON, *A_PERSONAS, *B_PERSONAS)


@dataclass(frozen=True)
class Route:
    """Expected status per persona. `default` applies to personas not listed."""

    method: str = "GET"
    default: int = 200
    expect: dict[str, int] = field(default_factory=dict)
    kwargs: Callable[[object], dict] | None = None
    # The form data of the request; a callable builds it from the world.
    data: dict | Callable[[object], dict] = field(default_factory=dict)
    public: bool = False  # reachable without signing in
    # The partner role reads the network only: unless `expect` says otherwise,
    # another app's object does not exist for it (404) and its lists and
    # forms are refused (403).
    partner: int | None = None

    def status(self, persona: str, world=None) -> int:
        if persona == PARTNER and persona not in self.expect:
            if self.partner is not None:
                return self.partner
            if self.public:
                return self.default
            is_object = self.kwargs is not None and world is not None and "pk" in self.kwargs(world)
            return 404 if is_object else 403
        return self.expect.get(persona, self.default)

    def payload(self, world) -> dict:
        return self.data(world) if callable(self.data) else self.data


LOGIN = 302  # anonymous: redirect to the sign-in page

ADMIN_ONLY = {ANON: LOGIN, "alice": 403, "cora": 403, "vera": 403}


def _membership_of_alice(world) -> dict:
    return {"pk": world.membership(world.alice).pk}


# Network pages. Network records belong to no site: cora reads them too.
READ_NETWORK = {ANON: LOGIN, "vera": 403, PARTNER: 200}
EDIT_NETWORK = {ANON: LOGIN, "cora": 403, "vera": 403, "pia": 403}
A_OBJECT = {"carol": 404, "dave": 404}


def _read(obj: str, **extra) -> Route:
    return Route(
        kwargs=lambda w: {"pk": getattr(w, obj).pk}, expect=READ_NETWORK | A_OBJECT, **extra
    )


def _edit(obj: str, **extra) -> Route:
    return Route(
        kwargs=lambda w: {"pk": getattr(w, obj).pk}, expect=EDIT_NETWORK | A_OBJECT, **extra
    )


def _post(obj: str | None, data=None, **expect) -> Route:
    return Route(
        method="POST",
        kwargs=(lambda w: {"pk": getattr(w, obj).pk}) if obj else None,
        data=data or {},
        default=302,
        expect={k: v for k, v in EDIT_NETWORK.items() if k != ANON}
        | (A_OBJECT if obj else {})
        | expect,
    )


NETWORK: dict[str, Route] = {
    "network:institution_list": Route(expect=READ_NETWORK),
    "network:institution_create": Route(expect=EDIT_NETWORK),
    "network:institution_detail": _read("institution_a"),
    "network:institution_edit": _edit("institution_a"),
    "network:contact_create": _edit("institution_a"),
    "network:contact_edit": _edit("contact_a"),
    # The actor table is the network's own planning: not for partners.
    "network:actor_table": Route(expect=READ_NETWORK | {"pia": 403}),
    "network:actor_table_xlsx": Route(expect=READ_NETWORK | {"pia": 403}),
    "network:committee_list": Route(expect=READ_NETWORK),
    "network:committee_create": Route(expect=EDIT_NETWORK),
    "network:committee_detail": _read("committee_a"),
    "network:committee_edit": _edit("committee_a"),
    "network:member_add": _post(
        "committee_a", lambda w: {"institution": w.institution_a.pk, "role": "guest"}
    ),
    "network:member_remove": _post("member_a"),
    "network:meeting_create": _edit("committee_a"),
    "network:meeting_detail": _read("network_meeting_a"),
    "network:meeting_edit": _edit("network_meeting_a"),
    "network:minutes_pdf": _read("network_meeting_a"),
    "network:goal_add": _post("network_meeting_a", {"text": "Gemeinsames Ziel"}),
    "network:measure_add": _post("network_meeting_a", {"title": "Flyer drucken"}),
    "network:measure_list": Route(expect=READ_NETWORK),
    "network:measure_update": _post(
        "measure_a",
        lambda w: {
            f"measure-{w.measure_a.pk}-version": w.measure_a.version,
            f"measure-{w.measure_a.pk}-status": "in_progress",
        },
    ),
    "network:agreement_create": Route(expect=EDIT_NETWORK),
    "network:agreement_edit": _edit("agreement_a"),
    # No document stored: 404 for everyone who may read the network at all.
    "network:agreement_document": Route(
        kwargs=lambda w: {"pk": w.agreement_a.pk},
        default=404,
        expect=READ_NETWORK | {PARTNER: 404},
    ),
    "network:interface_paper": Route(expect=READ_NETWORK),
    "network:paper_issue": _post(None, {"title": "Schnittstellenpapier"}),
    "network:paper_pdf": _read("paper_a"),
    "network:paper_xlsx": _read("paper_a"),
    "network:step_create": Route(expect=EDIT_NETWORK),
    "network:step_edit": _edit("step_a"),
    "network:responsibility_add": _post(
        None, lambda w: {"step": w.step_a.pk, "institution": w.institution_a.pk}
    ),
    "network:responsibility_remove": _post("responsibility_a"),
    "network:offer_list": Route(expect=READ_NETWORK),
    "network:offer_create": Route(expect=EDIT_NETWORK),
    "network:offer_detail": _read("offer_a"),
    "network:offer_edit": _edit("offer_a"),
    "network:gap_report": Route(expect=READ_NETWORK),
    "network:need_add": _post(
        None,
        {"area": "housing", "target_group": "Familien", "count": "4", "recorded_on": "2026-12-01"},
    ),
    "network:need_delete": _post("need_a"),
    "network:network_map": Route(expect=READ_NETWORK),
}

# Cases: the staff who work with cases, at the case's site. cora works at A2
# and the case is at A1: it does not exist for her. vera finds it but may not
# read it (403); for pia, whose querysets hold no cases, it does not exist.
CASE_LIST = {ANON: LOGIN, "vera": 403}
CASE_OBJECT = {ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404}


def _case(obj: str = "case_a", **extra) -> Route:
    return Route(kwargs=lambda w: {"pk": getattr(w, obj).pk}, expect=CASE_OBJECT, **extra)


def _case_post(obj: str, data=None) -> Route:
    return Route(
        method="POST",
        kwargs=lambda w: {"pk": getattr(w, obj).pk},
        data=data or {},
        default=302,
        expect={k: v for k, v in CASE_OBJECT.items() if k != ANON},
    )


CASES: dict[str, Route] = {
    "cases:caseload": Route(expect=CASE_LIST),
    "cases:case_create": Route(expect=CASE_LIST),
    "cases:case_detail": _case(),
    "cases:case_edit": _case(),
    "cases:case_close": _case(),
    "cases:intake_edit": _case(),
    "cases:contact_create": _case(),
    "cases:case_hold": _case_post("case_a", lambda w: {"version": w.case_a.version}),
    # Not on hold: the service says so, the page redirects back.
    "cases:case_resume": _case_post("case_a", lambda w: {"version": w.case_a.version}),
    "cases:goal_add": _case_post("case_a", {"area": "work", "text": "Ausbildung"}),
    "cases:measure_add": _case_post(
        "case_a",
        lambda w: {
            "goal": w.plan_measure_a.goal_id,
            "what": "Bewerbung schreiben",
            "responsible": "client",
        },
    ),
    "cases:plan_agree": _case_post("case_a", {"agreed_on": "2026-11-30"}),
    "cases:referral_create": _case_post(
        "case_a",
        lambda w: {
            "institution": w.institution_a.pk,
            "reason": "Kita",
            "referred_on": "2026-11-30",
        },
    ),
    "cases:document_upload": _case_post("case_a", {"title": "Zeugnis"}),
    "cases:measure_update": _case_post(
        "plan_measure_a",
        lambda w: {f"measure-{w.plan_measure_a.pk}-status": "in_progress"},
    ),
    "cases:referral_update": _case_post(
        "referral_a", lambda w: {f"referral-{w.referral_a.pk}-status": "accepted"}
    ),
    "cases:plan_detail": _case("plan_a"),
    "cases:plan_pdf": _case("plan_a"),
    # No file stored: 404 for everyone who may see the case at all.
    "cases:document_download": Route(
        kwargs=lambda w: {"pk": w.case_document_a.pk},
        default=404,
        expect={ANON: LOGIN, "vera": 403},
    ),
    "cases:referral_report": Route(expect=CASE_LIST),
    "cases:calendar": Route(expect=CASE_LIST),
    "cases:feed_renew": Route(method="POST", default=302, expect={"vera": 403}),
    "cases:feed_revoke": Route(method="POST", default=302, expect={"vera": 403}),
    # The secret address works without signing in, for whoever has it.
    "cases:ical_feed": Route(public=True, kwargs=lambda w: {"token": w.feed_a.token}),
}

# Employers: the staff read and keep them (vera, the viewer, may not); the
# partner role finds none of it. Employers and openings belong to no site;
# a placement belongs to its candidate's site (A1), so cora (A2) finds none.
EMPLOYER_LIST = {ANON: LOGIN, "vera": 403}
EMPLOYER_OBJECT = {ANON: LOGIN, "vera": 403, "carol": 404, "dave": 404}
PLACEMENT_OBJECT = EMPLOYER_OBJECT | {"cora": 404}


def _employer(obj: str, expect=EMPLOYER_OBJECT) -> Route:
    return Route(kwargs=lambda w: {"pk": getattr(w, obj).pk}, expect=expect)


def _employer_post(obj: str, data=None, expect=EMPLOYER_OBJECT) -> Route:
    return Route(
        method="POST",
        kwargs=lambda w: {"pk": getattr(w, obj).pk},
        data=data or {},
        default=302,
        expect={k: v for k, v in expect.items() if k != ANON},
    )


EMPLOYERS: dict[str, Route] = {
    "employers:employer_list": Route(expect=EMPLOYER_LIST),
    "employers:employer_create": Route(expect=EMPLOYER_LIST),
    "employers:newsletter_xlsx": Route(expect=EMPLOYER_LIST),
    "employers:newsletter_csv": Route(expect=EMPLOYER_LIST),
    "employers:pipeline": Route(expect=EMPLOYER_LIST),
    "employers:follow_ups": Route(expect=EMPLOYER_LIST),
    "employers:employer_detail": _employer("employer_a"),
    "employers:employer_edit": _employer("employer_a"),
    "employers:contact_create": _employer("employer_a"),
    "employers:contact_edit": _employer("employer_contact_a"),
    "employers:opening_create": _employer("employer_a"),
    # An active partner is no prospect: the service refuses, the page redirects.
    "employers:prospect_move": _employer_post(
        "employer_a", lambda w: {"stage": "talks", "version": w.employer_a.version}
    ),
    "employers:activity_create": _employer_post(
        "employer_a", {"kind": "phone", "date": "2026-11-30", "result": "Rückruf"}
    ),
    "employers:follow_up_done": _employer_post("activity_a"),
    "employers:opening_list": Route(expect=EMPLOYER_LIST),
    "employers:opening_detail": _employer("opening_a"),
    "employers:opening_edit": _employer("opening_a"),
    # person_a1 is placed there already: the service says so; cora does not
    # find her (site A1).
    "employers:propose": _employer_post(
        "opening_a", lambda w: {"person": w.person_a1.pk}, PLACEMENT_OBJECT
    ),
    "employers:placement_list": Route(expect=EMPLOYER_LIST),
    "employers:placement_detail": _employer("placement_a", PLACEMENT_OBJECT),
    # A contract moves no more: the service refuses, the page redirects.
    "employers:placement_move": _employer_post(
        "placement_a",
        lambda w: {"stage": "withdrawn", "version": w.placement_a.version},
        PLACEMENT_OBJECT,
    ),
    "employers:follow_up_record": _employer_post(
        "probation_a", {"result": "still_employed"}, PLACEMENT_OBJECT
    ),
    # person_a1 lives at site A1: cora does not find her.
    "employers:person_openings": _employer("person_a1", PLACEMENT_OBJECT),
}

# Key figures and statistics: every role of the staff and the viewer; the
# records behind a figure only for roles that may see them.
REPORTS: dict[str, Route] = {
    "reports:dashboard": Route(expect={ANON: LOGIN}),
    "reports:dashboard_trends": Route(expect={ANON: LOGIN}),
    "reports:dashboard_xlsx": Route(expect={ANON: LOGIN}),
    "reports:dashboard_csv": Route(expect={ANON: LOGIN}),
    "reports:statistics": Route(expect={ANON: LOGIN}),
    "reports:statistics_xlsx": Route(expect={ANON: LOGIN}),
    "reports:statistics_csv": Route(expect={ANON: LOGIN}),
    "reports:records": Route(
        kwargs=lambda w: {"code": "tandems_active"}, expect={ANON: LOGIN, "vera": 403}
    ),
    "reports:annual_report_list": Route(expect={ANON: LOGIN}),
    # The partner role has no reports at all: refused before any lookup.
    "reports:annual_report": Route(
        kwargs=lambda w: {"pk": w.annual_report_a.pk},
        expect={ANON: LOGIN} | A_OBJECT,
        partner=403,
    ),
    "reports:annual_report_pdf": Route(
        kwargs=lambda w: {"pk": w.annual_report_a.pk},
        expect={ANON: LOGIN} | A_OBJECT,
        partner=403,
    ),
    # Testimonials name their authors: the staff's, not the viewer's.
    "reports:testimonial_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "reports:testimonial_create": Route(expect={ANON: LOGIN, "vera": 403}),
    "reports:testimonial_edit": Route(
        kwargs=lambda w: {"pk": w.testimonial_a.pk},
        expect={ANON: LOGIN, "vera": 403, "cora": 404} | A_OBJECT,
        partner=403,
    ),
}


# Surveys: results for every role of the staff and the viewer, changes for
# the staff; the response link is public.
MANAGE = {ANON: LOGIN, "vera": 403}
SURVEYS: dict[str, Route] = {
    "surveys:survey_list": Route(expect={ANON: LOGIN}),
    "surveys:survey_detail": Route(
        kwargs=lambda w: {"pk": w.survey_a.pk}, expect={ANON: LOGIN} | A_OBJECT, partner=403
    ),
    "surveys:survey_show": Route(
        kwargs=lambda w: {"pk": w.survey_a.pk}, expect={ANON: LOGIN} | A_OBJECT, partner=403
    ),
    "surveys:survey_results": Route(
        kwargs=lambda w: {"pk": w.survey_a.pk}, expect={ANON: LOGIN} | A_OBJECT, partner=403
    ),
    "surveys:question_add": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.survey_a.pk},
        data={"kind": "text", "text": "Noch etwas?"},
        default=302,
        expect=MANAGE | A_OBJECT,
        partner=403,
    ),
    "surveys:question_remove": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.question_a.pk},
        default=302,
        expect=MANAGE | A_OBJECT,
        partner=403,
    ),
    "surveys:survey_open": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.survey_a.pk},
        data={"open": "0"},
        default=302,
        expect=MANAGE | A_OBJECT,
        partner=403,
    ),
    # A tandem's evaluation: recorded by whoever edits the tandem (refused
    # before the tandem is looked up; cora, a caseworker, does not edit tandems).
    "surveys:tandem_evaluation": Route(
        kwargs=lambda w: {"pk": w.tandem_a.pk, "kind": "final", "respondent": "mentee"},
        expect={ANON: LOGIN, "cora": 403, "vera": 403} | A_OBJECT,
        partner=403,
    ),
    "surveys:tandem_questionnaire": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk, "kind": "final"},
        data={"respondent": "mentee"},
        default=302,
        expect={"cora": 403, "vera": 403} | A_OBJECT,
        partner=403,
    ),
    # Whoever has the link answers, signed in or not, of whatever organisation.
    "surveys:respond": Route(kwargs=lambda w: {"token": w.survey_a.token}, public=True),
    "surveys:thanks": Route(kwargs=lambda w: {"token": w.survey_a.token}, public=True),
}


# Imports: coordinators and administrators (refused before the import is
# looked up: cora, a caseworker, and vera, a viewer, do not import).
IMPORTERS = {ANON: LOGIN, "cora": 403, "vera": 403}
IMPORTS: dict[str, Route] = {
    "imports:import_list": Route(expect=IMPORTERS, partner=403),
    "imports:import_new": Route(expect=IMPORTERS, partner=403),
    "imports:import_example": Route(expect=IMPORTERS, partner=403),
    "imports:import_detail": Route(
        kwargs=lambda w: {"pk": w.import_a.pk}, expect=IMPORTERS | A_OBJECT, partner=403
    ),
    "imports:import_columns": Route(
        kwargs=lambda w: {"pk": w.import_a.pk}, expect=IMPORTERS | A_OBJECT, partner=403
    ),
    "imports:import_preview": Route(
        kwargs=lambda w: {"pk": w.import_a.pk}, expect=IMPORTERS | A_OBJECT, partner=403
    ),
    "imports:import_sheet": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.import_a.pk},
        data={"sheet": "CSV"},
        default=302,
        expect=IMPORTERS | A_OBJECT,
        partner=403,
    ),
    "imports:import_undo": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.import_a.pk},
        data={"version": "1"},
        default=302,
        expect=IMPORTERS | A_OBJECT,
        partner=403,
    ),
}


MATRIX: dict[str, Route] = {
    # --- public pages -------------------------------------------------------
    "core:home": Route(default=302, public=True),
    "core:accessibility": Route(public=True),
    "accounts:login": Route(public=True, expect={p: 302 for p in A_PERSONAS + B_PERSONAS}),
    "accounts:password_reset": Route(public=True),
    "accounts:password_reset_done": Route(public=True),
    "accounts:password_reset_complete": Route(public=True),
    "accounts:password_reset_confirm": Route(
        public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"}
    ),
    "accounts:accept_invitation": Route(
        public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"}
    ),
    "core:set_language": Route(method="POST", default=302, public=True, data={"language": "en"}),
    "accounts:logout": Route(method="POST", default=302, public=True),
    # --- every member -------------------------------------------------------
    "core:dashboard": Route(expect={ANON: LOGIN}, partner=200),
    "core:switch_site": Route(method="POST", default=302, data={"site": ""}, partner=302),
    "accounts:account": Route(expect={ANON: LOGIN}, partner=200),
    "accounts:password_change": Route(expect={ANON: LOGIN}, partner=200),
    "accounts:two_factor_verify": Route(
        # Already verified (or nothing to verify): straight on.
        default=302,
        partner=302,
    ),
    "accounts:two_factor_setup": Route(
        # ada and dave have an app already: sent to their account page.
        expect={ANON: LOGIN, "ada": 302, "dave": 302},
        partner=200,
    ),
    "accounts:renew_recovery_codes": Route(
        method="POST",
        # Without an app there is nothing to renew: back to the account page.
        default=302,
        partner=302,
        expect={"ada": 200, "dave": 200},
    ),
    # --- people (staff with personal-data access) ---------------------------
    "people:person_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "people:participant_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "people:volunteer_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "people:person_create": Route(expect={ANON: LOGIN, "vera": 403}),
    "people:person_export": Route(
        kwargs=lambda w: {"file_format": "csv"}, expect={ANON: LOGIN, "vera": 403}
    ),
    "people:saved_filter_create": Route(
        method="POST",
        data={"name": "Aktive", "query": "status=active"},
        default=302,
        expect={"vera": 403},
    ),
    "people:saved_filter_delete": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.saved_filter_a.pk},
        default=404,  # only alice's own filter; everyone else: does not exist
        expect={ANON: LOGIN, "alice": 302},
    ),
    "people:person_detail": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        # cora works at site A2 only; vera reads figures, never people.
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:person_edit": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:person_profile": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk, "role": "participant"},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:person_add_role": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.person_a1.pk},
        data={"role": "volunteer", "status": "interested"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:person_status": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.person_a1.pk, "role_pk": w.person_a1.roles.get().pk},
        data={"status": "paused", "reason": "Elternzeit"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    # Consents: recorded and withdrawn by whoever edits the person (cora does
    # not see site A1); the evidence read by whoever sees the person.
    "people:consent_create": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:consent_withdraw": Route(
        kwargs=lambda w: {"pk": w.consent_a.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:consent_evidence": Route(
        kwargs=lambda w: {"pk": w.consent_a.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    # Merging: administrators and coordinators only; caseworkers may edit, not merge.
    "people:person_merge": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "people:person_merge_confirm": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk, "other_pk": w.person_a2.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    # Bulk actions on everyone matching no filter: each persona's own visible
    # pool (cora: site A2 only), never another organisation's.
    "people:bulk_status": Route(
        method="POST",
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    "people:bulk_export": Route(
        method="POST",
        kwargs=lambda w: {"file_format": "csv"},
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    "people:bulk_export_xlsx": Route(
        method="POST",
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    "people:bulk_export_csv": Route(
        method="POST",
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    # --- programmes and events ---------------------------------------------
    "programmes:programme_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "programmes:programme_create": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "programmes:programme_board": Route(
        kwargs=lambda w: {"pk": w.programme_a.pk},
        # Programmes belong to the organisation; cora sees the board, with her site's people.
        expect={ANON: LOGIN, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:programme_edit": Route(
        kwargs=lambda w: {"pk": w.programme_a.pk},
        expect=ADMIN_ONLY | {"carol": 404, "dave": 404},
    ),
    "programmes:step_create": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.programme_a.pk},
        data={
            "name_de": "Abschlussfest",
            "name_en": "Farewell",
            "kind": "other",
            "audience": "all",
        },
        default=302,
        expect={"alice": 403, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:step_edit": Route(
        kwargs=lambda w: {"pk": w.programme_a.steps.first().pk},
        expect=ADMIN_ONLY | {"carol": 404, "dave": 404},
    ),
    "programmes:step_move": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.programme_a.steps.first().pk},
        data={"direction": "down"},
        default=302,
        expect={"alice": 403, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:step_delete": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.programme_a.steps.last().pk},
        default=302,
        expect={"alice": 403, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:enrolment_detail": Route(
        kwargs=lambda w: {"pk": w.enrolment_a.pk},
        # The enrolment of a person at site A1: not there for cora (site A2).
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:enrolment_advance": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.enrolment_a.pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:enrolment_move": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.enrolment_a.pk},
        data=lambda w: {"to_step": w.programme_a.steps.get(position=2).pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:enrolment_end": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.enrolment_a.pk},
        data={"status": "withdrawn", "reason": "Umzug"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:person_enrol": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.person_a1.pk},
        data=lambda w: {"programme": w.programme_a.pk, "role": "mentor"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:person_register": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.person_a2.pk},
        data=lambda w: {"event": w.event_a.pk},
        default=302,
        # person A2 is at site A2: cora may register her.
        expect={"vera": 403, "carol": 404, "dave": 404},
    ),
    # Everyone matching no filter: each persona's own visible pool, never another's.
    "programmes:bulk_enrol": Route(
        method="POST",
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    "programmes:bulk_register": Route(
        method="POST",
        data={"all_matching": "1", "filter_query": ""},
        expect={ANON: LOGIN, "vera": 403},
    ),
    "programmes:event_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "programmes:event_create": Route(expect={ANON: LOGIN, "vera": 403}),
    "programmes:event_detail": Route(
        kwargs=lambda w: {"pk": w.event_a.pk},
        # An event at site A1: not there for cora.
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:event_edit": Route(
        kwargs=lambda w: {"pk": w.event_a.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:event_attendance": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.event_a.pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:event_print": Route(
        kwargs=lambda w: {"pk": w.event_a.pk},
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "programmes:registration_cancel": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.registration_a.pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    # --- matching: coordinators and administrators ---------------------------
    "matching:session_index": Route(expect={ANON: LOGIN, "cora": 403, "vera": 403}),
    "matching:session_list": Route(
        kwargs=lambda w: {"pk": w.programme_a.pk},
        expect={ANON: LOGIN, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    "matching:session_create": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.programme_a.pk},
        default=302,
        expect={"cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    **{
        f"matching:{name}": Route(
            kwargs=lambda w: {"pk": w.matching_session_a.pk},
            # Sessions belong to the organisation; running them is for coordinators.
            expect={ANON: LOGIN, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
        )
        for name in ("session_detail", "session_participants", "session_progress")
    },
    "matching:session_weights": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.matching_session_a.pk},
        data=lambda w: {
            "weight_career": "3",
            "weight_needs": "2",
            "weight_language": "2",
            "weight_distance": "1",
            "weight_availability": "1.5",
            "weight_age": "0.5",
            "weight_wishes": "1",
            "max_distance_km": "25",
            "version": w.matching_session_a.version,
        },
        default=302,
        expect={"cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
    **{
        f"matching:{name}": Route(
            method="POST",
            kwargs=lambda w: {"pk": w.matching_session_a.pk},
            data=lambda w: {"version": w.matching_session_a.version},
            default=302,
            expect={"cora": 403, "vera": 403, "carol": 404, "dave": 404},
        )
        for name in ("session_run", "session_accept_all", "session_close")
    },
    "matching:proposal_decide": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.proposal_a.pk},
        data={"kind": "reject", "reason": "Kennen sich privat", "seen": ""},
        default=302,
        # The mentee is at site A1: the proposal does not exist for cora.
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "matching:decision_revoke": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.decision_a.pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "matching:pairs_waiting": Route(expect={ANON: LOGIN, "cora": 403, "vera": 403}),
    "matching:tandem_form": Route(
        kwargs=lambda w: {"pk": w.accepted_a.pk},
        # The mentee is at site A1: the pair does not exist for cora.
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    # --- tandems: everyone on the staff reads them, coordinators work with them
    "tandems:tandem_list": Route(expect={ANON: LOGIN, "vera": 403}),
    "tandems:tandem_detail": Route(
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        # The tandem is at site A1: it does not exist for cora.
        expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    **{
        f"tandems:{name}": Route(
            kwargs=lambda w: {"pk": w.tandem_a.pk},
            expect={ANON: LOGIN, "cora": 404, "vera": 403, "carol": 404, "dave": 404},
        )
        for name in ("tandem_edit", "tandem_end", "agreement_pdf")
    },
    # No scan uploaded: 404 for everyone who may see the tandem at all.
    "tandems:agreement_scan": Route(
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        default=404,
        expect={ANON: LOGIN, "vera": 403},
    ),
    "tandems:tandem_sign": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data=lambda w: {"version": w.tandem_a.version, "signed_on": "2026-11-30"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:meeting_create": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data={"held_on": "2026-11-30", "duration_minutes": "60", "mode": "phone"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:support_create": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data={"spent_on": "2026-11-30", "minutes": "20", "activity": "check_in"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:tandem_pause": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data=lambda w: {"version": w.tandem_a.version, "reason": "Urlaub"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:tandem_resume": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data=lambda w: {"version": w.tandem_a.version},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:meeting_delete": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.meeting_a.pk},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:follow_up_record": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.follow_up_a.pk},
        data=lambda w: {f"follow-up-{w.follow_up_a.pk}-result": "still_there"},
        default=302,
        expect={"cora": 404, "vera": 403, "carol": 404, "dave": 404},
    ),
    "tandems:agreement_template": Route(
        kwargs=lambda w: {"pk": w.programme_a.pk},
        expect=ADMIN_ONLY | {"carol": 404, "dave": 404},
    ),
    # --- the network: the staff and partners read it, coordinators keep it ----
    **NETWORK,
    # --- cases ----------------------------------------------------------------
    **CASES,
    # --- employers and placements ------------------------------------------
    **EMPLOYERS,
    **REPORTS,
    **SURVEYS,
    **IMPORTS,
    # --- administrators -----------------------------------------------------
    # A copy of everything about a person (access request). Looked up first:
    # cora does not see site A1's people, B's staff do not see A's.
    "privacy:access_export": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect=ADMIN_ONLY | {"cora": 404} | A_OBJECT,
    ),
    "privacy:person_history": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect=ADMIN_ONLY | {"cora": 404} | A_OBJECT,
    ),
    "privacy:erasure_request": Route(
        kwargs=lambda w: {"pk": w.person_a1.pk},
        expect=ADMIN_ONLY | {"cora": 404} | A_OBJECT,
    ),
    # The data protection pages of one's own organisation: dave sees B's.
    "privacy:overview": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "privacy:retention": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "privacy:records": Route(expect=ADMIN_ONLY | {"carol": 403}),
    # Cancelling the waiting erasure of person A2 (site A2: cora finds it).
    "privacy:erasure_decide": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.erasure_a.pk},
        data={"decision": "cancel"},
        default=302,
        expect={ANON: LOGIN, "alice": 403, "cora": 403, "vera": 403} | A_OBJECT,
    ),
    "core:audit_log": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_list": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_create": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_edit": Route(
        kwargs=lambda w: {"pk": w.site_a1.pk},
        # cora works at site A2 only: site A1 does not exist for her.
        expect=ADMIN_ONLY | {"cora": 404, "carol": 404, "dave": 404},
        partner=403,  # sites are named on offers, so a partner finds it, but may not edit it
    ),
    "accounts:user_list": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "accounts:user_invite": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "accounts:user_detail": Route(
        kwargs=_membership_of_alice,
        expect=ADMIN_ONLY | {"carol": 404, "dave": 404},
    ),
    "accounts:user_action": Route(
        method="POST",
        kwargs=lambda w: _membership_of_alice(w) | {"action": "deactivate"},
        default=302,
        expect={"alice": 403, "cora": 403, "vera": 403, "carol": 404, "dave": 404},
    ),
}
