"""Roles and what each may do.

A role is a set of permission codes; views and services ask
`membership.has_perm(code)`. A new role (mentor, partner) is one more entry
in `Role` and in `PERMISSIONS`, nothing else changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.permissions import (
    MANAGE_SITES,
    VIEW_AUDIT_LOG,
    VIEW_PERSONAL_DATA,
    VIEW_RECORDS,
)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    VIEWER = "viewer", _("Viewer (figures only)")
    PARTNER = "partner", _("Partner institution (network only)")


# Permission codes, by area. Keep them stable: they are what views check.
MANAGE_USERS = "accounts.manage_users"
VIEW_PEOPLE = "people.view"
EDIT_PEOPLE = "people.edit"
# Health, residence and family matters (GDPR Art. 9, social data): the role must
# allow it AND the membership must carry the explicit grant (Membership.sensitive_data).
VIEW_SENSITIVE_DATA = "people.view_sensitive"

# Merging two records of the same person moves everything of one onto the other.
MERGE_PEOPLE = "people.merge"
VIEW_PROGRAMMES = "programmes.view"
# Configuring programmes and their life cycle of steps.
MANAGE_PROGRAMMES = "programmes.manage"
# Enrolling people, moving enrolments on, events, registrations, attendance.
EDIT_ENROLMENTS = "programmes.edit_enrolments"
# Moving an enrolment past a required step (with a reason).
SKIP_STEPS = "programmes.skip_steps"
# Matching sessions: proposing pairs of mentees and mentors and deciding on them.
RUN_MATCHING = "matching.run"
VIEW_TANDEMS = "tandems.view"
# Forming tandems, their agreement, meetings, support hours, evaluations, the end.
EDIT_TANDEMS = "tandems.edit"
# Case management: cases, intake, help plans, contacts, referrals, documents.
VIEW_CASES = "cases.view"
EDIT_CASES = "cases.edit"
# Employers, their contacts and openings, acquisition, placements and probation.
VIEW_EMPLOYERS = "employers.view"
EDIT_EMPLOYERS = "employers.edit"
# The local network: institutions, committees, meetings, offers, interface paper.
VIEW_NETWORK = "network.view"
# Keeping the network's records (the network manager's work) and its actor table.
EDIT_NETWORK = "network.edit"
# Key figures and anonymised statistics; seeing the counted records needs the
# permission of their app on top.
VIEW_REPORTS = "reports.view"
# Questionnaires with anonymous response links; their results are read with
# VIEW_REPORTS (the viewer too).
MANAGE_SURVEYS = "surveys.manage"

_STAFF = frozenset(
    {
        VIEW_PERSONAL_DATA,
        VIEW_PEOPLE,
        EDIT_PEOPLE,
        VIEW_SENSITIVE_DATA,
        VIEW_PROGRAMMES,
        EDIT_ENROLMENTS,
        VIEW_TANDEMS,
        VIEW_NETWORK,
        VIEW_CASES,
        EDIT_CASES,
        VIEW_EMPLOYERS,
        EDIT_EMPLOYERS,
        VIEW_REPORTS,
        MANAGE_SURVEYS,
    }
)
# Importing spreadsheets (many records at once) and undoing an import.
IMPORT_DATA = "imports.run"
_COORDINATION = frozenset(
    {MERGE_PEOPLE, SKIP_STEPS, RUN_MATCHING, EDIT_TANDEMS, EDIT_NETWORK, IMPORT_DATA}
)

# Answering a person's request for access to their data (GDPR Art. 15, 20):
# everything every app holds about them, across all sites, in one archive.
HANDLE_PRIVACY = "privacy.handle"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: _STAFF
    | _COORDINATION
    | {
        VIEW_RECORDS,
        MANAGE_USERS,
        MANAGE_SITES,
        VIEW_AUDIT_LOG,
        MANAGE_PROGRAMMES,
        HANDLE_PRIVACY,
    },
    Role.COORDINATOR: _STAFF | _COORDINATION | {VIEW_RECORDS},
    Role.CASEWORKER: _STAFF | {VIEW_RECORDS},
    Role.VIEWER: frozenset({VIEW_RECORDS, VIEW_REPORTS}),
    # Staff of a partner institution: the network's shared records, read-only.
    Role.PARTNER: frozenset({VIEW_NETWORK}),
}

# Permissions that need an explicit grant on the membership on top of the role.
GRANTED: dict[str, str] = {VIEW_SENSITIVE_DATA: "sensitive_data"}

ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.ADMINISTRATOR: _("Configures the organisation, its sites and users; reads the audit log."),
    Role.COORDINATOR: _("Manages the pool, programmes, matching and tandems."),
    Role.CASEWORKER: _("Counsels clients, writes help plans, places clients with employers."),
    Role.VIEWER: _("Reads figures and anonymised statistics, never personal data."),
    Role.PARTNER: _(
        "Staff of a partner institution: reads the network's shared records, never people's data."
    ),
}
