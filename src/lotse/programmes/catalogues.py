"""The life cycles a new programme starts with, per kind. Administrators change
them afterwards; names are stored in German and English like reference lists."""

from __future__ import annotations

from typing import NamedTuple


class DefaultStep(NamedTuple):
    name_de: str
    name_en: str
    kind: str
    audience: str = "all"
    is_required: bool = True


# The 8-step mentoring cycle of the field (PRODUCT.md §2).
MENTORING = (
    DefaultStep("Infoveranstaltung", "Info event", "info_event"),
    DefaultStep("Einzelgespräch mit der Koordination", "One-to-one meeting", "intake"),
    DefaultStep(
        "Basisschulung für Mentor:innen", "Basic training for mentors", "training", "mentor"
    ),
    DefaultStep("Tandembildung nach Bedarf", "Forming the pair by the mentee's needs", "pairing"),
    DefaultStep("Erstes Treffen", "First meeting", "first_meeting"),
    DefaultStep("Unterschriebene Vereinbarung", "Signed agreement", "agreement"),
    DefaultStep(
        "Tandemphase (höchstens sechs Monate, wöchentliches Treffen)",
        "Tandem phase (at most six months, weekly meeting)",
        "tandem",
    ),
    DefaultStep("Auswertung der Ergebnisse", "Evaluation of the results", "evaluation"),
)

CASE_MANAGEMENT = (
    DefaultStep("Erstgespräch", "Intake meeting", "intake", "client"),
    DefaultStep("Hilfeplan vereinbart", "Help plan agreed", "other", "client"),
    DefaultStep("Begleitung und Vermittlung", "Support and placement", "other", "client"),
    DefaultStep(
        "Nachbetreuung in der Probezeit", "Follow-up through probation", "other", "client", False
    ),
    DefaultStep("Abschluss", "Closing", "evaluation", "client"),
)

COACHING = (
    DefaultStep("Infoveranstaltung", "Info event", "info_event", "all", False),
    DefaultStep("Erstgespräch", "Intake meeting", "intake"),
    DefaultStep("Coaching", "Coaching", "other"),
    DefaultStep("Auswertung", "Evaluation", "evaluation"),
)

DEFAULT_STEPS = {"mentoring": MENTORING, "case_management": CASE_MANAGEMENT, "coaching": COACHING}
