"""Demo case management: a contact point like those of the federal programme
"Stark im Beruf" (seed 004) – migrant mothers counselled holistically by the
office's caseworkers at five sites in the district, with home visits and
accompaniment to authorities, schools, doctors and employers, help plans that
are agreed and re-agreed, group workshops, referrals to the partner network,
and the outcome when a case closes.

Sixty women of the pool are the clients: eight cases in intake, 35 active
(a few without contact for over a month), five on hold and twelve closed.
The demo office has two sites; the contact point's three others are added
here, in towns of the pool, and each client is counselled at the site of the
town she lives in. Caseworkers who may work at one site only get cases of
that site. Upcoming appointments fill every caseworker's next two weeks.

Written directly with the ORM, like the other demo data; deterministic
(seeded), dates relative to today. No documents: they would be files."""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.core.models import Organisation, Site, SupportArea
from lotse.network.demo import INSTITUTIONS
from lotse.network.models import Institution, Offer
from lotse.people.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Gender,
    Person,
    PersonLanguage,
    PoolRole,
    Status,
)
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    ProgrammeKind,
    Step,
    StepTransition,
)

from .models import (
    OPEN,
    Case,
    CaseContact,
    CaseStatus,
    CaseStatusChange,
    ClosingReason,
    ContactKind,
    HelpPlan,
    Intake,
    MeasureStatus,
    Outcome,
    PlanGoal,
    PlanMeasure,
    Referral,
    ReferralStatus,
    Responsible,
)

SEED = 2029
PROGRAMME = (
    "Stark im Beruf – Kontaktstelle",
    "Aufsuchende Beratung für zugewanderte Mütter nach dem Vorbild des ESF-Bundesprogramms "
    "„Stark im Beruf – Mütter mit Migrationshintergrund steigen ein“: ganzheitlich und "
    "individuell, mit Hausbesuchen, Begleitung zu Behörden und Schulen, Hilfeplänen und einem "
    "Netzwerk von Partnern. Fünf Standorte im Landkreis.",
)
SITE_COUNT = 5
# The contact point's sites beyond the office's own, in towns of the pool
# (people.demo.TOWNS), with the towns whose clients they counsel.
NEW_SITES = (
    ("Kontaktstelle Bretten", "Bretten", ("Bretten", "Kraichtal")),
    ("Kontaktstelle Waghäusel", "Waghäusel", ("Waghäusel", "Hambrücken")),
    ("Kontaktstelle Philippsburg", "Philippsburg", ("Philippsburg",)),
)
STATUSES = (
    (CaseStatus.INTAKE, 8),
    (CaseStatus.ACTIVE, 35),
    (CaseStatus.ON_HOLD, 5),
    (CaseStatus.CLOSED, 12),
)
AGES = (21, 50)  # mothers of minor children
KITA_AGE = 5  # the youngest child of this age or younger needs a place in a Kita
STALE = 4  # active cases nobody has contacted for over 30 days
PROBATION = 3  # active cases whose client started work and is in her probation
PAST_HOLD = 2  # active cases that were on hold for a while
RENEWED = 0.3  # the share of help plans agreed a second time
LIMITED_WEIGHT = 3  # a caseworker of one site gets most of its cases

A = SupportArea
CW, CL, PA = Responsible.CASEWORKER, Responsible.CLIENT, Responsible.PARTNER

# --- the clients' stories --------------------------------------------------------------

IN_COUNTRY = {
    "SY": "in Syrien",
    "UA": "in der Ukraine",
    "AF": "in Afghanistan",
    "TR": "in der Türkei",
    "ER": "in Eritrea",
    "IR": "im Iran",
    "IQ": "im Irak",
    "NG": "in Nigeria",
    "SO": "in Somalia",
}
LANGUAGE_NAMES = {
    "ara": "Arabisch",
    "ukr": "Ukrainisch",
    "prs": "Dari",
    "fas": "Persisch",
    "tur": "Türkisch",
    "kmr": "Kurdisch (Kurmandschi)",
    "tir": "Tigrinya",
    "som": "Somali",
    "eng": "Englisch",
    "pus": "Paschtu",
    "rus": "Russisch",
}
CERTIFICATES = {
    "A1": (" (Kurs läuft)",),
    "A2": (" (Zertifikat)", " (ohne Zertifikat)"),
    "B1": (" (Deutsch-Test für Zuwanderer bestanden)",),
    "B2": (" (telc-Zertifikat)",),
}


class Background(NamedTuple):
    education: str
    work: str
    goal: str
    profession: str | None  # what a recognition would be for
    areas: tuple[str, ...]  # the help plan's areas for the way into work


BACKGROUNDS = {
    "care": Background(
        "Ausbildung zur Krankenpflegerin {in_land}; das Diplom liegt im Original vor, die "
        "Anerkennung ist noch nicht beantragt.",
        "Sechs Jahre Krankenpflegerin in einem Krankenhaus {in_land}.",
        "Wieder in der Pflege arbeiten, zuerst als Pflegehelferin und später mit Anerkennung "
        "als Pflegefachfrau.",
        "Krankenpflegerin",
        (A.RECOGNITION, A.QUALIFICATION, A.WORK),
    ),
    "teacher": Background(
        "Lehramtsstudium für die Grundschule {in_land}, abgeschlossen.",
        "Acht Jahre Grundschullehrerin; in Deutschland ehrenamtlich in der Hausaufgabenhilfe.",
        "In einer Kita oder Schule arbeiten, zum Beispiel in der Schulbetreuung.",
        "Grundschullehrerin",
        (A.RECOGNITION, A.WORK, A.APPLICATION),
    ),
    "office": Background(
        "Studium der Betriebswirtschaft {in_land} (Bachelor).",
        "Sieben Jahre Buchhalterin in einem Bauunternehmen.",
        "Im Büro arbeiten, gern in der Buchhaltung; dafür Deutsch auf B2 bringen.",
        "Betriebswirtin",
        (A.RECOGNITION, A.APPLICATION),
    ),
    "hairdresser": Background(
        "Neun Jahre Schule {in_land}; das Friseurhandwerk im Betrieb gelernt, ohne Zeugnis.",
        "Zehn Jahre Friseurin, zuletzt im eigenen kleinen Salon.",
        "Als Friseurin arbeiten und später vielleicht wieder einen eigenen Salon eröffnen.",
        None,
        (A.WORK, A.QUALIFICATION),
    ),
    "basic": Background(
        "Sechs Jahre Schulbesuch {in_land}; Lesen und Schreiben in lateinischer Schrift im "
        "Alphabetisierungskurs gelernt.",
        "Bisher keine Erwerbsarbeit außer Haus; Erfahrung in der Landwirtschaft der Familie und "
        "mit der Betreuung jüngerer Geschwister.",
        "Gut Deutsch lernen, um mit der Schule der Kinder sprechen zu können, und danach eine "
        "Arbeit finden.",
        None,
        (A.WORK, A.APPLICATION),
    ),
    "tailor": Background(
        "Neun Jahre Schule {in_land}, kein Berufsabschluss.",
        "Etwa zwölf Jahre Schneiderin in Heimarbeit; in Deutschland Änderungen für Bekannte.",
        "In einer Änderungsschneiderei oder einer Textilreinigung arbeiten.",
        None,
        (A.WORK, A.APPLICATION),
    ),
    "retail": Background(
        "Abitur {in_land}.",
        "Fünf Jahre Verkäuferin in einem Bekleidungsgeschäft; in Deutschland ein Minijob als "
        "Reinigungskraft.",
        "Eine Teilzeitstelle im Einzelhandel finden oder eine Ausbildung in Teilzeit machen.",
        None,
        (A.APPLICATION, A.QUALIFICATION, A.WORK),
    ),
    "pharmacy": Background(
        "Abitur {in_land}; zwei Semester Pharmazie, wegen der Flucht nicht abgeschlossen.",
        "Zwei Jahre Aushilfe in einer Apotheke.",
        "Eine Ausbildung zur pharmazeutisch-technischen Assistentin beginnen.",
        None,
        (A.QUALIFICATION, A.RECOGNITION, A.APPLICATION),
    ),
    "it": Background(
        "Studium der Informatik {in_land} (Bachelor).",
        "Vier Jahre Softwaretesterin in einer Bank.",
        "In der IT arbeiten, zum Einstieg auch im Support; vorher den Berufssprachkurs B2 "
        "abschließen.",
        "Informatikerin",
        (A.RECOGNITION, A.APPLICATION),
    ),
    "cook": Background(
        "Acht Jahre Schule {in_land}.",
        "Mehrere Jahre Köchin im Restaurant der Familie; kocht gern für die Feste der Gemeinde.",
        "In einer Kantine oder Großküche arbeiten, mit Arbeitszeiten, die zur Schule der Kinder "
        "passen.",
        None,
        (A.WORK, A.APPLICATION),
    ),
    "childminder": Background(
        "Mittlere Reife {in_land}.",
        "Hat Kinder aus der Nachbarschaft betreut; Erste-Hilfe-Kurs am Kind besucht.",
        "Sich als Tagesmutter selbstständig machen.",
        None,
        (A.QUALIFICATION, A.WORK),
    ),
    "law": Background(
        "Studium der Rechtswissenschaft {in_land}, abgeschlossen.",
        "Drei Jahre Mitarbeiterin in einer Anwaltskanzlei.",
        "Eine Arbeit finden, in der das Studium zählt, etwa in der Verwaltung oder in einer "
        "Beratungsstelle.",
        "Juristin",
        (A.RECOGNITION, A.APPLICATION),
    ),
}
# Backgrounds of the open cases, by weight.
BACKGROUND_WEIGHTS = {
    "care": 3,
    "teacher": 2,
    "office": 2,
    "hairdresser": 2,
    "basic": 4,
    "tailor": 2,
    "retail": 4,
    "pharmacy": 1,
    "it": 1,
    "cook": 3,
    "childminder": 1,
    "law": 1,
}
CHILDREN = {1: "einem Kind", 2: "zwei Kindern", 3: "drei Kindern", 4: "vier Kindern"}
CHILDREN_NOMINATIVE = {1: "ein Kind", 2: "zwei Kinder", 3: "drei Kinder", 4: "vier Kinder"}
FLATS = {
    1: "Zweizimmerwohnung",
    2: "Dreizimmerwohnung",
    3: "Dreizimmerwohnung",
    4: "Vierzimmerwohnung",
}
SUPPORT = (
    "Ihre Schwester wohnt im selben Ort und hilft, wenn es eng wird.",
    "Im Ort hat sie bisher kaum Unterstützung.",
    "Eine Nachbarin hilft manchmal bei der Betreuung.",
)
JOBS = (
    "in der Logistik",
    "in einem Pflegeheim",
    "bei einem Automobilzulieferer",
    "in einer Großbäckerei",
)
# Special-category data: only for a few, and only members with the grant see it.
HEALTH = (
    ("Rückenbeschwerden; keine Tätigkeiten mit schwerem Heben.", "work"),
    (
        "Belastet von den Erfahrungen der Flucht; sie wünscht sich Gespräche und ist mit einem "
        "Termin bei der psychosozialen Beratung einverstanden.",
        "self",
    ),
    ("Diabetes, gut eingestellt; regelmäßige Arzttermine, sonst keine Einschränkungen.", None),
    (
        "Ein Kind hat Förderbedarf in der Sprachentwicklung; wöchentliche Termine bei der "
        "Logopädie, zu denen sie das Kind bringt.",
        "children",
    ),
    ("Allergisches Asthma; keine Arbeit mit Reinigungsmitteln oder viel Staub.", "work"),
)
PROTECTED = ("SY", "AF", "ER", "IQ", "IR", "SO")
RESIDENCE = {
    "UA": (
        "Aufenthaltserlaubnis nach § 24 AufenthG (vorübergehender Schutz); die Familie bezieht "
        "Bürgergeld.",
    ),
    "protected": (
        "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG (subsidiärer Schutz), noch ein Jahr "
        "gültig; die Familie bezieht Bürgergeld.",
        "Als Flüchtling anerkannt, Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG; die "
        "Niederlassungserlaubnis ist beantragt.",
        "Aufenthaltserlaubnis nach § 25 Abs. 1 AufenthG; ergänzend Bürgergeld und Kinderzuschlag.",
    ),
    "married": (
        "Aufenthaltserlaubnis zum Familiennachzug (§ 30 AufenthG), Erwerbstätigkeit erlaubt; "
        "kein Leistungsbezug.",
    ),
    "other": ("Niederlassungserlaubnis; die Familie bezieht ergänzend Bürgergeld.",),
}

