"""The tandem agreement: a programme's template with placeholders, filled in
for one tandem and typeset as PDF with Typst (a Python package with its own
fonts: no system libraries)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

import typst
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.programmes.models import Programme

from .models import AgreementTemplate, Tandem

PLACEHOLDERS = {
    "mentee": gettext_lazy("the mentee's name"),
    "mentor": gettext_lazy("the mentor's name"),
    "programme": gettext_lazy("the programme"),
    "organisation": gettext_lazy("your organisation"),
    "coordinator": gettext_lazy("the responsible coordinator"),
    "goals": gettext_lazy("the goals of the tandem"),
    "start": gettext_lazy("the start date"),
    "planned_end": gettext_lazy("the planned end"),
    "duration": gettext_lazy("the maximum duration"),
    "rhythm": gettext_lazy("the meeting rhythm"),
    "data_protection": gettext_lazy("the data protection note"),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

DEFAULT = {
    "title_de": "Vereinbarung für das Tandem",
    "title_en": "Tandem agreement",
    "body_de": (
        "{mentee} (Mentee) und {mentor} (Mentor:in) bilden im Programm {programme} von "
        "{organisation} ein Tandem.\n\n"
        "Das Tandem beginnt am {start} und endet spätestens am {planned_end} "
        "(höchstens {duration}). Wir treffen uns {rhythm}; wenn ein Treffen ausfällt, "
        "sagen wir rechtzeitig ab und vereinbaren einen neuen Termin.\n\n"
        "Unsere Ziele:\n{goals}\n\n"
        "Die Mentor:in begleitet ehrenamtlich und unentgeltlich. Sie berät nicht rechtlich "
        "und übernimmt keine Aufgaben von Behörden. Bei Fragen oder Schwierigkeiten wenden "
        "sich beide an {coordinator}.\n\n"
        "Beide behandeln vertraulich, was sie im Tandem voneinander erfahren.\n\n"
        "{data_protection}"
    ),
    "body_en": (
        "{mentee} (mentee) and {mentor} (mentor) form a tandem in the programme {programme} "
        "of {organisation}.\n\n"
        "The tandem starts on {start} and ends on {planned_end} at the latest "
        "(at most {duration}). We meet {rhythm}; when a meeting cannot take place, we say so "
        "in good time and agree on a new date.\n\n"
        "Our goals:\n{goals}\n\n"
        "The mentor volunteers without pay. The mentor gives no legal advice and does not "
        "take over tasks of the authorities. With questions or difficulties, both turn to "
        "{coordinator}.\n\n"
        "Both keep confidential what they learn about each other in the tandem.\n\n"
        "{data_protection}"
    ),
    "privacy_de": (
        "Datenschutz: {organisation} speichert die Angaben zu diesem Tandem (Namen, Termine "
        "der Treffen, Ziele, Ergebnis) zur Begleitung des Tandems und für anonyme "
        "Statistiken. Die Angaben werden nicht an Dritte weitergegeben. Sie können jederzeit "
        "Auskunft, Berichtigung und Löschung verlangen."
    ),
    "privacy_en": (
        "Data protection: {organisation} stores the details of this tandem (names, dates of "
        "meetings, goals, outcome) to support the tandem and for anonymous statistics. They "
        "are not passed on to third parties. You may ask at any time to see, correct or "
        "delete them."
    ),
}


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def template_for(programme: Programme) -> AgreementTemplate:
    """The programme's template, or the default one (unsaved) while it has none."""
    template = AgreementTemplate.objects.filter(programme=programme).first()
    return template or AgreementTemplate(
        organisation_id=programme.organisation_id, programme=programme, **DEFAULT
    )


@dataclass(frozen=True)
class FilledAgreement:
    language: str
    title: str
    body: str
    mentee: str
    mentor: str
    place_and_date: str
    signature: str
    organisation: str


def _rhythm(days: int) -> str:
    if days == 7:
        return _("once a week")
    if days == 14:
        return _("every two weeks")
    return _("every %(days)s days") % {"days": days}


def _duration(months: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


def fill(tandem: Tandem, language: str) -> FilledAgreement:
    """The agreement's text for `tandem` in `language` ("de" or "en")."""
    template = template_for(tandem.programme)
    suffix = "de" if language == "de" else "en"
    with translation.override(suffix):

        def day(value) -> str:
            return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "…"

        programme = tandem.programme
        values = {
            "mentee": tandem.mentee.person.full_name,
            "mentor": tandem.mentor.person.full_name,
            "programme": programme.name,
            "organisation": tandem.organisation.name,
            "coordinator": (tandem.coordinator.get_full_name() if tandem.coordinator else "")
            or tandem.organisation.name,
            "goals": tandem.goals.strip() or "…",
            "start": day(tandem.started_on),
            "planned_end": day(tandem.planned_end_on),
            "duration": _duration(programme.max_duration_months),
            "rhythm": _rhythm(programme.meeting_rhythm_days),
        }
        privacy = _substitute(getattr(template, f"privacy_{suffix}"), values)
        body = getattr(template, f"body_{suffix}")
        if "{data_protection}" not in body:
            body = f"{body}\n\n{{data_protection}}"
        values["data_protection"] = privacy
        return FilledAgreement(
            language=suffix,
            title=_substitute(getattr(template, f"title_{suffix}"), values),
            body=_substitute(body, values),
            mentee=_("Mentee: %(name)s") % {"name": values["mentee"]},
            mentor=_("Mentor: %(name)s") % {"name": values["mentor"]},
            place_and_date=_("Place, date"),
            signature=_("Signature"),
            organisation=tandem.organisation.name,
        )


def _substitute(text: str, values: dict[str, str]) -> str:
    """Placeholders replaced by their values; braces around anything else stay
    as written (no str.format: a template cannot reach into objects)."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def render_pdf(filled: FilledAgreement) -> bytes:
    """Typeset the agreement. The texts go in as inputs, never as Typst markup,
    so whatever a name or goal contains is printed as written."""
    source = files("lotse.tandems").joinpath("documents/agreement.typ").read_bytes()
    return typst.compile(
        source,
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={
            "lang": filled.language,
            "title": filled.title,
            "body": filled.body,
            "mentee": filled.mentee,
            "mentor": filled.mentor,
            "place_and_date": filled.place_and_date,
            "signature": filled.signature,
            "organisation": filled.organisation,
        },
    )
