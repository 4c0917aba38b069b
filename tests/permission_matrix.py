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
A_PERSONAS = ("ada", "alice", "cora", "vera")
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

    def status(self, persona: str) -> int:
        return self.expect.get(persona, self.default)

    def payload(self, world) -> dict:
        return self.data(world) if callable(self.data) else self.data


LOGIN = 302  # anonymous: redirect to the sign-in page

ADMIN_ONLY = {ANON: LOGIN, "alice": 403, "cora": 403, "vera": 403}


def _membership_of_alice(world) -> dict:
    return {"pk": world.membership(world.alice).pk}


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
    "core:dashboard": Route(expect={ANON: LOGIN}),
    "core:switch_site": Route(method="POST", default=302, data={"site": ""}),
    "accounts:account": Route(expect={ANON: LOGIN}),
    "accounts:password_change": Route(expect={ANON: LOGIN}),
    "accounts:two_factor_verify": Route(
        # Already verified (or nothing to verify): straight on.
        default=302,
    ),
    "accounts:two_factor_setup": Route(
        # ada and dave have an app already: sent to their account page.
        expect={ANON: LOGIN, "ada": 302, "dave": 302},
    ),
    "accounts:renew_recovery_codes": Route(
        method="POST",
        # Without an app there is nothing to renew: back to the account page.
        default=302,
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
    "tandems:evaluation_create": Route(
        method="POST",
        kwargs=lambda w: {"pk": w.tandem_a.pk},
        data={
            "kind": "midterm",
            "respondent": "mentee",
            "satisfaction": "4",
            "goals_reached": "partly",
            "answered_on": "2026-11-30",
        },
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
    # --- administrators -----------------------------------------------------
    "core:audit_log": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_list": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_create": Route(expect=ADMIN_ONLY | {"carol": 403}),
    "core:site_edit": Route(
        kwargs=lambda w: {"pk": w.site_a1.pk},
        # cora works at site A2 only: site A1 does not exist for her.
        expect=ADMIN_ONLY | {"cora": 404, "carol": 404, "dave": 404},
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