# --- help plans ------------------------------------------------------------------------


class MeasureTemplate(NamedTuple):
    what: str
    responsible: str
    partner: tuple[str, str] | None = None  # ("offer", title) or ("institution", key)


class GoalTemplate(NamedTuple):
    text: str
    measures: tuple[MeasureTemplate, ...]
    only: tuple[str, ...] = ()  # for these backgrounds (or the health note's kind) only


M, G = MeasureTemplate, GoalTemplate
GOALS: dict[str, tuple[GoalTemplate, ...]] = {
    A.LANGUAGE: (
        G("Deutsch bis B1 verbessern und den Deutsch-Test für Zuwanderer bestehen", (
            M("Kurs „Deutsch B1 für Frauen mit Kinderbetreuung“ besuchen", PA,
              ("offer", "Deutsch B1 für Frauen mit Kinderbetreuung")),
            M("Einstufungstest bei der Volkshochschule machen", CL),
            M("Kostenübernahme für den Kurs beim Jobcenter klären", CW),
        )),
        G("Deutsch für den Beruf auf B2 bringen", (
            M("Zum Berufssprachkurs B2 anmelden", PA, ("offer", "Berufssprachkurs B2")),
            M("Berechtigung für den Berufssprachkurs beim Jobcenter beantragen", CW),
            M("Zweimal im Monat das Sprachcafé in der Stadtbibliothek besuchen", CL),
        )),
    ),
    A.INTEGRATION_COURSE: (
        G("Den Integrationskurs mit Kinderbetreuung beginnen", (
            M("Zulassung zum Integrationskurs beantragen", CW),
            M("Platz im Elternintegrationskurs mit Kinderbetreuung sichern", PA,
              ("offer", "Elternintegrationskurs mit Kinderbetreuung")),
            M("Betreuung der Kinder während der Kurszeiten klären", PA,
              ("offer", "Kinderbetreuung während der Sprachkurse")),
        )),
        G("Den Integrationskurs abschließen", (
            M("Zur Prüfungsvorbereitung die Lernwerkstatt Deutsch besuchen", PA,
              ("offer", "Lernwerkstatt Deutsch")),
            M("Test „Leben in Deutschland“ ablegen", CL),
        )),
    ),
    A.CHILDCARE: (
        G("Einen Kitaplatz für das jüngste Kind finden", (
            M("Anmeldung im Kita-Portal des Landkreises gemeinsam ausfüllen", CW),
            M("Rechtsanspruch auf einen Kitaplatz beim Jugendamt geltend machen", PA,
              ("institution", "jugendamt")),
            M("Bis zum Kitaplatz die Spielgruppe „Kita-Einstieg“ besuchen", PA,
              ("offer", "Kita-Einstieg: Spielgruppe")),
        ), ("kita",)),
        G("Die Betreuung der Kinder so regeln, dass Kurs oder Arbeit möglich sind", (
            M("Nachmittagsbetreuung (Ganztag oder Hort) mit der Schule klären", CL),
            M("Notfallplan für kranke Kinder mit Nachbarin und Familie absprechen", CL),
            M("Eltern-Kind-Gruppe mehrsprachig besuchen", PA,
              ("offer", "Eltern-Kind-Gruppe mehrsprachig")),
        )),
    ),
    A.RECOGNITION: (
        G("Den Abschluss als {profession} anerkennen oder bewerten lassen", (
            M("Termin bei der Anerkennungsberatung wahrnehmen", PA,
              ("offer", "Anerkennungsberatung")),
            M("Zeugnisse übersetzen und beglaubigen lassen", CL),
            M("Kostenübernahme für Übersetzung und Verfahren beim Jobcenter beantragen", CW),
        )),
    ),
    A.QUALIFICATION: (
        G("Eine Ausbildung in Teilzeit beginnen", (
            M("Beratung zur Teilzeitausbildung bei der Agentur für Arbeit", PA,
              ("institution", "aa")),
            M("Ausbildungsbegleitung durch AsA flex klären", PA,
              ("offer", "Assistierte Ausbildung flexibel (AsA flex)")),
            M("Bewerbungen für Ausbildungsplätze schreiben", CL),
        ), ("retail", "pharmacy", "hairdresser")),
        G("Die Ausbildung in der Pflegehilfe beginnen", (
            M("Zur Ausbildung Pflegehilfe mit Sprachförderung anmelden", PA,
              ("offer", "Ausbildung Pflegehilfe mit Sprachförderung")),
            M("Impfnachweise und Führungszeugnis besorgen", CL),
        ), ("care",)),
        G("Die Qualifizierung zur Kindertagespflege abschließen", (
            M("Zum Qualifizierungskurs Kindertagespflege beim Jugendamt anmelden", PA,
              ("institution", "jugendamt")),
            M("Räume für die Tagespflege vorbereiten", CL),
            M("Pflegeerlaubnis beantragen", CL),
        ), ("childminder",)),
    ),
    A.APPLICATION: (
        G("Bewerbungsunterlagen erstellen und sich auf Teilzeitstellen bewerben", (
            M("Lebenslauf und Anschreiben gemeinsam erstellen", CW),
            M("Bewerbungstraining für Frauen besuchen", PA,
              ("offer", "Bewerbungstraining für Frauen")),
            M("Jeden Monat mindestens drei Bewerbungen verschicken", CL),
        )),
        G("Sich sicher im Vorstellungsgespräch fühlen", (
            M("Vorstellungsgespräche in der Kontaktstelle üben", CW),
            M("Vorbereitung auf Vorstellungsgespräche bei der Agentur für Arbeit", PA,
              ("offer", "Vorbereitung auf Vorstellungsgespräche")),
        )),
    ),
    A.WORK: (
        G("Eine Teilzeitstelle finden, deren Arbeitszeiten zur Familie passen", (
            M("Stellenangebote mit Arbeitszeiten am Vormittag heraussuchen", CW),
            M("Bei der Vermittlung in Helfertätigkeiten vorstellen", PA,
              ("offer", "Vermittlung in Helfertätigkeiten")),
            M("Zum Vorstellungsgespräch begleiten", CW),
        )),
        G("Ein Praktikum machen, um den Beruf kennenzulernen", (
            M("An einem Betriebsbesuch für Zugewanderte teilnehmen", PA,
              ("offer", "Betriebsbesuche für Zugewanderte")),
            M("Praktikumsbetrieb suchen und das Praktikum vereinbaren", CW),
        )),
        G("Als Pflegehelferin arbeiten", (
            M("Praktikum im Kreisklinikum vereinbaren", PA, ("institution", "klinikum")),
            M("Bewerbung als Pflegehelferin schreiben", CW),
        ), ("care",)),
    ),
    A.HEALTH: (
        G("Gut für sich sorgen und Entlastung finden", (
            M("Termin bei der psychosozialen Beratung vereinbaren", PA,
              ("offer", "Psychosoziale Beratung für Geflüchtete")),
            M("Feste Zeiten für sich selbst in der Woche einplanen", CL),
        ), ("self",)),
        G("Eine Arbeit finden, die zur Gesundheit passt", (
            M("Mit der Hausärztin klären, welche Tätigkeiten gut möglich sind", CL),
            M("Stellen ohne schweres Heben und ohne Reinigungsmittel suchen", CW),
        ), ("work",)),
        G("Die Gesundheitsversorgung der Kinder sichern", (
            M("Eine Kinderarztpraxis in der Nähe finden", CW),
            M("Impfberatung beim Gesundheitsamt wahrnehmen", PA,
              ("offer", "Impfberatung und Gesundheitssprechstunde")),
        ), ("children",)),
    ),
    A.HOUSING: (
        G("Eine größere Wohnung für die Familie finden", (
            M("Wohnberechtigungsschein beantragen", CL),
            M("Bei der Kreiswohnbau als Wohnungssuchende vormerken lassen", PA,
              ("institution", "wohnbau")),
            M("Wohnungsanzeigen gemeinsam durchgehen und Besichtigungen vorbereiten", CW),
        )),
    ),
    A.FINANCES: (
        G("Einen Überblick über die Finanzen gewinnen und Schulden regeln", (
            M("Termin bei der Schuldner- und Insolvenzberatung", PA,
              ("offer", "Schuldner- und Insolvenzberatung")),
            M("Offene Rechnungen und Mahnungen sammeln", CL),
            M("Kinderzuschlag und Leistungen für Bildung und Teilhabe beantragen", CW),
        )),
    ),
    A.AUTHORITIES: (
        G("Anträge und Post der Ämter selbstständig erledigen", (
            M("Weiterbewilligungsantrag für das Bürgergeld gemeinsam ausfüllen", CW),
            M("Einen Ordner für die Post der Ämter anlegen", CL),
            M("Begleitung zu Ämtern durch den Frauenverein", PA, ("offer", "Begleitung zu Ämtern")),
        )),
        G("Den Aufenthaltstitel rechtzeitig verlängern", (
            M("Termin bei der Ausländerbehörde vereinbaren und dorthin begleiten", CW),
            M("Unterlagen für die Verlängerung zusammenstellen", CL),
        )),
    ),
    A.COUNSELLING: (
        G("Unterstützung für die ganze Familie finden", (
            M("Mehrsprachige Familienberatung in Anspruch nehmen", PA,
              ("offer", "Familienberatung mehrsprachig")),
            M("Migrationsberatung für Fragen zum Aufenthalt nutzen", PA,
              ("offer", "Migrationsberatung für Erwachsene")),
        )),
    ),
    A.MENTORING: (
        G("Eine Patin an der Seite haben, die im Alltag hilft", (
            M("Patenschaft für Familien beim Freundeskreis anfragen", PA,
              ("offer", "Patenschaften für Familien")),
            M("Am Tandem für Arbeit teilnehmen", PA, ("offer", "Tandem für Arbeit")),
        )),
    ),
    A.LEISURE: (
        G("Kontakte im Ort knüpfen", (
            M("Den interkulturellen Frauentreff besuchen", PA,
              ("offer", "Interkultureller Frauentreff")),
            M("Mit den Kindern das Sprachcafé in der Bibliothek besuchen", CL),
        )),
    ),
}  # fmt: skip
EXTRA_AREAS = (A.AUTHORITIES, A.FINANCES, A.COUNSELLING, A.MENTORING, A.LEISURE)
DONE_NOTES = ("", "", "Bescheinigung liegt in Kopie vor.", "Mit Sprachmittlung erledigt.")
PROGRESS_NOTES = ("", "", "Termin steht.", "Unterlagen sind zum Teil da.", "Rückmeldung steht aus.")
DROPPED_NOTES = (
    "Nicht mehr nötig.",
    "Kein Platz frei; eine andere Lösung wurde gefunden.",
    "Die Klientin hat sich anders entschieden.",
    "Wegen der Betreuung der Kinder im Moment nicht möglich.",
)
RENEWAL_DROPPED = "Bei der Fortschreibung des Hilfeplans gestrichen."
RENEWAL_POSTPONED = "Bei der Fortschreibung des Hilfeplans neu terminiert."

# --- closing ---------------------------------------------------------------------------


class Closing(NamedTuple):
    reason: str
    outcome: str
    background: str | None
    note: str


R, OC = ClosingReason, Outcome
CLOSINGS = (
    Closing(
        R.PLACED,
        OC.EMPLOYMENT,
        "care",
        "Pflegehelferin im Kreisklinikum Lindenau, 25 Stunden pro Woche, unbefristet.",
    ),
    Closing(
        R.PLACED,
        OC.EMPLOYMENT,
        "retail",
        "Verkäuferin in Teilzeit (20 Stunden) in einem Drogeriemarkt; Probezeit bestanden.",
    ),
    Closing(
        R.PLACED,
        OC.EMPLOYMENT,
        "cook",
        "Küchenhilfe in der Kantine eines Logistikunternehmens, 30 Stunden, für ein Jahr "
        "befristet.",
    ),
    Closing(
        R.PLACED,
        OC.APPRENTICESHIP,
        "pharmacy",
        "Ausbildung zur pharmazeutisch-technischen Assistentin in Teilzeit.",
    ),
    Closing(
        R.PLACED,
        OC.APPRENTICESHIP,
        "retail",
        "Teilzeitausbildung zur Medizinischen Fachangestellten, 30 Stunden pro Woche.",
    ),
    Closing(
        R.PLACED,
        OC.MARGINAL_EMPLOYMENT,
        "tailor",
        "Minijob in einer Änderungsschneiderei an zwei Vormittagen pro Woche.",
    ),
    Closing(
        R.PLACED,
        OC.MARGINAL_EMPLOYMENT,
        "basic",
        "Minijob in der Mensa der Grundschule, die auch ihre Kinder besuchen.",
    ),
    Closing(
        R.GOALS_REACHED,
        OC.FURTHER_EDUCATION,
        "it",
        "Berufssprachkurs B2 mit Kinderbetreuung begonnen; danach Bewerbungen im IT-Support.",
    ),
    Closing(
        R.PLACED,
        OC.SELF_EMPLOYMENT,
        "childminder",
        "Selbstständig in der Kindertagespflege: Pflegeerlaubnis des Jugendamts liegt vor, "
        "drei Tageskinder.",
    ),
    Closing(
        R.CLIENT_WITHDREW,
        OC.NONE,
        None,
        "Die Klientin möchte sich im Moment ganz um die Familie kümmern; sie kann jederzeit "
        "wiederkommen.",
    ),
    Closing(
        R.CONTACT_LOST,
        OC.UNKNOWN,
        None,
        "Nach drei abgesagten Terminen keine Rückmeldung mehr; ein Brief blieb ohne Antwort.",
    ),
    Closing(
        R.MOVED_AWAY,
        OC.UNKNOWN,
        None,
        "Umzug zu Verwandten nach Nordrhein-Westfalen; die Adresse der Kontaktstelle dort "
        "wurde mitgegeben.",
    ),
)
# Placed in work subject to a probation: the enrolment passes the follow-up step.
FOLLOWED_UP = (OC.EMPLOYMENT, OC.APPRENTICESHIP, OC.SELF_EMPLOYMENT)
WITHDRAWN = {
    R.CLIENT_WITHDREW: "Die Klientin hat die Teilnahme beendet.",
    R.CONTACT_LOST: "Der Kontakt ist abgebrochen.",
    R.MOVED_AWAY: "Die Klientin ist weggezogen.",
}
HOLDS = (
    "Die Klientin pflegt ihre erkrankte Mutter; Pause auf ihren Wunsch, sie meldet sich nach "
    "der Reha wieder.",
    "Längerer Aufenthalt bei der Familie im Ausland; die Rückkehr ist in einigen Wochen geplant.",
    "Der Integrationskurs läuft jetzt ganztags; die Beratung pausiert bis zur Prüfung.",
    "Umzug in eine neue Wohnung; nach dem Umzug geht es weiter.",
    "Eigene Erkrankung; Pause auf Wunsch der Klientin.",
)
PAST_HOLDS = (
    "Sommerferien mit den Kindern; Pause bis zum Schulbeginn.",
    "Ein Kind war länger im Krankenhaus; Pause auf Wunsch der Klientin.",
)

# --- contacts --------------------------------------------------------------------------

K = ContactKind
FIRST = (
    (
        "Erstgespräch: Die Arbeitsvermittlerin des Jobcenters hat auf die Kontaktstelle "
        "hingewiesen. Angebot vorgestellt, Einwilligung zur Datenverarbeitung unterschrieben.",
        "Ausführliches Gespräch beim Hausbesuch vereinbaren",
    ),
    (
        "Erstgespräch nach dem Hinweis einer Bekannten aus dem Sprachkurs. Die Klientin möchte "
        "arbeiten, sobald die Betreuung der Kinder geregelt ist.",
        "Zeugnisse und Unterlagen zum nächsten Termin mitbringen",
    ),
    (
        "Erstgespräch im Anschluss an die Infoveranstaltung in der Kita; Ablauf der Begleitung und "
        "Freiwilligkeit erklärt.",
        "Termin für die Erhebung vereinbaren",
    ),
    (
        "Erstgespräch: Die Klientin kam über die Migrationsberatung. Erste Fragen zu Kita und "
        "Sprachkurs besprochen.",
        "Erhebung beim Hausbesuch",
    ),
)
ARRANGING = ("Telefonat: Termin für den Hausbesuch vereinbart.", "")
INTAKE_VISIT = (
    (
        "Erhebung beim Hausbesuch: Familiensituation, Schul- und Berufsweg und Sprachkenntnisse "
        "besprochen; die Kinder waren dabei.",
        "Hilfeplan vorbereiten",
    ),
    (
        "Erhebung beim Hausbesuch: Wünsche, Betreuung der Kinder und erste Schritte besprochen.",
        "Ziele für den Hilfeplan aufschreiben",
    ),
    (
        "Erhebung beim Hausbesuch abgeschlossen; Zeugnisse angesehen und mit Einverständnis "
        "kopiert.",
        "Hilfeplan zum nächsten Termin",
    ),
)
PLAN_AGREED = (
    (
        "Hilfeplan gemeinsam besprochen und vereinbart; die Klientin hat eine Kopie bekommen.",
        "Erste Schritte aus dem Hilfeplan angehen",
    ),
    ("Ziele und Schritte des Hilfeplans vereinbart; Aufgaben für beide Seiten festgehalten.", ""),
)
PLAN_RENEWED = (
    ("Hilfeplan fortgeschrieben: Erreichtes abgehakt, neue Schritte vereinbart.", ""),
    (
        "Zwischenbilanz: Einige Ziele sind erreicht; der Hilfeplan wurde angepasst und neu "
        "vereinbart.",
        "Neue Termine in den Kalender eintragen",
    ),
)
CHECK_IN = (
    "Kurzer Anruf während der Pause: Der Familie geht es gut, die Klientin meldet sich "
    "wie besprochen.",
    "",
)
RESUMED = ("Wiedereinstieg nach der Pause: Stand besprochen und den Hilfeplan durchgesehen.", "")
PLACEMENT = (
    "Begleitung zur Arbeitgeberin: Arbeitsvertrag besprochen und unterschrieben; Beginn "
    "und Betreuung der Kinder geklärt.",
    "Gespräch zur Probezeit in vier Wochen",
)
PROBATION_TALK = (
    "Gespräch mit der Arbeitgeberin zur Probezeit: Beide Seiten sind zufrieden, "
    "Fragen zu den Arbeitszeiten geklärt.",
    "Nächstes Gespräch in einem Monat",
)
CLOSING_TALKS = {
    R.PLACED: (
        K.OFFICE,
        "Abschlussgespräch: Rückblick auf die gemeinsame Zeit; die Klientin ist "
        "in der neuen Arbeit gut angekommen.",
    ),
    R.GOALS_REACHED: (
        K.OFFICE,
        "Abschlussgespräch: Die Ziele des Hilfeplans sind erreicht; die "
        "Klientin weiß, an wen sie sich bei Fragen wenden kann.",
    ),
    R.CLIENT_WITHDREW: (
        K.OFFICE,
        "Gespräch auf Wunsch der Klientin: Sie beendet die Teilnahme "
        "vorerst und kann jederzeit wiederkommen.",
    ),
    R.MOVED_AWAY: (
        K.PHONE,
        "Telefonat vor dem Umzug: Adresse der Kontaktstelle am neuen Wohnort mitgegeben.",
    ),
}
REGULAR = {
    K.OFFICE: (
        (
            "Beratung zum Stand der Bewerbungen; zwei Stellenanzeigen gemeinsam angesehen.",
            "Bewerbung für eine der Stellen schreiben",
        ),
        (
            "Hilfeplan durchgesehen: Die Anmeldung zum Kurs ist erledigt, der Kitaplatz steht noch "
            "aus.",
            "Beim Jugendamt nachfragen",
        ),
        (
            "Post vom Jobcenter gemeinsam gelesen und den Weiterbewilligungsantrag ausgefüllt.",
            "Antrag bis zum Monatsende abgeben",
        ),
        (
            "Lebenslauf überarbeitet; die Familienzeit ist gut erklärt.",
            "Anschreiben für zwei Stellen vorbereiten",
        ),
        (
            "Gespräch darüber, wie Arbeitszeiten und Schulzeiten der Kinder zusammenpassen können.",
            "Teilzeitstellen am Vormittag heraussuchen",
        ),
        (
            "Übersetzte Zeugnisse durchgesehen und den Antrag auf Anerkennung vorbereitet.",
            "Antrag abschicken",
        ),
    ),
    K.PHONE: (
        ("Kurzes Telefonat: Der Termin beim Jugendamt ist bestätigt.", ""),
        ("Rückfrage zur Kostenübernahme für die Übersetzung der Zeugnisse.", "Bescheid abwarten"),
        ("Ein Kind ist krank; der Termin wurde verschoben.", "Neuen Termin vereinbaren"),
        ("Nachgefragt, wie der erste Kurstag war: Die Klientin ist gut angekommen.", ""),
        (
            "Einladung zum Vorstellungsgespräch; Fragen zur Anfahrt geklärt.",
            "Begleitung zum Gespräch planen",
        ),
    ),
    K.VIDEO: (
        (
            "Videogespräch, weil die Kinder krank waren: Bewerbungsunterlagen am Bildschirm "
            "besprochen.",
            "Korrekturen einarbeiten",
        ),
        ("Videogespräch zur Vorbereitung auf die Sprachprüfung.", ""),
    ),
    K.HOME_VISIT: (
        (
            "Hausbesuch: Gespräch über die Betreuung der Kinder während des Kurses; eine Nachbarin "
            "kann an zwei Tagen helfen.",
            "Anmeldung bei der Spielgruppe",
        ),
        (
            "Hausbesuch: Die Wohnung ist für die Familie zu eng; die Wohnungssuche besprochen.",
            "Wohnberechtigungsschein beantragen",
        ),
        (
            "Hausbesuch: Unterlagen für den Kita-Antrag gemeinsam zusammengestellt.",
            "Antrag im Kita-Portal abschicken",
        ),
        (
            "Hausbesuch: Gespräch mit der Familie über den Wunsch der Klientin, eine Ausbildung zu "
            "beginnen.",
            "",
        ),
        (
            "Hausbesuch: Bescheide und Briefe sortiert und einen Ordner angelegt.",
            "Fehlende Nachweise besorgen",
        ),
    ),
}
# (institution key or a place, note, next steps)
AUTHORITY_VISITS = (
    (
        "abh",
        "Begleitung zur Ausländerbehörde: Verlängerung des Aufenthaltstitels beantragt, "
        "Fiktionsbescheinigung erhalten.",
        "Abholtermin für den Titel notieren",
    ),
    (
        "jc",
        "Begleitung zum Jobcenter: Gespräch mit der Arbeitsvermittlerin über eine "
        "Qualifizierung in Teilzeit.",
        "Bildungsgutschein beantragen",
    ),
    (
        "jugendamt",
        "Begleitung zum Jugendamt: Antrag auf einen Kitaplatz gestellt.",
        "Rückmeldung des Jugendamts abwarten",
    ),
    (
        "jc",
        "Begleitung zum Jobcenter: fehlende Nachweise nachgereicht und Fragen zum Bescheid "
        "geklärt.",
        "",
    ),
    (
        "Familienkasse Lindenau",
        "Begleitung zur Familienkasse: fehlende Unterlagen zum Kindergeld abgegeben.",
        "",
    ),
)
# (place in the client's town, note, next steps, participants)
SCHOOL_VISITS = (
    (
        "Grundschule in {town}",
        "Begleitung zum Elterngespräch in der Grundschule; die Lehrerin "
        "berichtet von guten Fortschritten.",
        "Hausaufgabenhilfe anfragen",
        "Klientin, Klassenlehrerin",
    ),
    (
        "Gemeinschaftsschule in {town}",
        "Begleitung zur Anmeldung an der weiterführenden Schule.",
        "",
        "Klientin, Schulsekretariat",
    ),
    (
        "Kita in {town}",
        "Gespräch in der Kita über die Eingewöhnung des jüngsten Kindes.",
        "Eingewöhnungszeiten mit den Kursterminen abstimmen",
        "Klientin, Erzieherin",
    ),
    (
        "Grundschule in {town}",
        "Begleitung zum Elternabend; Ganztag und Hort erklärt.",
        "Anmeldung für die Nachmittagsbetreuung",
        "Klientin, Eltern der Klasse",
    ),
)
DOCTOR_VISITS = (
    (
        "Kinderarztpraxis in {town}",
        "Begleitung zur Vorsorgeuntersuchung eines Kindes, mit Sprachmittlung.",
        "",
    ),
    (
        "gesundheitsamt",
        "Begleitung zur Impfberatung beim Gesundheitsamt.",
        "Impfpässe der Kinder vervollständigen",
    ),
    (
        "Hausarztpraxis in {town}",
        "Begleitung zur Hausärztin; Bescheinigung für den Kurs besorgt.",
        "",
    ),
)
EMPLOYER_VISITS = (
    (
        "Begleitung zum Vorstellungsgespräch; die Arbeitgeberin bietet einen Probetag an.",
        "Betreuung der Kinder für den Probetag klären",
    ),
    ("Betriebsbesuch mit Gespräch über ein Praktikum.", "Praktikumsvertrag abwarten"),
    ("Begleitung zum Probearbeiten; die Rückmeldung folgt in einer Woche.", ""),
)
EMPLOYERS = (
    "klinikum",
    "metallbau",
    "Drogeriemarkt in {town}",
    "Bäckerei in {town}",
    "Seniorenzentrum in {town}",
)
REGULAR_KINDS = {
    K.OFFICE: 22,
    K.PHONE: 22,
    K.HOME_VISIT: 14,
    K.VIDEO: 4,
    K.AUTHORITY: 12,
    K.SCHOOL: 8,
    K.DOCTOR: 4,
    K.EMPLOYER: 5,
}
# Appointments ahead: (what for, where – an institution key or a place in the client's town)
PLANNED = {
    K.OFFICE: (
        ("Bewerbungen besprechen", None),
        ("Hilfeplan durchsehen", None),
        ("Antrag gemeinsam ausfüllen", None),
    ),
    K.PHONE: (("Rückruf wegen des Kitaplatzes", None), ("Stand der Bewerbungen", None)),
    K.HOME_VISIT: (("Hausbesuch: Stand der Dinge mit der Familie besprechen", None),),
    K.AUTHORITY: (
        ("Begleitung zur Ausländerbehörde (Verlängerung des Aufenthaltstitels)", "abh"),
        ("Begleitung zum Jobcenter (Gespräch mit der Arbeitsvermittlerin)", "jc"),
    ),
    K.SCHOOL: (("Begleitung zum Elterngespräch in der Grundschule", "Grundschule in {town}"),),
    K.EMPLOYER: (("Begleitung zum Vorstellungsgespräch", None),),
}
MINUTES = {
    K.OFFICE: (45, 60, 60),
    K.PHONE: (15, 20, 30),
    K.VIDEO: (30, 45),
    K.HOME_VISIT: (60, 90),
    K.AUTHORITY: (90, 120),
    K.SCHOOL: (45, 60),
    K.DOCTOR: (60, 90),
    K.EMPLOYER: (60, 90),
    K.WORKSHOP: (150,),
}
WORKSHOPS = (
    "Workshop „Mein Weg in den Beruf“: Stärken und Interessen",
    "Workshop „Bewerben mit Kindern“: die Familienzeit im Lebenslauf",
    "Workshop „Kita, Schule, Hort“: wie Betreuung und Arbeit zusammenpassen",
    "Workshop „Arbeitsvertrag, Minijob, Teilzeit“: was man wissen sollte",
    "Workshop „Online bewerben“ mit dem eigenen Smartphone",
    "Workshop „Zeit für mich“: zwischen Familie und Beruf",
    "Bastelnachmittag mit den Kindern und Austausch unter den Teilnehmerinnen",
)
WORKSHOP_DAYS_AGO = ((14, 24), (52, 66), (94, 110), (136, 154), (180, 200), (224, 244))
UPCOMING_DAYS = 14
# The office's day, in half hours from 8:00 to 17:00.
DAY_START, HALF_HOURS = 8, 18

# --- referrals -------------------------------------------------------------------------

FEEDBACK = {
    ReferralStatus.ACCEPTED: (
        "Platz zugesagt; die Klientin ist angemeldet.",
        "Das Erstgespräch hat stattgefunden, die Beratung läuft.",
        "Angemeldet; der erste Termin wurde wahrgenommen.",
    ),
    ReferralStatus.COMPLETED: (
        "Teilgenommen und abgeschlossen; die Bescheinigung liegt vor.",
        "Beratung abgeschlossen, Ergebnis mit der Klientin besprochen.",
        "Erfolgreich beendet; die Rückmeldung der Einrichtung war sehr positiv.",
    ),
    ReferralStatus.DECLINED: (
        "Kein freier Platz in diesem Halbjahr; die Warteliste wurde angeboten.",
        "Das Angebot passt nicht zu den Betreuungszeiten der Kinder.",
        "Die Einrichtung ist für den Wohnort der Klientin nicht zuständig.",
    ),
}
# Referrals outside the help plan: (institution key, offer title or None, reason)
OTHER_REFERRALS = (
    ("mbe_caritas", None, "Beratung zum Familiennachzug"),
    ("diakonie", None, "Sozialberatung wegen Mietschulden"),
    ("iq", "Anerkennungsberatung", "Erste Einschätzung, ob sich eine Anerkennung lohnt"),
    ("awo", "Familienberatung mehrsprachig", "Beratung der Familie in Erziehungsfragen"),
    ("fbs", "Eltern-Kind-Gruppe mehrsprachig", "Kontakt zu anderen Eltern mit kleinen Kindern"),
    ("afg_frauen", "Interkultureller Frauentreff", "Kontakte im Ort und Austausch mit Frauen"),
)
REFERRAL_STATUS_WEIGHTS = {
    ReferralStatus.SENT: 2,
    ReferralStatus.ACCEPTED: 3,
    ReferralStatus.COMPLETED: 3,
    ReferralStatus.DECLINED: 2,
}


# --- the plan of the demo, in memory -----------------------------------------------------


@dataclass
class Staff:
    user: User
    site_ids: frozenset[int] | None  # None: all sites

    def works_at(self, site: Site) -> bool:
        return self.site_ids is None or site.pk in self.site_ids


@dataclass
class Profile:
    background: str
    children: list[int]  # ages, youngest first
    married: str  # "" (single), "working", "course", "abroad", "family"
    childcare_needed: bool
    german: str
    tongue: str
    english: bool
    health: tuple[str, str | None] | None
    residence: str


@dataclass
class MeasureSpec:
    template: MeasureTemplate
    institution: Institution | None
    offer: Offer | None
    start: datetime.date
    due: datetime.date
    progress_on: datetime.date | None = None
    outcome: str | None = None  # done or dropped
    resolved_on: datetime.date | None = None
    note: str = ""
    due_later: datetime.date | None = None  # given a new date when the plan was renewed
    renewal_note: str = ""

    def state(self, day: datetime.date) -> str:
        if self.outcome and self.resolved_on <= day:
            return self.outcome
        if self.progress_on and self.progress_on <= day:
            return MeasureStatus.IN_PROGRESS
        return MeasureStatus.OPEN


@dataclass
class GoalSpec:
    area: str
    text: str
    added_on: datetime.date
    measures: list[MeasureSpec]


@dataclass
class ContactSpec:
    day: datetime.date
    kind: str
    note: str
    next_steps: str
    place: str
    participants: str
    staff: User
    minutes: int
    starts_at: datetime.datetime | None = None


@dataclass
class CaseSpec:
    client: Person
    site: Site
    status: str
    caseworker: Staff
    deputies: list[Staff]
    profile: Profile
    closing: Closing | None
    opened: datetime.date | None = None
    intake_done: datetime.date | None = None
    agreed: datetime.date | None = None
    renewed: datetime.date | None = None
    held: datetime.date | None = None
    hold_note: str = ""
    past_hold: tuple[datetime.date, datetime.date, str] | None = None
    placed: datetime.date | None = None
    closed: datetime.date | None = None
    end: datetime.date | None = None  # what the plan's measures are seen from
    contacts_until: datetime.date | None = None
    stale: bool = False
    goals: list[GoalSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)

    def reachable(self, day: datetime.date) -> bool:
        """Whether the client takes part in the contact point's work that day."""
        if self.agreed is None or not self.agreed <= day <= self.contacts_until:
            return False
        return not (self.past_hold and self.past_hold[0] <= day <= self.past_hold[1])

    @property
    def expects_appointments(self) -> bool:
        return self.status in (CaseStatus.INTAKE, CaseStatus.ACTIVE) and not self.stale


@dataclass
class Demo:
    organisation: Organisation
    today: datetime.date
    rng: random.Random
    sites: list[Site] = field(default_factory=list)
    programme: Programme | None = None
    cycle: list[Step] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    institutions: dict[str, Institution] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    busy: dict[tuple[int, datetime.date], set[int]] = field(default_factory=dict)

    def days(self, first: int, last: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(first, max(first, last)))

    def between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))


DAY = datetime.timedelta(days=1)


def extend_demo(organisation: Organisation) -> None:
    demo = Demo(organisation, timezone.localdate(), random.Random(SEED))  # noqa: S311 - demo data  # nosec B311
    demo.sites = _sites(organisation)
    demo.staff = _staff(organisation)
    if not demo.staff:
        return
    demo.programme, demo.cycle = _programme(organisation, demo.sites)
    demo.institutions, demo.offers = _partners(organisation, demo.today)
    cases = _cases(demo)
    for case in cases:
        _dates(demo, case)
    _turns(demo, cases)
    for case in cases:
        _plan(demo, case)
        _contacts(demo, case)
    _workshops(demo, cases)
    _appointments(demo, cases)
    for case in cases:
        for contact in sorted(case.contacts, key=lambda contact: contact.day):
            _schedule(demo, contact)
    _write(demo, cases)


def _weekday(day: datetime.date, forward: bool = False) -> datetime.date:
    """The day itself, or the nearest working day before (or after) it."""
    while day.weekday() >= 5:
        day += DAY if forward else -DAY
    return day


def _moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- sites, programme, staff, partners --------------------------------------------------


def _sites(organisation: Organisation) -> list[Site]:
    """The office's sites and, up to five, the contact point's new ones."""
    sites = list(Site.objects.filter(organisation=organisation, is_active=True).order_by("pk"))
    names = {site.name for site in sites}
    for name, town, _towns in NEW_SITES:
        if len(sites) >= SITE_COUNT:
            break
        if name not in names:
            sites.append(
                Site.objects.create(organisation=organisation, name=name, municipality=town)
            )
    return sites[:SITE_COUNT]


def _programme(organisation: Organisation, sites: list[Site]) -> tuple[Programme, list[Step]]:
    """The office's case-management programme, or a new one with the default steps."""
    programme = (
        Programme.objects.filter(organisation=organisation, kind=ProgrammeKind.CASE_MANAGEMENT)
        .order_by("pk")
        .first()
    )
    if programme is None:
        name, description = PROGRAMME
        programme = Programme.objects.create(
            organisation=organisation,
            name=name,
            kind=ProgrammeKind.CASE_MANAGEMENT,
            description=description,
        )
        programme.sites.set(sites)
        Step.objects.bulk_create(
            Step(
                organisation=organisation, programme=programme, position=position, **step._asdict()
            )
            for position, step in enumerate(DEFAULT_STEPS[ProgrammeKind.CASE_MANAGEMENT], start=1)
        )
    steps = programme.steps.order_by("position")
    return programme, [step for step in steps if step.applies_to(EnrolmentRole.CLIENT)]


def _staff(organisation: Organisation) -> list[Staff]:
    """Caseworkers and coordinators, with the sites they may work at."""
    memberships = (
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=[Role.CASEWORKER, Role.COORDINATOR],
        )
        .select_related("user")
        .prefetch_related("sites")
        .order_by("pk")
    )
    return [
        Staff(
            membership.user,
            None if membership.all_sites else frozenset(site.pk for site in membership.sites.all()),
        )
        for membership in memberships
    ]


def _partners(
    organisation: Organisation, today: datetime.date
) -> tuple[dict[str, Institution], dict[str, Offer]]:
    """The network demo's institutions (by key) and its current offers (by title)."""
    keys = {spec.name: spec.key for spec in INSTITUTIONS}
    institutions = {
        keys[institution.name]: institution
        for institution in Institution.objects.filter(organisation=organisation, is_active=True)
        if institution.name in keys
    }
    offers: dict[str, Offer] = {}
    current = Offer.objects.filter(organisation=organisation).current(today)
    for offer in current.select_related("provider").order_by("pk"):
        offers.setdefault(offer.title, offer)
    return institutions, offers


# --- the clients and their cases -----------------------------------------------------


def _cases(demo: Demo) -> list[CaseSpec]:
    """Sixty mothers of the pool, each at the site of her town, with a
    caseworker (and sometimes a deputy) who may work there."""
    rng, today = demo.rng, demo.today
    towns = {town: name for name, _town, served in NEW_SITES for town in served}
    by_name = {site.name: site for site in demo.sites}
    with_open_case = Case.objects.filter(organisation=demo.organisation, status__in=OPEN)
    women = (
        Person.objects.filter(
            organisation=demo.organisation,
            gender=Gender.FEMALE,
            birth_date__lte=_years_before(today, AGES[0]),
            birth_date__gt=_years_before(today, AGES[1] + 1),
            roles__role=PoolRole.PARTICIPANT,
            roles__status__in=[Status.ACTIVE, Status.ONBOARDING, Status.INTERESTED],
        )
        .exclude(pk__in=with_open_case.values("client_id"))
        .select_related("site")
        .order_by("pk")
        .distinct()
    )
    queues: dict[int, list[Person]] = {site.pk: [] for site in demo.sites}
    for person in women:
        site = by_name.get(towns.get(person.municipality, ""), person.site)
        if site.pk in queues:
            queues[site.pk].append(person)
    for queue in queues.values():
        rng.shuffle(queue)
    wanted = sum(count for _status, count in STATUSES)
    chosen: list[tuple[Person, Site]] = []
    while len(chosen) < wanted and any(queues.values()):
        for site in demo.sites:
            if queues[site.pk] and len(chosen) < wanted:
                chosen.append((queues[site.pk].pop(), site))
    statuses = [status for status, count in STATUSES for _n in range(count)][: len(chosen)]
    rng.shuffle(statuses)
    languages = _languages([person for person, _site in chosen])
    closings = list(CLOSINGS)
    rng.shuffle(closings)
    cases = []
    for (person, site), status in zip(chosen, statuses, strict=True):
        closing = None
        if status == CaseStatus.CLOSED:
            closing = closings.pop() if closings else rng.choice(CLOSINGS)
        caseworker, deputies = _team(demo, site)
        profile = _profile(demo, person, languages.get(person.pk, {}), closing)
        cases.append(CaseSpec(person, site, status, caseworker, deputies, profile, closing))
    return cases


def _languages(people: list[Person]) -> dict[int, dict[str, str]]:
    languages: dict[int, dict[str, str]] = {}
    for row in PersonLanguage.objects.filter(person__in=people).order_by("pk"):
        languages.setdefault(row.person_id, {})[row.language] = row.level
    return languages


def _team(demo: Demo, site: Site) -> tuple[Staff, list[Staff]]:
    """A caseworker of the site (one who works there only is the likeliest)
    and, for some cases, a deputy who may work there as well."""
    here = [staff for staff in demo.staff if staff.works_at(site)]
    if not here:
        here = [staff for staff in demo.staff if staff.site_ids is None] or demo.staff
    weights = [1 if staff.site_ids is None else LIMITED_WEIGHT for staff in here]
    caseworker = demo.rng.choices(here, weights=weights)[0]
    others = [staff for staff in here if staff is not caseworker]
    deputies = [demo.rng.choice(others)] if others and demo.rng.random() < 0.45 else []
    return caseworker, deputies


def _profile(
    demo: Demo, person: Person, languages: dict[str, str], closing: Closing | None
) -> Profile:
    rng, today = demo.rng, demo.today
    if closing and closing.background:
        background = closing.background
    else:
        keys = list(BACKGROUND_WEIGHTS)
        background = rng.choices(keys, weights=[BACKGROUND_WEIGHTS[key] for key in keys])[0]
    age = (today - person.birth_date).days // 365 if person.birth_date else 35
    oldest = max(1, min(17, age - 18))
    count = rng.choices((1, 2, 3, 4), weights=(3, 4, 3, 1))[0]
    children = [min(rng.randint(1, 8), oldest)]
    while len(children) < count and children[-1] + 2 <= oldest:
        children.append(min(oldest, children[-1] + rng.randint(2, 5)))
    ukrainian = person.country_of_origin == "UA"
    married = rng.choices(
        ("", "working", "course", "abroad", "family"),
        weights=(3, 4, 2, 3 if ukrainian else 1, 0 if ukrainian else 1),
    )[0]
    youngest = children[0]
    chance = 0.9 if youngest <= 3 else 0.6 if youngest <= 6 else 0.25
    if married == "family":
        chance /= 3
    childcare_needed = rng.random() < chance
    health = rng.choice(HEALTH) if rng.random() < 0.25 else None
    residence = _residence(rng, person.country_of_origin, married) if rng.random() < 0.3 else ""
    tongue = next((code for code, level in languages.items() if level == "native"), "")
    return Profile(
        background=background,
        children=children,
        married=married,
        childcare_needed=childcare_needed,
        german=languages.get("deu", ""),
        tongue=tongue,
        english="eng" in languages and tongue != "eng",
        health=health,
        residence=residence,
    )


def _residence(rng: random.Random, country: str, married: str) -> str:
    if country == "UA":
        return rng.choice(RESIDENCE["UA"])
    if country in PROTECTED:
        return rng.choice(RESIDENCE["protected"])
    return rng.choice(RESIDENCE["married"] if married else RESIDENCE["other"])


# --- dates and the status history ------------------------------------------------------


def _dates(demo: Demo, case: CaseSpec) -> None:
    """When the case opened, the intake was completed, the plan agreed (and
    renewed), the client paused, started work or the case closed."""
    rng, today = demo.rng, demo.today
    yesterday = today - DAY
    renew = rng.random() < RENEWED
    case.end = case.contacts_until = yesterday
    if case.status == CaseStatus.INTAKE:
        case.opened = _weekday(today - demo.days(1, 20))
        return
    if case.status == CaseStatus.CLOSED:
        case.closed = _weekday(today - demo.days(5, 210))
        case.opened = _weekday(case.closed - demo.days(130, 420))
        case.end = case.contacts_until = case.closed
    elif case.status == CaseStatus.ON_HOLD:
        case.opened = _weekday(today - demo.days(110, 320))
    elif renew:
        case.opened = _weekday(today - demo.days(200, 330))
    else:
        case.opened = _weekday(today - demo.days(40, 300))
    case.intake_done = _weekday(case.opened + demo.days(6, 20))
    case.agreed = _weekday(case.intake_done + demo.days(4, 14))
    if case.status == CaseStatus.ON_HOLD:
        first = max(case.agreed + demo.days(25, 25), today - demo.days(80, 80))
        case.held = _weekday(demo.between(first, today - demo.days(12, 12)))
        case.contacts_until = case.held
    if case.closing and case.closing.outcome in FOLLOWED_UP:
        placed = _weekday(case.closed - demo.days(50, 110))
        case.placed = max(placed, _weekday(case.agreed + demo.days(20, 20), forward=True))
    if case.closing and case.closing.reason == R.CONTACT_LOST:
        case.contacts_until = max(case.agreed + demo.days(5, 5), case.closed - demo.days(40, 60))
    limit = (case.held or case.closed or today) - datetime.timedelta(days=20)
    if renew and (limit - case.agreed).days >= 60:
        case.renewed = _weekday(case.agreed + demo.days(50, (limit - case.agreed).days))


def _turns(demo: Demo, cases: list[CaseSpec]) -> None:
    """Among the active cases, a few nobody has contacted for over a month,
    some whose client started work and is in her probation, and some that
    were on hold for a while; and why the cases on hold are."""
    rng, today = demo.rng, demo.today
    active = [case for case in cases if case.status == CaseStatus.ACTIVE]
    old = [case for case in active if case.agreed <= today - datetime.timedelta(days=80)]
    for case in rng.sample(old, min(STALE, len(old))):
        case.stale = True
        case.contacts_until = _weekday(today - demo.days(33, 65))
        if case.renewed and case.renewed > case.contacts_until - datetime.timedelta(days=10):
            case.renewed = None
    fit = [
        case
        for case in active
        if not case.stale and case.agreed < today - datetime.timedelta(days=55)
    ]
    rng.shuffle(fit)
    for case in fit[:PROBATION]:
        first = max(case.agreed + datetime.timedelta(days=40), today - datetime.timedelta(days=70))
        case.placed = _weekday(demo.between(first, today - datetime.timedelta(days=15)))
    for index, case in enumerate(fit[PROBATION : PROBATION + PAST_HOLD]):
        start = _weekday(case.agreed + demo.days(20, 50))
        end = _weekday(start + demo.days(21, 45))
        clash = case.renewed and start - datetime.timedelta(days=3) <= case.renewed <= end
        if end < today - datetime.timedelta(days=20) and not clash:
            case.past_hold = (start, end, PAST_HOLDS[index % len(PAST_HOLDS)])
    held = [case for case in cases if case.status == CaseStatus.ON_HOLD]
    for index, case in enumerate(held):
        case.hold_note = HOLDS[index % len(HOLDS)]


def _history(case: CaseSpec) -> list[tuple[str, str, datetime.date, str]]:
    """The status changes: (from, to, day, note)."""
    history = [("", CaseStatus.INTAKE, case.opened, "")]
    if case.intake_done:
        history.append((CaseStatus.INTAKE, CaseStatus.ACTIVE, case.intake_done, ""))
    if case.past_hold:
        start, end, note = case.past_hold
        history.append((CaseStatus.ACTIVE, CaseStatus.ON_HOLD, start, note))
        history.append((CaseStatus.ON_HOLD, CaseStatus.ACTIVE, end, ""))
    if case.held:
        history.append((CaseStatus.ACTIVE, CaseStatus.ON_HOLD, case.held, case.hold_note))
    if case.closed:
        history.append((CaseStatus.ACTIVE, CaseStatus.CLOSED, case.closed, ""))
    return history


def _path(case: CaseSpec) -> list[tuple[int, datetime.date]]:
    """The steps of the client's enrolment (positions in the cycle) and when
    she reached them: intake, help plan, support and placement, follow-up
    through probation, closing."""
    path = [(0, case.opened)]
    if case.intake_done:
        path.append((1, case.intake_done))
    if case.agreed:
        path.append((2, case.agreed))
    if case.placed:
        path.append((3, case.placed))
    if case.closed and case.closing.reason not in WITHDRAWN:
        path.append((4, case.closed))
    return path


# --- help plans ------------------------------------------------------------------------


def _plan(demo: Demo, case: CaseSpec) -> None:
    """2–4 goals in the areas the client's situation calls for; a renewed
    plan gains a goal or a measure."""
    if case.agreed is None:
        return
    rng = demo.rng
    areas = _areas(rng, case.profile)
    for area in areas:
        case.goals.append(_goal(demo, case, area, case.agreed))
    if case.renewed:
        _renew(demo, case)
        spare = [area for area in (*EXTRA_AREAS, A.APPLICATION) if area not in areas]
        if spare and len(areas) < 4 and rng.random() < 0.7:
            case.goals.append(_goal(demo, case, rng.choice(spare), case.renewed, most=2))
        else:
            goal = min(case.goals, key=lambda goal: len(goal.measures))
            extra = (
                M("Über die Fortschritte im Sprachkurs berichten", CL),
                M("Stand des Hilfeplans mit der Klientin besprechen", CW),
            )
            goal.measures.append(_measure(demo, case, rng.choice(extra), case.renewed))


def _areas(rng: random.Random, profile: Profile) -> list[str]:
    background = BACKGROUNDS[profile.background]
    areas = [rng.choice(background.areas)]
    if profile.childcare_needed:
        areas.append(A.CHILDCARE)
    if profile.german in ("", "A1"):
        areas.append(A.INTEGRATION_COURSE)
    elif profile.german in ("A2", "B1") and rng.random() < 0.7:
        areas.append(A.LANGUAGE)
    if profile.health and profile.health[1] and rng.random() < 0.6:
        areas.append(A.HEALTH)
    extras = [area for area in background.areas if area not in areas]
    extras += [area for area in EXTRA_AREAS if rng.random() < 0.5]
    if len(profile.children) >= 3:
        extras.append(A.HOUSING)
    rng.shuffle(extras)
    wanted = rng.randint(2, 4)
    for area in extras:
        if len(areas) >= wanted:
            break
        if area not in areas:
            areas.append(area)
    return areas[:4]


def _goal(demo: Demo, case: CaseSpec, area: str, start: datetime.date, most: int = 3) -> GoalSpec:
    rng, profile = demo.rng, case.profile
    tags = {profile.background, profile.health[1] if profile.health else None}
    if profile.children[0] <= KITA_AGE:
        tags.add("kita")
    templates = GOALS[area]
    matching = [goal for goal in templates if set(goal.only) & tags]
    general = [goal for goal in templates if not goal.only]
    template = rng.choice(matching or general or list(templates))
    profession = BACKGROUNDS[profile.background].profession
    if "{profession}" in template.text and profession is None:
        text = "Den ausländischen Schulabschluss anerkennen lassen"
    else:
        text = template.text.format(profession=profession)
    count = rng.randint(1, min(most, len(template.measures)))
    chosen = sorted(rng.sample(range(len(template.measures)), count))
    measures = [_measure(demo, case, template.measures[index], start) for index in chosen]
    return GoalSpec(area, text, start, measures)


def _measure(
    demo: Demo, case: CaseSpec, template: MeasureTemplate, start: datetime.date
) -> MeasureSpec:
    """A measure and how it goes: done around its due date, dropped, or
    still pending (overdue, when its date has passed)."""
    rng = demo.rng
    institution = offer = None
    if template.partner:
        kind, key = template.partner
        if kind == "offer":
            offer = demo.offers.get(key)
            institution = offer.provider if offer else None
        else:
            institution = demo.institutions.get(key)
        if institution is None:  # the network has no such partner: the caseworker sees to it
            template = template._replace(responsible=CW, partner=None)
    due = start + demo.days(14, 120)
    measure = MeasureSpec(template, institution, offer, start, due)
    end = case.end
    if rng.random() < 0.65:
        measure.progress_on = min(end, start + demo.days(0, 20))
    if due < end - datetime.timedelta(days=7):
        roll = rng.random()
        if roll < 0.75:
            measure.outcome = MeasureStatus.DONE
            measure.resolved_on = due + demo.days(0, 21) - datetime.timedelta(days=14)
        elif roll < 0.87:
            measure.outcome = MeasureStatus.DROPPED
            measure.resolved_on = due + demo.days(0, 20)
    elif rng.random() < 0.2:
        measure.outcome = MeasureStatus.DONE
        measure.resolved_on = start + demo.days(1, (end - start).days)
    if case.closed and measure.outcome is None:
        measure.outcome = MeasureStatus.DONE if rng.random() < 0.6 else MeasureStatus.DROPPED
        measure.resolved_on = demo.between(max(start, due - datetime.timedelta(days=10)), end)
    if measure.resolved_on:
        measure.resolved_on = max(start + DAY, min(measure.resolved_on, end))
        if measure.progress_on and measure.progress_on > measure.resolved_on:
            measure.progress_on = None
    notes = {
        MeasureStatus.DONE: DONE_NOTES,
        MeasureStatus.DROPPED: DROPPED_NOTES,
        None: PROGRESS_NOTES if measure.progress_on else ("",),
    }
    measure.note = rng.choice(notes[measure.outcome])
    return measure


def _renew(demo: Demo, case: CaseSpec) -> None:
    """At the second agreement, what is late is dropped or given a new date."""
    day = case.renewed
    for goal in case.goals:
        for measure in goal.measures:
            if measure.due >= day or measure.state(day) in (
                MeasureStatus.DONE,
                MeasureStatus.DROPPED,
            ):
                continue
            if demo.rng.random() < 0.35:
                measure.outcome, measure.resolved_on = MeasureStatus.DROPPED, day
                measure.renewal_note = RENEWAL_DROPPED
            else:
                measure.due_later = day + demo.days(21, 75)
                measure.renewal_note = RENEWAL_POSTPONED


# --- contacts --------------------------------------------------------------------------


def _contacts(demo: Demo, case: CaseSpec) -> None:
    """The contacts held: the first talk, the intake at home, the plan's
    agreement, accompaniments and calls in between, and the close."""
    rng, today = demo.rng, demo.today
    add = case.contacts.append
    first_kind = K.OFFICE if rng.random() < 0.6 else K.HOME_VISIT
    add(_contact(demo, case, case.opened, first_kind, rng.choice(FIRST)))
    if case.status == CaseStatus.INTAKE:
        if (today - case.opened).days > 8:
            add(_contact(demo, case, _weekday(case.opened + demo.days(3, 6)), K.PHONE, ARRANGING))
        return
    add(_contact(demo, case, case.intake_done, K.HOME_VISIT, rng.choice(INTAKE_VISIT)))
    add(_contact(demo, case, case.agreed, K.OFFICE, rng.choice(PLAN_AGREED)))
    if case.renewed:
        add(_contact(demo, case, case.renewed, K.OFFICE, rng.choice(PLAN_RENEWED)))
    if case.past_hold:
        start, end, note = case.past_hold
        add(_contact(demo, case, start, K.PHONE, (note, "")))
        add(_contact(demo, case, end, K.OFFICE, RESUMED))
    if case.held:
        add(_contact(demo, case, case.held, K.PHONE, (case.hold_note, "")))
        check_in = _weekday(today - demo.days(3, 18))
        if check_in > case.held + datetime.timedelta(days=5):
            add(_contact(demo, case, check_in, K.PHONE, CHECK_IN))
    if case.placed:
        add(_contact(demo, case, case.placed, K.EMPLOYER, PLACEMENT))
        day = _weekday(case.placed + demo.days(21, 30))
        while day < case.contacts_until:
            add(_contact(demo, case, day, K.EMPLOYER, PROBATION_TALK))
            day = _weekday(day + demo.days(25, 35))
    if case.closed and case.closing.reason in CLOSING_TALKS:
        kind, note = CLOSING_TALKS[case.closing.reason]
        add(_contact(demo, case, case.closed, kind, (note, "")))
    taken = [contact.day for contact in case.contacts]
    kinds, weights = zip(*REGULAR_KINDS.items(), strict=True)
    day = case.intake_done + demo.days(5, 12)
    while day < case.contacts_until:
        day = _weekday(day)
        near = any(abs((day - other).days) <= 2 for other in taken)
        if not near and (case.reachable(day) or case.intake_done < day < case.agreed):
            add(_contact(demo, case, day, rng.choices(kinds, weights=weights)[0]))
            taken.append(day)
        day += demo.days(6, 17)


def _contact(
    demo: Demo,
    case: CaseSpec,
    day: datetime.date,
    kind: str,
    text: tuple[str, str] | None = None,
    where: str | None = None,
) -> ContactSpec:
    """A contact of the kind with a plausible place, participants and (unless
    given) note; held by the caseworker, now and then by the deputy."""
    rng = demo.rng
    town = case.client.municipality or case.site.municipality
    place, participants = "", "Klientin"
    note, next_steps = text or ("", "")
    visit = None
    if kind == K.OFFICE:
        place = f"{case.site.name}, Beratungsraum {rng.randint(1, 3)}"
    elif kind == K.VIDEO:
        place = "Videosprechstunde"
    elif kind == K.HOME_VISIT:
        place = f"Wohnung der Klientin in {town}"
        if case.profile.married in ("working", "course", "family") and rng.random() < 0.4:
            participants = "Klientin, Ehemann"
        elif rng.random() < 0.5:
            participants = "Klientin, Kinder"
    elif kind == K.AUTHORITY:
        place, *visit = rng.choice(AUTHORITY_VISITS)
        participants = "Klientin, Sachbearbeitung"
    elif kind == K.SCHOOL:
        place, *visit, participants = rng.choice(SCHOOL_VISITS)
    elif kind == K.DOCTOR:
        place, *visit = rng.choice(DOCTOR_VISITS)
    elif kind == K.EMPLOYER:
        place = rng.choice(EMPLOYERS)
        visit = list(rng.choice(EMPLOYER_VISITS))
        participants = "Klientin, Arbeitgeberin"
    if text is None:
        note, next_steps = visit or rng.choice(REGULAR[kind])
    place = _place(demo, where or place, town)
    if case.profile.german in ("", "A1", "A2") and kind != K.PHONE and rng.random() < 0.35:
        language = LANGUAGE_NAMES.get(case.profile.tongue)
        if language:
            participants += f", Sprachmittlerin ({language})"
    staff = case.caseworker.user
    if case.deputies and rng.random() < 0.12:
        staff = case.deputies[0].user
    return ContactSpec(
        day=day,
        kind=kind,
        note=note,
        next_steps=next_steps,
        place=place,
        participants=participants,
        staff=staff,
        minutes=rng.choice(MINUTES[kind]),
    )


def _place(demo: Demo, where: str, town: str) -> str:
    """An institution of the network (by its key) with its address, or a place in the town."""
    institution = demo.institutions.get(where)
    if institution is not None:
        return f"{institution.name}, {institution.address}"
    return where.format(town=town)


def _workshops(demo: Demo, cases: list[CaseSpec]) -> None:
    """Group workshops at each site over the past months, and a few ahead."""
    rng, today = demo.rng, demo.today
    topics = list(WORKSHOPS)
    for site in demo.sites:
        here = [case for case in cases if case.site.pk == site.pk]
        rng.shuffle(topics)
        for number, (first, last) in enumerate(WORKSHOP_DAYS_AGO):
            day = _weekday(today - demo.days(first, last))
            attendees = [case for case in here if case.reachable(day)]
            if len(attendees) >= 3:
                chosen = rng.sample(attendees, min(len(attendees), rng.randint(3, 7)))
                _workshop(demo, chosen, day, topics[number % len(topics)], site)
        if rng.random() < 0.6 or site == demo.sites[0]:
            day = _weekday(today + demo.days(2, UPCOMING_DAYS - 4), forward=True)
            attendees = [case for case in here if case.expects_appointments and case.agreed]
            if len(attendees) >= 3:
                chosen = rng.sample(attendees, min(len(attendees), rng.randint(3, 6)))
                _workshop(demo, chosen, day, topics[-1], site)


def _workshop(
    demo: Demo, cases: list[CaseSpec], day: datetime.date, topic: str, site: Site
) -> None:
    """One workshop: a contact in each attendee's case, held by the caseworker
    of most of them, 9:30 to 12:00."""
    counts = Counter(case.caseworker.user.pk for case in cases)
    user = max((case.caseworker.user for case in cases), key=lambda user: counts[user.pk])
    start, length = 3, 5
    ahead = day > demo.today
    while not _free(demo, user, day, start, length):
        day = _weekday(day + DAY if ahead else day - DAY, forward=ahead)
    _book(demo, user, day, start, length)
    starts_at = _moment(day, DAY_START + start // 2, 30 * (start % 2))
    for case in cases:
        case.contacts.append(
            ContactSpec(
                day=day,
                kind=K.WORKSHOP,
                note=topic if ahead else f"{topic}. Teilgenommen und sich eingebracht.",
                next_steps="",
                place=f"{site.name}, Gruppenraum",
                participants=f"{len(cases)} Teilnehmerinnen, Kinderbetreuung im Nebenraum",
                staff=user,
                minutes=150,
                starts_at=starts_at,
            )
        )


def _appointments(demo: Demo, cases: list[CaseSpec]) -> None:
    """Appointments in the next two weeks: the intake visit of each new case,
    the probation talks, and one for many others; every caseworker with open
    cases has at least three."""
    rng, today = demo.rng, demo.today
    open_cases = [case for case in cases if case.expects_appointments]
    planned: Counter = Counter()

    def plan(case: CaseSpec, kind: str, purpose: str, where: str | None = None) -> None:
        day = _weekday(today + demo.days(1, UPCOMING_DAYS - 2), forward=True)
        contact = _contact(demo, case, day, kind, (purpose, ""), where)
        case.contacts.append(contact)
        planned[contact.staff.pk] += 1

    def any_plan(case: CaseSpec, kinds) -> None:
        kind = rng.choice(kinds)
        plan(case, kind, *rng.choice(PLANNED[kind]))

    for case in open_cases:
        if case.status == CaseStatus.INTAKE:
            plan(case, K.HOME_VISIT, "Erhebung beim Hausbesuch")
        elif case.placed:
            plan(case, K.EMPLOYER, "Gespräch zur Probezeit mit der Arbeitgeberin")
        elif rng.random() < 0.55:
            any_plan(case, list(PLANNED))
    for staff in demo.staff:
        theirs = [case for case in open_cases if case.caseworker is staff]
        rng.shuffle(theirs)
        for case in theirs * 2:
            if planned[staff.user.pk] >= 3:
                break
            any_plan(case, (K.OFFICE, K.HOME_VISIT, K.PHONE))


# --- the calendar ----------------------------------------------------------------------


def _free(demo: Demo, user: User, day: datetime.date, start: int, length: int) -> bool:
    busy = demo.busy.get((user.pk, day), set())
    return start + length <= HALF_HOURS and not busy.intersection(range(start, start + length))


def _book(demo: Demo, user: User, day: datetime.date, start: int, length: int) -> None:
    demo.busy.setdefault((user.pk, day), set()).update(range(start, start + length))


def _schedule(demo: Demo, contact: ContactSpec) -> None:
    """A time that day the staff member has free (on a full day, an overlap)."""
    if contact.starts_at is not None:
        return
    length = math.ceil(contact.minutes / 30)
    starts = list(range(HALF_HOURS - length + 1))
    demo.rng.shuffle(starts)
    start = next(
        (start for start in starts if _free(demo, contact.staff, contact.day, start, length)),
        starts[0],
    )
    _book(demo, contact.staff, contact.day, start, length)
    contact.starts_at = _moment(contact.day, DAY_START + start // 2, 30 * (start % 2))


# --- writing ---------------------------------------------------------------------------


def _write(demo: Demo, cases: list[CaseSpec]) -> None:
    organisation, rng = demo.organisation, demo.rng
    now = timezone.now()
    enrolments = _enrolments(demo, cases)
    rows = []
    for case, enrolment in zip(cases, enrolments, strict=True):
        held = [contact.day for contact in case.contacts if contact.starts_at <= now]
        closing = case.closing if case.closed else None
        rows.append(
            Case(
                organisation=organisation,
                client=case.client,
                programme=demo.programme,
                enrolment=enrolment,
                site=case.site,
                caseworker=case.caseworker.user,
                status=case.status,
                opened_on=case.opened,
                closed_on=case.closed,
                closing_reason=closing.reason if closing else "",
                outcome=closing.outcome if closing else "",
                outcome_note=closing.note if closing else "",
                last_contact_on=max(held) if held else None,
                version=len(_history(case)),
            )
        )
    rows = Case.objects.bulk_create(rows)
    for row, case in zip(rows, cases, strict=True):
        row.created_at = _moment(case.opened, 9)
    Case.objects.bulk_update(rows, ["created_at"])
    Case.deputies.through.objects.bulk_create(
        Case.deputies.through(case_id=row.pk, user_id=deputy.user.pk)
        for row, case in zip(rows, cases, strict=True)
        for deputy in case.deputies
    )
    _status_changes(demo, rows, cases)
    _intakes(demo, rows, cases)
    _plans(demo, rows, cases)
    contacts = CaseContact.objects.bulk_create(
        (
            CaseContact(
                organisation=organisation,
                case=row,
                kind=spec.kind,
                starts_at=spec.starts_at,
                duration_minutes=spec.minutes,
                place=spec.place,
                participants=spec.participants,
                note=spec.note,
                next_steps=spec.next_steps,
                staff=spec.staff,
            )
            for row, case in zip(rows, cases, strict=True)
            for spec in case.contacts
        ),
        batch_size=500,
    )
    for contact in contacts:
        if contact.starts_at <= now:  # written up the same day
            contact.created_at = contact.starts_at + datetime.timedelta(hours=rng.randint(1, 5))
        else:  # arranged in the last days
            contact.created_at = now - datetime.timedelta(days=rng.randint(1, 14))
    CaseContact.objects.bulk_update(contacts, ["created_at"], batch_size=500)
    _referrals(demo, rows, cases)


def _enrolments(demo: Demo, cases: list[CaseSpec]) -> list[Enrolment]:
    """Each client's enrolment in the programme at the step her case has
    reached, with its history; an enrolment she has already stays as it is."""
    existing = {
        enrolment.person_id: enrolment
        for enrolment in Enrolment.objects.filter(
            programme=demo.programme, role=EnrolmentRole.CLIENT
        )
    }
    result, new, histories = [], [], []
    for case in cases:
        if case.client.pk in existing:
            result.append(existing[case.client.pk])
            continue
        path: list[tuple[Step, datetime.date]] = []
        for index, day in _path(case):
            step = demo.cycle[min(index, len(demo.cycle) - 1)]
            if not path or path[-1][0] != step:
                path.append((step, day))
        status = EnrolmentStatus.ACTIVE
        if case.closed:
            withdrawn = case.closing.reason in WITHDRAWN
            status = EnrolmentStatus.WITHDRAWN if withdrawn else EnrolmentStatus.COMPLETED
        enrolment = Enrolment(
            organisation=demo.organisation,
            programme=demo.programme,
            person=case.client,
            role=EnrolmentRole.CLIENT,
            step=path[-1][0],
            status=status,
            enrolled_at=_moment(case.opened, 9),
            step_since=_moment(path[-1][1], 12),
        )
        new.append(enrolment)
        histories.append((enrolment, case, path))
        result.append(enrolment)
    Enrolment.objects.bulk_create(new)
    transitions = []
    for enrolment, case, path in histories:
        previous = None
        for step, day in path:
            transitions.append((enrolment, previous, step, EnrolmentStatus.ACTIVE, "", day, case))
            previous = step
        if case.closed:
            reason = WITHDRAWN.get(case.closing.reason, "")
            transitions.append(
                (enrolment, previous, previous, enrolment.status, reason, case.closed, case)
            )
    StepTransition.objects.bulk_create(
        StepTransition(
            organisation=demo.organisation,
            enrolment=enrolment,
            from_step=from_step,
            to_step=to_step,
            to_status=to_status,
            reason=reason,
            moved_by=case.caseworker.user,
            moved_at=_moment(day, 12),
        )
        for enrolment, from_step, to_step, to_status, reason, day, case in transitions
    )
    return result


def _status_changes(demo: Demo, rows: list[Case], cases: list[CaseSpec]) -> None:
    changes, moments = [], []
    for row, case in zip(rows, cases, strict=True):
        for from_status, to_status, day, note in _history(case):
            changes.append(
                CaseStatusChange(
                    organisation=demo.organisation,
                    case=row,
                    changed_by=case.caseworker.user,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                )
            )
            moments.append(_moment(day, demo.rng.randint(9, 16)))
    changes = CaseStatusChange.objects.bulk_create(changes)
    for change, moment in zip(changes, moments, strict=True):
        change.changed_at = moment
    CaseStatusChange.objects.bulk_update(changes, ["changed_at"])


def _intakes(demo: Demo, rows: list[Case], cases: list[CaseSpec]) -> None:
    """Complete for every case past its intake; a first draft for three new ones."""
    intakes, drafts = [], 0
    for row, case in zip(rows, cases, strict=True):
        intake = Intake(organisation=demo.organisation, case=row)
        if case.intake_done or drafts < 3:
            _fill(demo.rng, intake, case, complete=case.intake_done is not None)
            intake.completed_on = case.intake_done
            intake.version = 2
            drafts += case.intake_done is None
        intakes.append(intake)
    intakes = Intake.objects.bulk_create(intakes)
    for intake, case in zip(intakes, cases, strict=True):
        intake.updated_at = _moment(case.intake_done or case.opened, demo.rng.randint(12, 17))
    Intake.objects.bulk_update(intakes, ["updated_at"])


def _fill(rng: random.Random, intake: Intake, case: CaseSpec, complete: bool) -> None:
    profile, person = case.profile, case.client
    in_land = IN_COUNTRY.get(person.country_of_origin, "im Herkunftsland")
    count, youngest = len(profile.children), profile.children[0]
    children, nominative = CHILDREN[count], CHILDREN_NOMINATIVE[count]
    if profile.married == "":
        family = (
            f"Alleinerziehend mit {children}; der Vater der Kinder lebt nicht im Haushalt. "
            + rng.choice(SUPPORT)
        )
    elif profile.married == "working":
        family = (
            f"Verheiratet, lebt mit ihrem Mann und {children} in einer {FLATS[count]}. "
            f"Ihr Mann arbeitet im Schichtdienst {rng.choice(JOBS)}."
        )
    elif profile.married == "course":
        family = (
            f"Verheiratet, {nominative}. Ihr Mann besucht einen Integrationskurs; beide möchten "
            "arbeiten."
        )
    elif profile.married == "abroad" and person.country_of_origin == "UA":
        family = (
            "Verheiratet; ihr Mann ist in der Ukraine geblieben, die Familie hält per Video "
            f"Kontakt. Sie lebt mit {children} in einer kleinen Wohnung."
        )
    elif profile.married == "abroad":
        family = (
            f"Verheiratet; ihr Mann lebt noch {in_land}, der Familiennachzug ist beantragt. "
            f"Bis dahin ist sie mit {children} allein."
        )
    else:
        family = (
            f"Verheiratet, {nominative}; die Schwiegermutter lebt mit im Haushalt und hilft bei "
            "der Betreuung."
        )
    if profile.childcare_needed and youngest <= KITA_AGE:
        family += f" Das jüngste Kind ({youngest}) hat noch keinen Kitaplatz."
    elif profile.childcare_needed:
        family += " Für die Nachmittage fehlt eine Betreuung der Kinder."
    elif youngest >= 6:
        family += " Die Kinder gehen zur Schule."
    else:
        family += " Die Kinder gehen in Kita und Schule."
    intake.family_situation = family
    intake.children_ages = ", ".join(str(age) for age in profile.children)
    intake.childcare_needed = profile.childcare_needed
    if profile.german:
        certificate = rng.choice(CERTIFICATES.get(profile.german, ("",)))
        languages = [f"Deutsch {profile.german}{certificate}"]
    else:
        languages = ["Deutsch: erste Kenntnisse"]
    if profile.tongue in LANGUAGE_NAMES:
        languages.append(f"{LANGUAGE_NAMES[profile.tongue]} (Muttersprache)")
    if profile.english:
        languages.append("Englisch B2")
    intake.languages = "; ".join(languages)
    if not complete:
        return
    background = BACKGROUNDS[profile.background]
    intake.education = background.education.format(in_land=in_land)
    intake.work_experience = background.work.format(in_land=in_land)
    intake.goals = background.goal
    if profile.childcare_needed and youngest <= KITA_AGE:
        intake.goals += " Vorher soll das jüngste Kind einen Kitaplatz bekommen."
    intake.health = profile.health[0] if profile.health else ""
    intake.residence = profile.residence


def _plans(demo: Demo, rows: list[Case], cases: list[CaseSpec]) -> None:
    """Version 1 of every help plan (agreed once the intake is done, empty
    before); a renewed plan is frozen the day before its second agreement,
    and version 2 continues as a copy with what changed since."""
    organisation = demo.organisation
    plans, versions = [], []
    for row, case in zip(rows, cases, strict=True):
        plans.append(
            HelpPlan(
                organisation=organisation,
                case=row,
                number=1,
                agreed_on=case.agreed,
                superseded_on=case.renewed,
                version=2 if case.agreed else 1,
            )
        )
        versions.append((case, 1, case.opened))
        if case.renewed:
            plans.append(
                HelpPlan(organisation=organisation, case=row, number=2, agreed_on=case.renewed)
            )
            versions.append((case, 2, case.renewed))
    plans = HelpPlan.objects.bulk_create(plans)
    for plan, (_case, _number, created) in zip(plans, versions, strict=True):
        plan.created_at = _moment(created, 9)
    HelpPlan.objects.bulk_update(plans, ["created_at"])
    goals, measures = [], []
    for plan, (case, number, _created) in zip(plans, versions, strict=True):
        frozen = number == 1 and case.renewed is not None
        seen = case.renewed - DAY if frozen else case.end
        for spec in case.goals:
            kept = [m for m in spec.measures if not frozen or m.start < case.renewed]
            if not kept:
                continue
            goal = PlanGoal(
                organisation=organisation,
                plan=plan,
                area=spec.area,
                text=spec.text,
                position=len([g for g in goals if g.plan is plan]) + 1,
            )
            goals.append(goal)
            measures += [(goal, measure, seen, frozen, number) for measure in kept]
    PlanGoal.objects.bulk_create(goals)
    rows_ = []
    for goal, spec, seen, frozen, number in measures:
        status = spec.state(seen)
        due, note = spec.due, spec.note
        if frozen:  # as it stood before the renewal
            note = spec.note if status == spec.state(spec.resolved_on or seen) else ""
        elif number == 2 and spec.renewal_note:
            due, note = spec.due_later or spec.due, spec.renewal_note
        partner = spec.template.responsible == PA
        rows_.append(
            PlanMeasure(
                organisation=organisation,
                goal=goal,
                what=spec.template.what,
                responsible=spec.template.responsible,
                institution=spec.institution if partner else None,
                offer=spec.offer if partner else None,
                due_on=due,
                status=status,
                note=note,
                done_on=spec.resolved_on if status == MeasureStatus.DONE else None,
            )
        )
    PlanMeasure.objects.bulk_create(rows_, batch_size=500)


def _referrals(demo: Demo, rows: list[Case], cases: list[CaseSpec]) -> None:
    """A referral for each partner of the plan's measures, in the state of the
    measure, with the partner's feedback; and some outside the plan."""
    rng, today = demo.rng, demo.today
    states = {
        MeasureStatus.OPEN: ReferralStatus.SENT,
        MeasureStatus.IN_PROGRESS: ReferralStatus.ACCEPTED,
        MeasureStatus.DONE: ReferralStatus.COMPLETED,
        MeasureStatus.DROPPED: ReferralStatus.DECLINED,
    }
    statuses, weights = zip(*REFERRAL_STATUS_WEIGHTS.items(), strict=True)
    referrals = []
    for row, case in zip(rows, cases, strict=True):
        partners = set()
        for goal in case.goals:
            for measure in goal.measures:
                key = (measure.institution, measure.offer)
                if measure.template.responsible != PA or key in partners:
                    continue
                partners.add(key)
                status = states[measure.state(case.end)]
                referred = measure.start + demo.days(0, 7)
                if status == ReferralStatus.SENT and case.expects_appointments:
                    referred = max(measure.start, today - demo.days(1, 20))
                referred = _weekday(min(referred, measure.resolved_on or case.end))
                referred = max(referred, measure.start)
                referrals.append(
                    _referral(demo, row, *key, measure.template.what, referred, status)
                )
        if case.agreed is None or rng.random() >= 0.3:
            continue
        key, title, reason = rng.choice(OTHER_REFERRALS)
        offer = demo.offers.get(title) if title else None
        institution = offer.provider if offer else demo.institutions.get(key)
        if institution is None or (institution, offer) in partners:
            continue
        status = rng.choices(statuses, weights=weights)[0]
        if status == ReferralStatus.SENT and not case.expects_appointments:
            status = ReferralStatus.COMPLETED
        if status == ReferralStatus.SENT:
            referred = max(case.agreed, _weekday(today - demo.days(1, 20)))
        else:
            last = max(case.agreed, case.end - datetime.timedelta(days=10))
            referred = max(case.agreed, _weekday(demo.between(case.agreed, last)))
        referrals.append(_referral(demo, row, institution, offer, reason, referred, status))
    Referral.objects.bulk_create(referrals)
    _consents(demo, referrals)


def _consents(demo: Demo, referrals: list[Referral]) -> None:
    """Every other accepted or completed referral took the client's data along,
    with the client's consent to share with that institution, signed on paper
    a few days before; one client withdrew a consent since."""
    consents, shared = [], []
    for index, referral in enumerate(referrals):
        if referral.status not in {ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}:
            continue
        if index % 2:
            continue
        referral.shares_data = True
        shared.append(referral)
        consents.append(
            Consent(
                organisation=demo.organisation,
                person=referral.case.client,
                purpose=ConsentPurpose.SHARING,
                institution=referral.institution,
                given_on=referral.referred_on - datetime.timedelta(days=demo.rng.randint(0, 6)),
                channel=ConsentChannel.PAPER,
                wording="Einwilligung Datenweitergabe, Fassung 01/2026",
                recorded_by=referral.case.caseworker,
            )
        )
    if consents:
        last = consents[-1]
        last.withdrawn_on = max(last.given_on, demo.today - datetime.timedelta(days=3))
    Referral.objects.bulk_update(shared, ["shares_data"])
    Consent.objects.bulk_create(consents)


def _referral(
    demo: Demo,
    row: Case,
    institution: Institution,
    offer: Offer | None,
    reason: str,
    referred: datetime.date,
    status: str,
) -> Referral:
    return Referral(
        organisation=demo.organisation,
        case=row,
        institution=institution,
        offer=offer,
        reason=reason,
        referred_on=referred,
        status=status,
        feedback=demo.rng.choice(FEEDBACK[status]) if status in FEEDBACK else "",
        version={ReferralStatus.SENT: 1, ReferralStatus.COMPLETED: 3}.get(status, 2),
    )
