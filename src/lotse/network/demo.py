"""The demo district's network: the institutions of the fictional district
Lindenau across the four domains of the alliance working aid, with contact
persons and the actor table ticked; the alliance core group, a working group
and a regional workshop with a year of meetings, goals and measures (some of
them overdue); cooperation agreements, one running out and one expired; who
is responsible for which step of integration and a first issued interface
paper; sixty local offers and the needs of a survey, with one area (housing)
where people need support and nobody offers it.

Written directly with the ORM, like the other demo data; deterministic
(seeded), dates relative to today. Addresses, names, websites and e-mail
domains (`.example`) are made up; the phone numbers come from the range the
Bundesnetzagentur keeps for media productions (030 23125 000–999), which is
never assigned to anyone."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pycountry
from anyascii import anyascii
from django.utils import timezone, translation

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.core.models import Organisation, Site, SupportArea

from . import services
from .models import (
    PENDING,
    AgreedMeasure,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    CoreGroup,
    Domain,
    Institution,
    InstitutionKind,
    IntegrationStep,
    InterfacePaper,
    MeasureStatus,
    MeasureUpdate,
    MemberRole,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
    SharedGoal,
)

NETWORK_COORDINATOR = "netzwerk@lindenau.example"
POSTCODES = {"Lindenau": "05210", "Birkenbach": "05240"}

# --- institutions -------------------------------------------------------------------


class Inst(NamedTuple):
    key: str
    name: str
    short_name: str
    domain: str
    kind: str
    town: str
    street: str
    host: str  # the domain of website and e-mail
    mailbox: str = "info"
    path: str = ""
    mandate: str = ""
    tasks: str = ""
    contributions: str = ""


D, K = Domain, InstitutionKind
INSTITUTIONS = (
    # Migration and integration
    Inst("kis", "Kreisintegrationsstelle Landkreis Lindenau", "KIS", D.MIGRATION, K.MUNICIPALITY,
      "Lindenau", "Kreishausplatz 1", "lindenau.example", mailbox="integration",
      path="/integration",
      mandate="Freiwillige Aufgabe des Landkreises; Geschäftsstelle des Bündnisses",
      tasks="Koordination des Bündnisses, Erstorientierung, Mentoring-Programme",
      contributions="Geschäftsführung und Moderation der Kerngruppe, Schnittstellenpapier"),
    Inst("bamf", "BAMF-Außenstelle Lindenau", "BAMF", D.MIGRATION, K.BAMF, "Lindenau",
      "Am Güterbahnhof 7", "bamf-lindenau.example",
      mandate="AsylG; §§ 43 ff. AufenthG und Integrationskursverordnung; DeuFöV",
      tasks="Asylverfahren, Zulassung zum Integrationskurs, Berufssprachkurse",
      contributions="Zahlen zu Kursplätzen und Wartezeiten, Trägerrunde Integrationskurse"),
    Inst("abh", "Ausländerbehörde Landkreis Lindenau", "ABH", D.MIGRATION, K.FOREIGNERS_AUTHORITY,
      "Lindenau", "Kreishausplatz 1", "lindenau.example", mailbox="auslaenderbehoerde",
      path="/auslaenderbehoerde",
      mandate="AufenthG, AsylG (Gestattung, Duldung), Beschäftigungsverordnung",
      tasks="Aufenthaltstitel, Beschäftigungserlaubnisse, Verpflichtung zum Integrationskurs",
      contributions="Feste Ansprechperson für Jobcenter und Arbeitgeber"),
    Inst("mbe_caritas", "Migrationsberatung für Erwachsene (MBE) – Caritas Lindenau", "MBE Caritas",
      D.MIGRATION, K.MIGRATION_COUNSELLING, "Lindenau", "Marktstraße 14",
      "caritas-lindenau.example", mailbox="mbe",
      mandate="Bundesprogramm Migrationsberatung für Erwachsene (ab 27 Jahren)",
      tasks="Begleitung im Case Management: Sprachkurs, Behörden, Familiennachzug",
      contributions="Kennt die Lebenslagen der Zielgruppe; Beratung auf Arabisch und Kurdisch"),
    Inst("mbe_awo", "Migrationsberatung für Erwachsene (MBE) – AWO Birkenbach", "MBE AWO",
      D.MIGRATION, K.MIGRATION_COUNSELLING, "Birkenbach", "Lindenstraße 3", "awo-lindenau.example",
      mailbox="mbe-birkenbach",
      mandate="Bundesprogramm Migrationsberatung für Erwachsene (ab 27 Jahren)",
      tasks="Migrationsberatung im Norden des Kreises, Gruppenangebote",
      contributions="Sprechstunde in Birkenbach; Beratung auf Russisch und Ukrainisch"),
    Inst("jmd", "Jugendmigrationsdienst Lindenau (Diakonie)", "JMD", D.MIGRATION,
      K.MIGRATION_COUNSELLING, "Lindenau", "Kirchgasse 5", "diakonie-lindenau.example",
      mailbox="jmd",
      mandate="Programm Jugendmigrationsdienste (12 bis 27 Jahre)",
      tasks="Begleitung junger Zugewanderter in Schule, Ausbildung und Beruf",
      contributions="Zugang zu jungen volljährigen Geflüchteten, Respekt Coaches an Schulen"),
    Inst("syr_verein", "Deutsch-Syrischer Kulturverein Lindenau e. V.", "", D.MIGRATION,
      K.ASSOCIATION, "Lindenau", "Gartenweg 21", "dsk-lindenau.example",
      mandate="Gemeinnütziger Verein, Migrantenorganisation",
      tasks="Sprachmittlung, Hausaufgabenhilfe, Kulturveranstaltungen",
      contributions="Ehrenamtliche Sprachmittlung Arabisch, Zugang zu Familien"),
    Inst("ukr_verein", "Ukrainische Gemeinde Birkenbach e. V.", "", D.MIGRATION, K.ASSOCIATION,
      "Birkenbach", "Schillerstraße 8", "ukraine-birkenbach.example",
      mandate="Gemeinnütziger Verein, Migrantenorganisation",
      tasks="Treffpunkt, Beratung durch Ehrenamtliche, Wochenendschule für Kinder",
      contributions="Informationen auf Ukrainisch in den Messenger-Gruppen der Gemeinde"),
    Inst("afg_frauen", "Afghanischer Frauenverein Lindenau e. V.", "", D.MIGRATION, K.ASSOCIATION,
      "Lindenau", "Rosenweg 2", "afv-lindenau.example",
      mandate="Gemeinnütziger Verein, Migrantenorganisation",
      tasks="Frauentreff, Begleitung zu Ämtern, Nähwerkstatt",
      contributions="Erreicht Frauen, die sonst kaum Angebote nutzen"),
    Inst("freundeskreis", "Freundeskreis Flüchtlinge Birkenbach e. V.", "", D.MIGRATION,
      K.ASSOCIATION, "Birkenbach", "Am Markt 4", "freundeskreis-birkenbach.example",
      mandate="Gemeinnütziger Verein, ehrenamtliche Flüchtlingshilfe",
      tasks="Patenschaften, Fahrdienste, Fahrradwerkstatt",
      contributions="Rund 40 Ehrenamtliche für Patenschaften"),
    # Work and economy
    Inst("aa", "Agentur für Arbeit Lindenau", "AA", D.WORK, K.EMPLOYMENT_AGENCY, "Lindenau",
      "Bahnhofstraße 30", "arbeitsagentur-lindenau.example",
      mandate="SGB III: Arbeitsförderung, Berufsberatung; Zustimmung nach § 39 AufenthG",
      tasks="Arbeitsvermittlung, Berufsberatung, Arbeitgeber-Service, Weiterbildung",
      contributions="Arbeitsmarktzahlen, Arbeitgeber-Service, Berufsberatung an Schulen"),
    Inst("jc", "Jobcenter Landkreis Lindenau", "JC", D.WORK, K.JOBCENTER, "Lindenau",
      "Bahnhofstraße 32", "jobcenter-lindenau.example",
      mandate="SGB II: Bürgergeld und Eingliederung in Arbeit",
      tasks="Leistungen zum Lebensunterhalt, Vermittlung, Zuweisung in Sprachkurse",
      contributions="Vorsitz der Kerngruppe, Eingliederungsmittel, Daten zur Zielgruppe"),
    Inst("ihk", "IHK Lindenau-Birkenbach", "IHK", D.WORK, K.CHAMBER, "Lindenau", "Handelsplatz 2",
      "ihk-lindenau.example",
      mandate="IHK-Gesetz; BBiG; Anerkennung nach dem BQFG (über IHK FOSA)",
      tasks="Ausbildungsberatung, Anerkennung, Passgenaue Besetzung",
      contributions="Kontakt zu Ausbildungsbetrieben, Willkommenslotsen"),
    Inst("hwk", "Handwerkskammer Lindenau", "HWK", D.WORK, K.CHAMBER, "Lindenau", "Meisterweg 1",
      "hwk-lindenau.example",
      mandate="Handwerksordnung; Anerkennung handwerklicher Berufe nach dem BQFG",
      tasks="Ausbildungsberatung, Anerkennung, Lehrstellenbörse",
      contributions="Praktikumsplätze im Handwerk, Ausbildungsbotschafter"),
    Inst("khs", "Kreishandwerkerschaft Lindenau", "KHS", D.WORK, K.EMPLOYERS, "Birkenbach",
      "Innungsstraße 6", "kh-lindenau.example",
      mandate="Körperschaft des öffentlichen Rechts (§§ 86 ff. HwO)",
      tasks="Zusammenschluss der Innungen, überbetriebliche Ausbildung",
      contributions="Zugang zu den Innungsbetrieben"),
    Inst("uv", "Unternehmerverband Lindenauer Land e. V.", "UV", D.WORK, K.EMPLOYERS, "Lindenau",
      "Industriestraße 40", "unternehmerverband-lindenau.example",
      mandate="Freiwilliger Zusammenschluss von Unternehmen",
      tasks="Interessenvertretung, Netzwerk der Personalverantwortlichen",
      contributions="Betriebe für Praktika und Einstiegsjobs, Betriebsbesuche"),
    Inst("iq", "IQ Anerkennungs- und Qualifizierungsberatung Lindenau", "IQ", D.WORK,
      K.RECOGNITION_COUNSELLING, "Lindenau", "Marktstraße 9", "iq-lindenau.example",
      mandate="Förderprogramm Integration durch Qualifizierung (IQ); BQFG",
      tasks="Beratung zur Anerkennung ausländischer Abschlüsse, Anpassungsqualifizierung",
      contributions="Fachwissen zur Anerkennung, Qualifizierung in Pflege und Erziehung"),
    Inst("welcome", "Welcome Center Landkreis Lindenau", "WCL", D.WORK, K.MUNICIPALITY, "Lindenau",
      "Kreishausplatz 1", "lindenau.example", mailbox="welcome", path="/welcome",
      mandate="Wirtschaftsförderung des Landkreises",
      tasks="Erstberatung internationaler Fachkräfte und ihrer Arbeitgeber",
      contributions="Fachkräfteeinwanderung, Kontakte zu Arbeitgebern"),
    Inst("klinikum", "Kreisklinikum Lindenau gGmbH", "", D.WORK, K.OTHER, "Lindenau",
      "Klinikweg 10", "klinikum-lindenau.example",
      tasks="Größter Arbeitgeber im Kreis, Pflegeschule",
      contributions="Anerkennungspraktika in der Pflege"),
    Inst("metallbau", "Metallbau Krüger GmbH & Co. KG", "", D.WORK, K.OTHER, "Birkenbach",
      "Gewerbepark 3", "metallbau-krueger.example",
      tasks="Mittelständischer Betrieb, bildet seit Jahren Geflüchtete aus",
      contributions="Praktika und Einstiegsqualifizierung"),
    # Social affairs
    Inst("sozialamt", "Sozialamt Landkreis Lindenau", "", D.SOCIAL, K.SOCIAL_WELFARE_OFFICE,
      "Lindenau", "Kreishausplatz 1", "lindenau.example", mailbox="sozialamt", path="/sozialamt",
      mandate="AsylbLG, SGB XII; Unterbringung Geflüchteter",
      tasks="Leistungen nach dem AsylbLG, Gemeinschaftsunterkünfte, Wohnraumvermittlung",
      contributions="Belegungszahlen der Unterkünfte, Sozialdienst"),
    Inst("jugendamt", "Jugendamt Landkreis Lindenau", "", D.SOCIAL, K.YOUTH_WELFARE_OFFICE,
      "Lindenau", "Kreishausplatz 3", "lindenau.example", mailbox="jugendamt", path="/jugendamt",
      mandate="SGB VIII: Kinder- und Jugendhilfe, Kindertagesbetreuung (§ 24)",
      tasks="Vergabe der Kitaplätze, unbegleitete Minderjährige, Jugendberufshilfe",
      contributions="Kitabedarfsplanung, Hilfe für junge Volljährige (§ 41 SGB VIII)"),
    Inst("gesundheitsamt", "Gesundheitsamt Landkreis Lindenau", "", D.SOCIAL, K.HEALTH, "Lindenau",
      "Kreishausplatz 5", "lindenau.example", mailbox="gesundheitsamt", path="/gesundheitsamt",
      mandate="Gesetz über den öffentlichen Gesundheitsdienst; IfSG",
      tasks="Erstuntersuchungen, Impfberatung, Schuleingangsuntersuchungen",
      contributions="Mehrsprachige Gesundheitsinformationen"),
    Inst("psz", "Psychosoziales Zentrum für Geflüchtete Lindenau", "PSZ", D.SOCIAL, K.HEALTH,
      "Lindenau", "Parkstraße 11", "psz-lindenau.example",
      mandate="Gemeinnütziger Träger, gefördert vom Land",
      tasks="Psychosoziale Beratung und Therapie mit Sprachmittlung",
      contributions="Fortbildungen zu Traumasensibilität für Fachkräfte"),
    Inst("caritas", "Caritasverband für den Landkreis Lindenau e. V.", "Caritas", D.SOCIAL,
      K.WELFARE_ORGANISATION, "Lindenau", "Marktstraße 14", "caritas-lindenau.example",
      mandate="Freie Wohlfahrtspflege",
      tasks="Allgemeine Sozialberatung, Asylverfahrensberatung, Kleiderkammer",
      contributions="Träger der MBE, Ehrenamtskoordination"),
    Inst("diakonie", "Diakonisches Werk im Landkreis Lindenau", "Diakonie", D.SOCIAL,
      K.WELFARE_ORGANISATION, "Lindenau", "Kirchgasse 5", "diakonie-lindenau.example",
      mandate="Freie Wohlfahrtspflege",
      tasks="Schuldner- und Insolvenzberatung, Sozialberatung, Träger des JMD",
      contributions="Schuldnerberatung, Räume für Sprachcafés"),
    Inst("awo", "AWO Kreisverband Lindenau e. V.", "AWO", D.SOCIAL, K.WELFARE_ORGANISATION,
      "Birkenbach", "Lindenstraße 3", "awo-lindenau.example",
      mandate="Freie Wohlfahrtspflege",
      tasks="Träger der MBE Birkenbach, Kitas, Familienzentrum",
      contributions="Familienzentrum Birkenbach"),
    Inst("drk", "DRK-Kreisverband Lindenau e. V.", "DRK", D.SOCIAL, K.WELFARE_ORGANISATION,
      "Lindenau", "Rettungsweg 2", "drk-lindenau.example",
      mandate="Freie Wohlfahrtspflege",
      tasks="Betrieb der Gemeinschaftsunterkunft Lindenau, Suchdienst",
      contributions="Sozialbetreuung in der Unterkunft"),
    Inst("kita", "Kita-Verbund Lindenauer Land gGmbH", "", D.SOCIAL, K.OTHER, "Birkenbach",
      "Sonnenweg 7", "kitaverbund-lindenau.example",
      mandate="Anerkannter Träger der freien Jugendhilfe (§ 75 SGB VIII)",
      tasks="Zwölf Kindertagesstätten, Brückenangebote „Kita-Einstieg“",
      contributions="Kinderbetreuung während der Sprachkurse"),
    Inst("wohnbau", "Kreiswohnbau Lindenau GmbH", "", D.SOCIAL, K.OTHER, "Lindenau",
      "Am Stadtpark 1", "kreiswohnbau-lindenau.example",
      mandate="Kommunale Wohnungsgesellschaft",
      tasks="Rund 1.800 Mietwohnungen im Landkreis",
      contributions="Wohnungen für anerkannte Geflüchtete"),
    Inst("stadt_birkenbach", "Stadtverwaltung Birkenbach", "", D.SOCIAL, K.MUNICIPALITY,
      "Birkenbach", "Rathausplatz 1", "birkenbach.example", mailbox="buergerbuero",
      mandate="Gemeindeordnung; Meldewesen",
      tasks="Bürgerbüro, Integrationsbeauftragte der Stadt",
      contributions="Räume im Rathaus, Integrationsbeauftragte"),
    # Education
    Inst("vhs", "Volkshochschule Landkreis Lindenau", "VHS", D.EDUCATION, K.ADULT_EDUCATION_CENTRE,
      "Lindenau", "Schulstraße 4", "vhs-lindenau.example",
      mandate="Weiterbildungsgesetz; zugelassener Träger für Integrations- und Berufssprachkurse",
      tasks="Integrationskurse, Berufssprachkurse, Alphabetisierung, Prüfungszentrum",
      contributions="Kursplätze, Einstufungstests, Außenstelle in Birkenbach"),
    Inst("lingua", "Sprachschule Lingua Lindenau GmbH", "Lingua", D.EDUCATION, K.LANGUAGE_SCHOOL,
      "Lindenau", "Bahnhofstraße 5", "lingua-lindenau.example",
      mandate="Zugelassener Träger für Integrations- und Berufssprachkurse",
      tasks="Intensiv- und Abendkurse, Berufssprachkurse Pflege",
      contributions="Abendkurse für Berufstätige"),
    Inst("sprachinstitut", "Sprachinstitut Birkenbach", "", D.EDUCATION, K.LANGUAGE_SCHOOL,
      "Birkenbach", "Mühlenweg 12", "sprachinstitut-birkenbach.example",
      tasks="Deutschkurse von A1 bis C1, Prüfungsvorbereitung"),
    Inst("bbs", "Berufsbildende Schulen Lindenau", "BBS", D.EDUCATION, K.SCHOOL, "Lindenau",
      "Gewerbeschulweg 1", "bbs-lindenau.example",
      mandate="Schulgesetz: Berufsschulpflicht; Vorqualifizierungsjahr mit Deutsch (VABO)",
      tasks="Berufsschule, VABO-Klassen, Berufsfachschulen",
      contributions="Zugang zu schulpflichtigen jungen Geflüchteten"),
    Inst("bsz", "Berufsschulzentrum Birkenbach", "BSZ", D.EDUCATION, K.SCHOOL, "Birkenbach",
      "Am Schulzentrum 2", "bsz-birkenbach.example",
      mandate="Schulgesetz: Berufsschulpflicht",
      tasks="Gewerbliche und kaufmännische Berufsschule, Ausbildungsvorbereitung"),
    Inst("schulamt", "Staatliches Schulamt Lindenau", "", D.EDUCATION, K.OTHER, "Lindenau",
      "Kreishausplatz 7", "schulamt-lindenau.example",
      mandate="Schulaufsicht",
      tasks="Zuweisung in Vorbereitungsklassen, Beratung zu Schulabschlüssen",
      contributions="Daten zu Vorbereitungsklassen"),
    Inst("bwl", "Bildungswerk der Wirtschaft Lindenau gGmbH", "BWL", D.EDUCATION, K.OTHER,
      "Lindenau", "Industriestraße 38", "bw-lindenau.example",
      mandate="Zugelassener Träger nach AZAV",
      tasks="Umschulungen, Teilqualifizierungen, Maßnahmen nach § 45 SGB III",
      contributions="Qualifizierung in Lager und Logistik"),
    Inst("ib", "IB Bildungszentrum Birkenbach", "IB", D.EDUCATION, K.OTHER, "Birkenbach",
      "Bahnhofstraße 20", "ib-birkenbach.example",
      mandate="Zugelassener Träger nach AZAV",
      tasks="Berufsorientierung, Assistierte Ausbildung, Jugendwerkstatt"),
    Inst("fbs", "Familienbildungsstätte Lindenau", "FBS", D.EDUCATION, K.OTHER, "Lindenau",
      "Kirchgasse 7", "fbs-lindenau.example",
      tasks="Elternkurse, Eltern-Kind-Gruppen, Kurse mit Kinderbetreuung",
      contributions="Kurse mit Kinderbetreuung"),
    Inst("bibliothek", "Stadtbibliothek Lindenau", "", D.EDUCATION, K.OTHER, "Lindenau",
      "Am Markt 1", "stadtbibliothek-lindenau.example",
      tasks="Mehrsprachige Medien, Sprachcafé, Lernplätze",
      contributions="Räume, Sprachcafé mit Ehrenamtlichen"),
)  # fmt: skip

# Seed 003: a core group of about ten representatives from the four domains.
CORE_GROUP = {
    "kis": CoreGroup.MEMBER,
    "abh": CoreGroup.MEMBER,
    "mbe_caritas": CoreGroup.MEMBER,
    "jc": CoreGroup.MEMBER,
    "aa": CoreGroup.MEMBER,
    "sozialamt": CoreGroup.MEMBER,
    "jugendamt": CoreGroup.MEMBER,
    "vhs": CoreGroup.MEMBER,
    "ihk": CoreGroup.PLANNED,
    "bbs": CoreGroup.PLANNED,
}

# The first function of a kind is the one that can decide for the institution.
FUNCTIONS = {
    K.EMPLOYMENT_AGENCY: (
        "Bereichsleitung Markt und Integration",
        "Teamleitung Arbeitgeber-Service",
        "Berufsberatung für Zugewanderte",
    ),
    K.JOBCENTER: ("Geschäftsführung", "Teamleitung Markt und Integration", "Integrationsfachkraft"),
    K.BAMF: (
        "Leitung der Außenstelle",
        "Regionalkoordination Integrationskurse",
        "Sachbearbeitung",
    ),
    K.FOREIGNERS_AUTHORITY: (
        "Sachgebietsleitung",
        "Sachbearbeitung Erwerbsmigration",
        "Sachbearbeitung Aufenthalt",
    ),
    K.SOCIAL_WELFARE_OFFICE: (
        "Amtsleitung",
        "Sachgebietsleitung Asylbewerberleistungen",
        "Sozialdienst Unterkünfte",
    ),
    K.YOUTH_WELFARE_OFFICE: ("Amtsleitung", "Fachdienst Kindertagesbetreuung", "Jugendberufshilfe"),
    K.MUNICIPALITY: ("Leitung", "Koordination", "Sachbearbeitung"),
    K.ADULT_EDUCATION_CENTRE: (
        "Direktion",
        "Fachbereichsleitung Deutsch als Zweitsprache",
        "Kursberatung und Einstufung",
    ),
    K.LANGUAGE_SCHOOL: ("Geschäftsführung", "Pädagogische Leitung", "Kursorganisation"),
    K.MIGRATION_COUNSELLING: ("Fachbereichsleitung Migration", "Beratung", "Beratung"),
    K.CHAMBER: (
        "Geschäftsführung Aus- und Weiterbildung",
        "Anerkennungsberatung",
        "Ausbildungsberatung",
    ),
    K.EMPLOYERS: ("Geschäftsführung", "Referat Fachkräftesicherung", "Mitgliederservice"),
    K.WELFARE_ORGANISATION: (
        "Vorstand",
        "Fachbereichsleitung Soziale Dienste",
        "Ehrenamtskoordination",
    ),
    K.SCHOOL: ("Schulleitung", "Abteilungsleitung Ausbildungsvorbereitung", "Schulsozialarbeit"),
    K.RECOGNITION_COUNSELLING: (
        "Projektleitung",
        "Anerkennungsberatung",
        "Qualifizierungsberatung",
    ),
    K.HEALTH: ("Leitung", "Koordination Gesundheitsförderung", "Beratung"),
    K.ASSOCIATION: ("Vorsitz", "Stellvertretung im Vorstand", "Ehrenamtliche Sprachmittlung"),
    K.OTHER: ("Geschäftsführung", "Personalleitung", "Koordination"),
}
# Contacts given, among them the demo users: (name, function, can decide, e-mail).
FIXED_CONTACTS = {
    "kis": (
        ("Dariush Karimi", "Netzwerkkoordination", True, NETWORK_COORDINATOR),
        (
            "Aylin Yılmaz",
            "Koordination Integrationsmanagement",
            False,
            "koordination@lindenau.example",
        ),
    ),
    # Migrant organisations: people of the community they come from.
    "syr_verein": (
        ("Bassam Khalil", "Vorsitz", True, ""),
        ("Lina Darwish", "Ehrenamtliche Sprachmittlung", False, ""),
    ),
    "ukr_verein": (
        ("Iryna Savchenko", "Vorsitz", True, ""),
        ("Maksym Lysenko", "Stellvertretung im Vorstand", False, ""),
    ),
    "afg_frauen": (("Shabnam Ahmadzai", "Vorsitz", True, ""),),
    "jc": (
        ("Thomas Albers", "Geschäftsführung", True, ""),
        ("Petra Neumann", "Teamleitung Markt und Integration", False, ""),
        ("Hüseyin Arslan", "Integrationsfachkraft", False, ""),
    ),
}
CONTACT_NAMES = (
    "Andrea Schulz", "Michael Reuter", "Katharina Lehmann", "Stefan Hartmann", "Fatma Çelik",
    "Nikola Petrović", "Anna Nowak", "Tobias Richter", "Leyla Aydın", "Marco Rossi",
    "Julia Zimmermann", "Sandra Köhler", "Dimitrios Papadopoulos", "Claudia Braun",
    "Wojciech Kowalski", "Miriam Bauer", "Samir El-Amrani", "Birgit Schmitt", "Natalia Iwanowa",
    "Frank Schröder", "Esra Doğan", "Christina Meyer", "Lukas Hoffmeister", "Heike Brenner",
    "Kemal Şahin", "Daniela Fischer", "Thi Lan Nguyen", "Martin Schwarz", "Ioana Popescu",
    "Monika Krause", "Jonas Weber", "Rania Mansour", "Uwe Lange", "Agnieszka Wiśniewska",
    "Sven Hofmann", "Nadia Haidari", "Carsten Jung", "Elena Morozova", "Bernd Vogt",
    "Aleksandra Jovanović", "Kerstin Franke", "Hamid Noori", "Silke Berger", "Oleksandr Tkachenko",
    "Melanie Roth", "Emre Koç", "Simone Beck", "Chiara Romano", "Florian Schuster", "Yasmin Saleh",
    "Gabriele Keller", "Armin Hadžić", "Nicole Schulte", "Kwame Mensah", "Petra Winkler",
    "Dragan Marković", "Susanne Frank", "Mariana Costa", "Ralf Peters", "Aisha Bakr",
    "Tanja Albrecht", "Mustafa Yıldız", "Anja Seidel", "Viktor Schmidt", "Irina Becker",
    "Sebastian Krämer", "Hatice Güler", "Dirk Sommer", "Lena Hahn", "Benjamin Schreiber",
    "Zeynep Kara", "Jens Busch", "María López García", "Helga Brandt", "Amadou Diallo",
    "Stefanie Engel", "Walter Ludwig", "Fariba Azimi", "Tim Böhm", "Sabina Hasanović",
    "Matthias Kühn", "Rebecca Otto", "Goran Ilić", "Ute Pohl", "Kateryna Bondar", "Niklas Sauer",
    "Saskia Voigt", "Hassan Omar", "Cornelia Haas", "Tomasz Zieliński", "Eva Ziegler",
    "Faruk Demirci", "Ingrid Kuhn", "Paul Friedrich", "Nasrin Hosseini", "Dennis Arnold",
    "Jasmin Lorenz", "Giorgos Nikolaidis", "Olga Wagner", "Mehmet Aksoy", "Karin Schulze",
    "Jana Dvořák", "Abdullah Rahmani", "Ines Marquardt", "Robert Nowicki", "Ebru Kılıç",
    "Christoph Vetter", "Mira Hamdan", "Hans-Peter Gross", "Svetlana Kuznetsova",
    "Ahmad Sharifi", "Doris Kaiser", "Luca Bianchi", "Waltraud Engelmann", "Yusuf Ateş",
    "Franziska Sturm", "Bogdan Ionescu", "Sophie Lindner",
)  # fmt: skip

# --- committees and meetings -----------------------------------------------------------


class CommitteeSpec(NamedTuple):
    name: str
    kind: str
    purpose: str
    rhythm: str
    shared: bool
    members: tuple[tuple[str, str], ...]  # (institution key, MemberRole)
    place: str
    weekday: int  # 0 = Monday
    time: datetime.time
    cadence: tuple[int, int] | None = None  # days between meetings, and one ahead
    days_ago: tuple[int, ...] = ()  # or fixed days in the past year
    topics: tuple[tuple[str, str], ...] = ()  # (agenda item, what the minutes say)
    goals: tuple[str, ...] = ()
    measures: tuple[tuple[str, str], ...] = ()  # (what, institution key)


R = MemberRole
COMMITTEES = (
    CommitteeSpec(
        "Bündnis-Kerngruppe Integration Lindenau",
        CommitteeKind.CORE_GROUP,
        "Steuert das Bündnis: legt Prioritäten fest, koordiniert die Bedarfserhebung und "
        "plant lokale Angebote für junge volljährige Geflüchtete und Neuzugewanderte.",
        "alle 6 bis 8 Wochen",
        True,
        (
            ("kis", R.ORGANISER),
            ("jc", R.CHAIR),
            ("aa", R.DEPUTY),
            ("abh", R.MEMBER),
            ("mbe_caritas", R.MEMBER),
            ("sozialamt", R.MEMBER),
            ("jugendamt", R.MEMBER),
            ("vhs", R.MEMBER),
            ("ihk", R.GUEST),
            ("bbs", R.GUEST),
        ),
        "Kreishaus Lindenau, Sitzungssaal 2",
        1,
        datetime.time(9, 30),
        cadence=(42, 56),
        topics=(
            ("Bericht der Geschäftsstelle", "Die Geschäftsstelle berichtete über neue Kontakte."),
            (
                "Stand der Bedarfsumfrage",
                "Der Rücklauf liegt bei gut 200 Fragebögen; die Auswertung folgt.",
            ),
            (
                "Schnittstellenpapier: Rückmeldungen",
                "Mehrere Kontaktdaten waren veraltet und werden aktualisiert.",
            ),
            (
                "Kinderbetreuung während der Sprachkurse",
                "Es fehlen vor allem Plätze für Kinder unter drei Jahren.",
            ),
            (
                "Wartezeiten auf Integrationskurse",
                "Die Wartezeit beträgt im Norden des Kreises bis zu vier Monate.",
            ),
            (
                "Junge Volljährige im Übergang Schule – Beruf",
                "Nach dem VABO verlieren wir viele aus dem Blick; ein Übergabeverfahren ist nötig.",
            ),
            (
                "Wohnraum für anerkannte Geflüchtete",
                "Rund 60 anerkannte Geflüchtete leben weiter in Gemeinschaftsunterkünften.",
            ),
            (
                "Vorbereitung des Regionalworkshops",
                "Einladungsliste und Tagesordnung wurden abgestimmt.",
            ),
        ),
        goals=(
            "Niemand wartet länger als drei Monate auf einen Integrationskurs.",
            "Alle Partner arbeiten mit demselben aktuellen Schnittstellenpapier.",
            "Eltern kleiner Kinder können einen Sprachkurs mit Kinderbetreuung besuchen.",
            "Junge Volljährige werden beim Übergang aus der Schule verlässlich übergeben.",
            "Anerkannte Geflüchtete finden schneller eine eigene Wohnung.",
            "Die Ergebnisse der Bedarfsumfrage fließen in die Angebotsplanung ein.",
        ),
        measures=(
            ("Wartezeiten auf Integrationskurse bei allen Trägern abfragen", "bamf"),
            ("Entwurf des Schnittstellenpapiers an die Kerngruppe senden", "kis"),
            ("Sprechstunde der Ausländerbehörde im Jobcenter einrichten", "abh"),
            ("Fragebogen der Bedarfsumfrage in fünf Sprachen übersetzen lassen", "kis"),
            ("Ansprechperson für junge Volljährige in jeder Einrichtung benennen", "jugendamt"),
            ("Liste der Kursplätze mit Kinderbetreuung an alle Beratungsstellen senden", "vhs"),
            ("Übergabebogen VABO – Jugendberufshilfe entwerfen", "jugendamt"),
            ("Freie Wohnungen der Kreiswohnbau monatlich an das Sozialamt melden", "sozialamt"),
            (
                "Flyer „Erste Schritte im Landkreis“ auf Arabisch, Ukrainisch und Dari",
                "mbe_caritas",
            ),
            ("Termin mit dem Verwaltungsvorstand zur Wohnraumfrage vereinbaren", "kis"),
            ("Übersicht der Berufssprachkurse mit Startterminen erstellen", "vhs"),
            ("Auswertung der Bedarfsumfrage in der Kerngruppe vorstellen", "kis"),
            ("Infoveranstaltung für Arbeitgeber zur Beschäftigungserlaubnis planen", "aa"),
            ("Zuweisungen in Berufssprachkurse für das Halbjahr abstimmen", "jc"),
            ("Bedarf an Kitaplätzen für Kursteilnehmende beziffern", "jugendamt"),
            ("Einladung zum Regionalworkshop versenden", "kis"),
        ),
    ),
    CommitteeSpec(
        "AG Arbeitsmarktintegration",
        CommitteeKind.WORKING_GROUP,
        "Bringt Arbeitgeber, Kammern und Vermittlung zusammen; bespricht auch Stellen "
        "einzelner Betriebe und bleibt deshalb intern.",
        "vierteljährlich",
        False,
        (
            ("jc", R.CHAIR),
            ("kis", R.ORGANISER),
            ("aa", R.MEMBER),
            ("ihk", R.MEMBER),
            ("hwk", R.MEMBER),
            ("khs", R.MEMBER),
            ("uv", R.MEMBER),
            ("iq", R.MEMBER),
            ("welcome", R.MEMBER),
            ("bwl", R.MEMBER),
            ("klinikum", R.GUEST),
        ),
        "Jobcenter Lindenau, Raum 104",
        3,
        datetime.time(14, 0),
        days_ago=(340, 250, 160, 70),
        topics=(
            ("Fachkräftebedarf der Betriebe", "Gesucht werden vor allem Pflege, Lager und Bau."),
            ("Anerkennung in der Pflege", "Zwölf Pflegekräfte warten auf einen Defizitbescheid."),
            ("Einstiegsqualifizierung", "Das Handwerk bietet acht EQ-Plätze ab Herbst an."),
            ("Jobmesse im Herbst", "Die Stadthalle ist reserviert; 30 Betriebe haben zugesagt."),
            ("Berufssprachkurse und Arbeitszeiten", "Abendkurse fehlen für Beschäftigte."),
        ),
        goals=(
            "Jeder Betrieb mit Interesse hat eine feste Ansprechperson.",
            "Pflegekräfte mit ausländischem Abschluss arbeiten binnen eines Jahres im Beruf.",
            "Mehr junge Geflüchtete beginnen eine Ausbildung im Handwerk.",
        ),
        measures=(
            ("Betriebe für Praktika im Herbst ansprechen", "uv"),
            ("Teilqualifizierung Lager und Logistik ausschreiben", "bwl"),
            ("Jobmesse „Arbeit im Lindenauer Land“ vorbereiten", "jc"),
            ("Anerkennungsfälle Pflege mit dem Klinikum sichten", "iq"),
            ("Ausbildungsplätze im Handwerk mit Sprachförderung sammeln", "hwk"),
            ("Leitfaden für Arbeitgeber zur Fachkräfteeinwanderung abstimmen", "welcome"),
            ("Einstiegsqualifizierungen in Innungsbetrieben bewerben", "khs"),
            ("Abendkurs Berufssprache bei den Trägern anfragen", "aa"),
            ("Willkommenslotsen der IHK in die AG einladen", "ihk"),
        ),
    ),
    CommitteeSpec(
        "Regionalworkshop Arbeitsmarktintegration",
        CommitteeKind.WORKSHOP,
        "Alle Regelinstitutionen an einem Tisch: Aufgaben und Zuständigkeiten kennenlernen, "
        "gemeinsame Ziele festlegen und das Schnittstellenpapier erarbeiten.",
        "zweimal im Jahr",
        True,
        tuple(
            (key, R.ORGANISER if key == "kis" else R.MEMBER)
            for key in (
                "kis",
                "aa",
                "jc",
                "bamf",
                "abh",
                "mbe_caritas",
                "mbe_awo",
                "jmd",
                "sozialamt",
                "jugendamt",
                "gesundheitsamt",
                "vhs",
                "lingua",
                "ihk",
                "hwk",
                "iq",
                "welcome",
                "caritas",
                "diakonie",
                "awo",
                "bbs",
                "kita",
                "syr_verein",
            )
        ),
        "Volkshochschule Lindenau, großer Saal",
        2,
        datetime.time(9, 0),
        days_ago=(290, 110),
        topics=(
            ("Wer macht was? Vorstellung der Institutionen", "Alle stellten ihre Aufgaben vor."),
            ("Matrix der Zuständigkeiten", "Die Matrix wurde in Gruppen ergänzt."),
            ("Fallbeispiele aus der Praxis", "An drei Fällen wurden Lücken sichtbar."),
            ("Schnittstellenpapier", "Der Entwurf wurde mit kleinen Änderungen angenommen."),
        ),
        goals=(
            "Kurze Dienstwege: Alle kennen die Ansprechpersonen der anderen Institutionen.",
            "Ein gemeinsames Schnittstellenpapier mit Zuständigkeiten und Kontakten.",
        ),
        measures=(
            ("Matrix der Zuständigkeiten ergänzen und an alle senden", "kis"),
            ("Kontaktliste der Teilnehmenden aktualisieren", "kis"),
            ("Hospitationen zwischen Jobcenter und Ausländerbehörde organisieren", "jc"),
            ("Mehrsprachige Wegweiser zu den Beratungsstellen erstellen", "mbe_awo"),
            ("Fallbesprechung zu jungen Volljährigen im Übergang organisieren", "jmd"),
            ("Gesundheitsinformationen in leichter Sprache sammeln", "gesundheitsamt"),
        ),
    ),
)

# The statuses of the measures today, drawn in turn so that every status is
# there: most of those due by now are done, some dropped, some overdue.
PAST_DUE = (*[MeasureStatus.DONE] * 5, MeasureStatus.DROPPED, *PENDING)
NOT_DUE = (*PENDING, *PENDING, MeasureStatus.DONE)
NOTES = {
    MeasureStatus.OPEN: (
        "Erinnerung verschickt, noch keine Rückmeldung.",
        "Noch nicht begonnen, die zuständige Stelle ist vertretungsweise besetzt.",
    ),
    MeasureStatus.IN_PROGRESS: (
        "Erste Gespräche geführt, Rückmeldungen stehen noch aus.",
        "Ein Entwurf liegt vor und wird mit den Partnern abgestimmt.",
        "Die Hälfte der Träger hat geantwortet.",
    ),
    MeasureStatus.DONE: (
        "Erledigt und in der Kerngruppe berichtet.",
        "Ergebnis an alle Partner verschickt.",
        "Umgesetzt; läuft seitdem ohne Probleme.",
    ),
    MeasureStatus.DROPPED: (
        "Nicht weiterverfolgt: Das Land hat ein eigenes Programm aufgelegt.",
        "Zurückgestellt, weil die Stelle beim Träger unbesetzt ist.",
    ),
}

# --- cooperation agreements ---------------------------------------------------------------

# (subject, parties, signed days ago, valid until in days from today or None, notes)
AGREEMENTS = (
    (
        "Kooperationsvereinbarung zur Arbeitsmarktintegration Geflüchteter",
        ("jc", "aa", "kis", "abh"),
        700,
        45,
        "Verlängerung wird in der Kerngruppe vorbereitet.",
    ),
    (
        "Verfahrensabsprache zu Beschäftigungserlaubnissen",
        ("abh", "aa"),
        1100,
        -30,
        "Abgelaufen; ein Nachfolgeentwurf liegt bei der Ausländerbehörde.",
    ),
    (
        "Vereinbarung Jugendberufsagentur Lindenau",
        ("jc", "aa", "jugendamt", "bbs"),
        540,
        None,
        "Gilt unbefristet; jährliche Auswertung im Frühjahr.",
    ),
    (
        "Rahmenvereinbarung Kinderbetreuung während der Sprachkurse",
        ("vhs", "kita", "jugendamt"),
        240,
        490,
        "",
    ),
    (
        "Vereinbarung zur Anerkennungsberatung im Handwerk und in der Industrie",
        ("iq", "ihk", "hwk"),
        380,
        350,
        "Gemeinsame Sprechtage im Jobcenter.",
    ),
)

# --- integration steps ------------------------------------------------------------------

# One row per default step, in their order: (institution key, contact, how to reach them).
RESPONSIBILITIES = (
    (
        ("kis", 0, "Telefon und E-Mail Mo–Fr 8–16 Uhr, Termine auch in Birkenbach"),
        ("mbe_caritas", 1, "offene Sprechstunde Di 9–12 Uhr, ohne Termin"),
        ("stadt_birkenbach", 1, "Bürgerbüro Mo–Fr 8–12 Uhr, Do bis 18 Uhr"),
    ),
    (
        ("bamf", 1, "Regionalkoordination per E-Mail, Antwort binnen drei Werktagen"),
        ("vhs", 2, "Einstufung jeden Mi 14–16 Uhr ohne Termin"),
        ("lingua", 1, "Kursberatung Mo–Do 9–17 Uhr"),
    ),
    (
        ("bamf", 2, "Berufssprachkurse: Anfrage über das Jobcenter oder per E-Mail"),
        ("vhs", 1, "Beratung zu Berufssprachkursen nach Termin"),
        ("jc", 2, "über die Integrationsfachkraft, Termin im Jobcenter"),
    ),
    (
        ("iq", 1, "nach Termin, auch per Video; Sprechtag im Jobcenter jeden 1. Do"),
        ("ihk", 1, "IHK FOSA: Beratung Di und Do 9–12 Uhr"),
        ("hwk", 1, "Anerkennungsberatung nach Termin"),
    ),
    (
        ("mbe_caritas", 1, "offene Sprechstunde Di 9–12 Uhr"),
        ("mbe_awo", 1, "Sprechstunde in Birkenbach Do 13–16 Uhr"),
        ("jmd", 1, "für 12- bis 27-Jährige: offene Sprechstunde Mi 14–17 Uhr"),
    ),
    (
        ("aa", 1, "Terminvereinbarung online oder am Empfang"),
        ("jc", 1, "Integrationsfachkraft nach Termin; Eingangszone Mo–Fr 8–12 Uhr"),
    ),
    (
        ("aa", 2, "Berufsberatung: Sprechstunden in den Berufsschulen"),
        ("hwk", 2, "Lehrstellenbörse, Ausbildungsberatung nach Termin"),
        ("bbs", 1, "Anmeldung zum VABO im Sekretariat Mo–Fr 7.30–12 Uhr"),
    ),
    (
        ("jc", 1, "Eingangszone Mo–Fr 8–12 Uhr, Do bis 18 Uhr"),
        ("sozialamt", 1, "AsylbLG: Sprechzeiten Mo, Di und Do 8–12 Uhr"),
    ),
    (("abh", 1, "nur mit Termin (online); in dringenden Fällen Mo 8–10 Uhr"),),
    (
        ("jugendamt", 1, "Kitaplatz-Anmeldung online oder Mi 9–12 Uhr"),
        ("kita", 1, "Kita-Einstieg: Beratung nach Termin"),
    ),
    (
        ("sozialamt", 2, "Wohnraumvermittlung nach Termin"),
        ("wohnbau", 1, "Mieterservice Mo–Do 9–15 Uhr"),
    ),
)
# Added after the first interface paper was issued: the next version would show it.
LATER_RESPONSIBILITY = (5, "welcome", 0, "Beratung für Arbeitgeber und Fachkräfte nach Termin")
PAPER_ISSUED_DAYS_AGO = 110

# --- offers -----------------------------------------------------------------------------

RUNNING, SOON, ONGOING, ENDED = "running", "soon", "ongoing", "ended"
COURSE_FEE = "2,29 € je Unterrichtseinheit (Befreiung möglich)"


class OfferRow(NamedTuple):
    title: str
    area: str
    provider: str
    schedule: str
    target_groups: str
    capacity: int | None = None
    languages: tuple[str, ...] = ("de",)
    cost: str = ""
    childcare: bool = False
    level: str = ""
    when: str = ONGOING
    place: str = ""  # empty: the provider's address
    description: str = ""


A = SupportArea
OFFERS = (
    # Integration courses
    OfferRow("Allgemeiner Integrationskurs (Vormittag)", A.INTEGRATION_COURSE, "vhs",
      "Mo–Fr 8:30–11:45", "Neuzugewanderte mit Berechtigung oder Verpflichtung", 20,
      cost=COURSE_FEE, when=RUNNING),
    OfferRow("Elternintegrationskurs mit Kinderbetreuung", A.INTEGRATION_COURSE, "vhs",
      "Mo–Do 9:00–12:15", "Mütter und Väter mit kleinen Kindern", 15, cost=COURSE_FEE,
      childcare=True, when=RUNNING,
      place="VHS-Außenstelle Birkenbach, Rathausplatz 2, 05240 Birkenbach"),
    OfferRow("Frauenintegrationskurs", A.INTEGRATION_COURSE, "lingua", "Mo–Do 9:00–12:15", "Frauen",
      16, cost=COURSE_FEE, childcare=True, when=SOON),
    OfferRow("Jugendintegrationskurs", A.INTEGRATION_COURSE, "vhs", "Mo–Fr 8:30–13:00",
      "junge Erwachsene bis 27 Jahre", 18, cost=COURSE_FEE, when=RUNNING),
    OfferRow("Integrationskurs mit Alphabetisierung", A.INTEGRATION_COURSE, "vhs",
      "Mo–Fr 8:30–11:45", "Menschen, die nicht oder kaum lesen und schreiben können", 12,
      ("de", "ar", "fa"), cost=COURSE_FEE, when=RUNNING),
    OfferRow("Zweitschriftlernerkurs", A.INTEGRATION_COURSE, "sprachinstitut", "Di–Fr 9:00–12:15",
      "Menschen, die eine andere als die lateinische Schrift gelernt haben", 14, cost=COURSE_FEE,
      when=ENDED),
    OfferRow("Intensivkurs Integration", A.INTEGRATION_COURSE, "lingua", "Mo–Fr 13:00–17:00",
      "Lerngewohnte mit Vorkenntnissen", 16, cost=COURSE_FEE, when=SOON),
    OfferRow("Abendintegrationskurs für Berufstätige", A.INTEGRATION_COURSE, "lingua",
      "Mo–Do 18:00–21:15", "Berufstätige", 18, cost=COURSE_FEE, when=RUNNING),
    # Language courses
    OfferRow("Deutsch A1 – Einstieg", A.LANGUAGE, "vhs", "Di und Do 18:00–19:30",
      "Anfängerinnen und Anfänger ohne Kursberechtigung", 14, cost="85 € (Kostenübernahme möglich)",
      level="A1", when=RUNNING),
    OfferRow("Deutsch A2 am Vormittag", A.LANGUAGE, "vhs", "Mo und Mi 9:00–11:15",
      "Erwachsene mit Grundkenntnissen", 14, cost="85 € (Kostenübernahme möglich)", level="A2",
      when=RUNNING, place="VHS-Außenstelle Birkenbach, Rathausplatz 2, 05240 Birkenbach"),
    OfferRow("Deutsch B1 – Vorbereitung auf den DTZ", A.LANGUAGE, "vhs", "Sa 9:00–13:00",
      "Teilnehmende vor der Prüfung Deutsch-Test für Zuwanderer", 16, level="B1", when=SOON),
    OfferRow("Berufssprachkurs B2", A.LANGUAGE, "vhs", "Mo–Fr 8:30–12:45",
      "Arbeitsuchende und Beschäftigte mit B1", 20, level="B2", when=RUNNING),
    OfferRow("Berufssprachkurs C1", A.LANGUAGE, "vhs", "Mo–Do 17:00–20:15",
      "Beschäftigte und Akademikerinnen und Akademiker mit B2", 16, level="C1", when=SOON),
    OfferRow("Berufssprachkurs B2 Pflege", A.LANGUAGE, "lingua", "Mo–Do 13:30–17:30",
      "Pflegekräfte im Anerkennungsverfahren", 15, level="B2", when=RUNNING),
    OfferRow("Deutsch A1 mit Erklärungen auf Ukrainisch und Russisch", A.LANGUAGE, "sprachinstitut",
      "Mo, Mi und Fr 9:00–11:15", "Geflüchtete aus der Ukraine", 16, ("de", "uk", "ru"),
      cost="60 € (Kostenübernahme möglich)", level="A1", when=ENDED),
    OfferRow("Deutsch A2 – Abendkurs", A.LANGUAGE, "sprachinstitut", "Di und Do 18:30–20:45",
      "Berufstätige", 12, cost="120 €", level="A2", when=RUNNING),
    OfferRow("Deutsch B1 intensiv", A.LANGUAGE, "lingua", "Mo–Fr 9:00–13:00",
      "Arbeitsuchende mit A2", 14, cost="390 € (Bildungsgutschein möglich)", level="B1", when=SOON),
    OfferRow("Deutsch B2 – Konversation", A.LANGUAGE, "sprachinstitut", "Mi 18:00–19:30",
      "alle mit B1, die sicherer sprechen möchten", 10, cost="95 €", level="B2", when=RUNNING),
    OfferRow("Deutsch C1 für Studium und Beruf", A.LANGUAGE, "lingua", "Di und Do 17:30–20:30",
      "Akademikerinnen und Akademiker", 12, cost="450 € (Kostenübernahme möglich)", level="C1",
      when=RUNNING),
    OfferRow("Sprachförderung im VABO", A.LANGUAGE, "bbs", "Mo–Fr 7:45–13:00",
      "schulpflichtige Jugendliche ohne Deutschkenntnisse (16 bis 20 Jahre)", 18, level="A1"),
    OfferRow("Deutsch am Arbeitsplatz: Lager und Logistik", A.LANGUAGE, "bwl",
      "Mo und Mi 15:00–17:00", "Beschäftigte in Logistikbetrieben", 10, level="A2", when=RUNNING),
    OfferRow("Sprachcafé", A.LANGUAGE, "bibliothek", "Do 16:00–18:00",
      "alle, die Deutsch üben möchten", None, ("de", "en", "ar", "uk")),
    OfferRow("Deutsch B1 für Frauen mit Kinderbetreuung", A.LANGUAGE, "fbs", "Di und Do 9:00–11:15",
      "Frauen mit kleinen Kindern", 10, cost="40 € (Kostenübernahme möglich)", childcare=True,
      level="B1", when=RUNNING),
    OfferRow("Lernwerkstatt Deutsch", A.LANGUAGE, "syr_verein", "Mi 17:00–19:00",
      "Teilnehmende an Integrationskursen", 12, ("de", "ar", "ku")),
    # Counselling
    OfferRow("Migrationsberatung für Erwachsene", A.COUNSELLING, "mbe_caritas",
      "Di 9:00–12:00 ohne Termin, sonst nach Vereinbarung", "Zugewanderte ab 27 Jahren", None,
      ("de", "ar", "ku", "en")),
    OfferRow("Migrationsberatung für Erwachsene in Birkenbach", A.COUNSELLING, "mbe_awo",
      "Do 13:00–16:00 und nach Termin", "Zugewanderte ab 27 Jahren", None, ("de", "ru", "uk")),
    OfferRow("Beratung des Jugendmigrationsdienstes", A.COUNSELLING, "jmd",
      "Mi 14:00–17:00 und nach Termin", "junge Menschen von 12 bis 27 Jahren", None,
      ("de", "en", "fa", "ar")),
    OfferRow("Asylverfahrensberatung", A.COUNSELLING, "caritas", "Mo 10:00–13:00", "Asylsuchende",
      None, ("de", "ar", "fa", "en", "fr")),
    OfferRow("Sozialberatung in der Gemeinschaftsunterkunft", A.COUNSELLING, "drk",
      "Mo–Fr 9:00–15:00", "Bewohnerinnen und Bewohner der Unterkunft", None,
      ("de", "ar", "ti", "so"),
      place="Gemeinschaftsunterkunft Lindenau, Am Sportplatz 3, 05210 Lindenau"),
    OfferRow("Familienberatung mehrsprachig", A.COUNSELLING, "awo", "nach Termin", "Familien", None,
      ("de", "tr", "ar")),
    OfferRow("Beratung für internationale Fachkräfte", A.COUNSELLING, "welcome",
      "Mo–Fr nach Termin, auch per Video", "Fachkräfte aus dem Ausland und ihre Arbeitgeber", None,
      ("de", "en", "es")),
    # Recognition
    OfferRow("Anerkennungsberatung", A.RECOGNITION, "iq",
      "nach Termin; Sprechtag im Jobcenter jeden 1. Donnerstag",
      "Menschen mit ausländischem Berufs- oder Studienabschluss", None,
      ("de", "en", "ar", "ru", "uk")),
    OfferRow("Anpassungsqualifizierung Pflege", A.RECOGNITION, "iq", "Mo–Fr 8:00–15:00",
      "Pflegekräfte mit Defizitbescheid", 12, when=RUNNING,
      place="Kreisklinikum Lindenau, Klinikweg 10, 05210 Lindenau"),
    OfferRow("Sprechtag Anerkennung im Handwerk", A.RECOGNITION, "hwk",
      "jeden 2. Mittwoch 14:00–17:00",
      "Handwerkerinnen und Handwerker mit ausländischem Abschluss"),
    # Qualification and training
    OfferRow("Teilqualifizierung Fachlagerist/in", A.QUALIFICATION, "bwl", "Mo–Fr 8:00–15:30",
      "Arbeitsuchende mit Deutsch ab B1", 12, cost="Bildungsgutschein", when=RUNNING),
    OfferRow("Ausbildung Pflegehilfe mit Sprachförderung", A.QUALIFICATION, "klinikum",
      "Vollzeit, 12 Monate", "Interessierte mit Deutsch ab B1", 20, when=SOON),
    OfferRow("Assistierte Ausbildung flexibel (AsA flex)", A.QUALIFICATION, "ib",
      "begleitend zur Ausbildung, nach Absprache", "Auszubildende und ihre Betriebe", 25),
    OfferRow("Einstiegsqualifizierung im Handwerk", A.QUALIFICATION, "khs",
      "6 bis 12 Monate im Betrieb", "junge Geflüchtete ohne Ausbildungsplatz", 15, when=RUNNING),
    OfferRow("Berufsorientierung für junge Zugewanderte", A.QUALIFICATION, "ib",
      "Mo–Fr 8:00–14:00, 13 Wochen", "junge Erwachsene bis 27 Jahre", 12, when=ENDED),
    OfferRow("Umschulung Berufskraftfahrer/in mit Sprachförderung", A.QUALIFICATION, "bwl",
      "Vollzeit, 18 Monate", "Arbeitsuchende mit Deutsch ab B1", 10, cost="Bildungsgutschein",
      when=SOON),
    # Applications and job search
    OfferRow("Bewerbungswerkstatt", A.APPLICATION, "jc", "Di 9:00–12:00",
      "Kundinnen und Kunden des Jobcenters", 10, ("de", "ar", "uk"),
      place="Jobcenter Lindenau, Raum 104, Bahnhofstraße 32, 05210 Lindenau"),
    OfferRow("Bewerbungstraining für Frauen", A.APPLICATION, "fbs", "Mi 9:30–11:30",
      "Frauen mit Kindern", 8, childcare=True, when=RUNNING),
    OfferRow("Lebenslauf-Sprechstunde", A.APPLICATION, "freundeskreis", "Sa 10:00–12:00",
      "alle, die Hilfe bei Bewerbungen brauchen", None, ("de", "en", "ar")),
    OfferRow("Vorbereitung auf Vorstellungsgespräche", A.APPLICATION, "aa", "Do 14:00–16:00",
      "Arbeitsuchende", 12, when=RUNNING,
      place="Berufsinformationszentrum, Bahnhofstraße 30, 05210 Lindenau"),
    # Work and internships
    OfferRow("Jobmesse „Arbeit im Lindenauer Land“", A.WORK, "uv", "einmal im Jahr, 10:00–15:00",
      "Arbeitsuchende und Betriebe", 400, ("de", "en"), when=ENDED,
      place="Stadthalle Lindenau, Am Stadtpark 3, 05210 Lindenau"),
    OfferRow("Praktikumsbörse im Handwerk", A.WORK, "hwk", "laufend, Vermittlung nach Termin",
      "Interessierte an einem Praktikum im Handwerk", 30),
    OfferRow("Vermittlung in Helfertätigkeiten", A.WORK, "aa", "nach Termin",
      "Arbeitsuchende ohne anerkannten Abschluss"),
    OfferRow("Betriebsbesuche für Zugewanderte", A.WORK, "uv", "monatlich, donnerstags 10:00–12:00",
      "Arbeitsuchende und Kursteilnehmende", 15, when=RUNNING),
    # Mentoring
    OfferRow("Tandem für Arbeit", A.MENTORING, "kis", "nach Vereinbarung im Tandem",
      "arbeitsuchende Zugewanderte", 40, ("de", "en", "ar", "uk", "fa"),
      description="Ehrenamtliche Mentorinnen und Mentoren begleiten sechs Monate lang."),
    OfferRow("Patenschaften für Familien", A.MENTORING, "freundeskreis", "nach Vereinbarung",
      "neu zugezogene Familien", 25),
    OfferRow("Ausbildungspatenschaften", A.MENTORING, "diakonie", "nach Vereinbarung",
      "Auszubildende mit Fluchtgeschichte", 15),
    # Childcare
    OfferRow("Kinderbetreuung während der Sprachkurse", A.CHILDCARE, "kita",
      "parallel zu den Vormittagskursen der VHS", "Kinder von 1 bis 6 Jahren der Kursteilnehmenden",
      12, when=RUNNING, place="Kita Sonnenschein, Schulstraße 6, 05210 Lindenau"),
    OfferRow("Kita-Einstieg: Spielgruppe", A.CHILDCARE, "kita", "Mo und Mi 9:00–11:30",
      "Familien mit Kindern von 1 bis 3 Jahren ohne Kitaplatz", 10),
    OfferRow("Eltern-Kind-Gruppe mehrsprachig", A.CHILDCARE, "fbs", "Fr 9:30–11:00",
      "Eltern mit Kindern unter 3 Jahren", 10, ("de", "ar", "uk", "tr"), cost="3 € je Termin"),
    # Health
    OfferRow("Psychosoziale Beratung für Geflüchtete", A.HEALTH, "psz",
      "nach Termin, mit Sprachmittlung", "Geflüchtete mit psychischer Belastung", 30,
      ("de", "ar", "fa", "ti", "uk")),
    OfferRow("Impfberatung und Gesundheitssprechstunde", A.HEALTH, "gesundheitsamt",
      "Mi 14:00–16:00", "Neuzugewanderte", None, ("de", "en", "ar")),
    OfferRow("Gesundheitsabende auf Ukrainisch und Russisch", A.HEALTH, "ukr_verein",
      "monatlich, Di 18:00–20:00", "Geflüchtete aus der Ukraine", 30, ("uk", "ru"), when=ENDED),
    # Finances, authorities, leisure
    OfferRow("Schuldner- und Insolvenzberatung", A.FINANCES, "diakonie",
      "nach Termin, Wartezeit etwa sechs Wochen", "überschuldete Haushalte", 8),
    OfferRow("Begleitung zu Ämtern", A.AUTHORITIES, "afg_frauen", "nach Absprache",
      "Frauen, die Hilfe bei Behördengängen brauchen", None, ("de", "fa", "ps")),
    OfferRow("Interkultureller Frauentreff", A.LEISURE, "afg_frauen", "Fr 15:00–17:00",
      "Frauen jeder Herkunft", 20, ("de", "fa", "ps", "ar"), childcare=True),
)  # fmt: skip

# --- needs ----------------------------------------------------------------------------

SURVEY = "Bedarfsumfrage der Kreisintegrationsstelle (Fragebogen in sechs Sprachen)"
SURVEY_DAYS_AGO = 75
# (area, target group, number of people, source or the survey)
NEEDS = (
    (A.CHILDCARE, "Frauen mit Kindern unter 3 Jahren", 38, ""),
    (A.CHILDCARE, "Alleinerziehende in Integrationskursen", 17, ""),
    (A.LANGUAGE, "junge Volljährige (18 bis 27 Jahre)", 46, ""),
    (A.LANGUAGE, "Berufstätige im Schichtdienst", 29, ""),
    (A.INTEGRATION_COURSE, "Neuzugewanderte ohne Kursplatz", 52, ""),
    (A.HOUSING, "anerkannte Geflüchtete in Gemeinschaftsunterkünften", 64, ""),
    (A.HOUSING, "Familien mit vier und mehr Kindern", 12, ""),
    (A.HEALTH, "Menschen mit psychischer Belastung nach der Flucht", 23, ""),
    (A.HEALTH, "Familien ohne Kinderarztpraxis", 15, ""),
    (A.FINANCES, "Haushalte mit Schulden", 19, ""),
    (A.RECOGNITION, "Pflegekräfte mit ausländischem Abschluss", 14, ""),
    (A.QUALIFICATION, "junge Volljährige ohne Ausbildungsplatz", 31, "Abfrage in den VABO-Klassen"),
    (A.AUTHORITIES, "Ältere Zugewanderte über 55 Jahre", 11, ""),
    (A.LEISURE, "Jugendliche am Wochenende", 20, "Abfrage in den VABO-Klassen"),
)  # fmt: skip


# --- builders ---------------------------------------------------------------------------


@dataclass
class Demo:
    organisation: Organisation
    author: User  # the network coordinator, who keeps the records
    today: datetime.date
    rng: random.Random
    institutions: dict[str, Institution] = field(default_factory=dict)
    contacts: dict[str, list[ContactPerson]] = field(default_factory=dict)
    statuses: dict[bool, Iterator[str]] = field(default_factory=dict)  # by "due by now"

    def contact(self, key: str, index: int = 0) -> ContactPerson:
        people = self.contacts[key]
        return people[min(index, len(people) - 1)]


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2027)  # noqa: S311 - demo data, not security  # nosec B311
    demo = Demo(organisation, _network_coordinator(organisation), timezone.localdate(), rng)
    demo.statuses = {True: _endless(PAST_DUE, rng), False: _endless(NOT_DUE, rng)}
    _institutions(demo)
    for spec in COMMITTEES:
        _committee(demo, spec)
    _agreements(demo)
    _interface_paper(demo)
    _offers(demo)
    _needs(demo)


def _network_coordinator(organisation: Organisation) -> User:
    coordinators = Membership.objects.filter(
        organisation=organisation, role=Role.COORDINATOR
    ).select_related("user")
    chosen = coordinators.filter(user__email=NETWORK_COORDINATOR).first()
    return (chosen or coordinators.order_by("pk").first()).user


def _phone(number: int) -> str:
    return f"030 23125 {number:03d}"


def _email(name: str, host: str) -> str:
    local = ".".join(anyascii(name).lower().replace("'", "").split())
    return f"{local}@{host}"


def _endless(items: Sequence, rng: random.Random) -> Iterator:
    """The items in a shuffled order, again and again."""
    while True:
        batch = list(items)
        rng.shuffle(batch)
        yield from batch


def _day_between(first: datetime.date, last: datetime.date, rng) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _institutions(demo: Demo) -> None:
    rng = demo.rng
    created = Institution.objects.bulk_create(
        Institution(
            organisation=demo.organisation,
            name=spec.name,
            short_name=spec.short_name,
            domain=spec.domain,
            kind=spec.kind,
            street=spec.street,
            postcode=POSTCODES[spec.town],
            town=spec.town,
            website=f"https://www.{spec.host}{spec.path}",
            phone=_phone(100 + number * 10),
            email=f"{spec.mailbox}@{spec.host}",
            mandate=spec.mandate,
            tasks=spec.tasks,
            cooperates=spec.key in CORE_GROUP or rng.random() < 0.5,
            core_group=CORE_GROUP.get(spec.key, CoreGroup.NONE),
            extended_forums=rng.random() < 0.3,
            contributions=spec.contributions,
        )
        for number, spec in enumerate(INSTITUTIONS)
    )
    demo.institutions = {spec.key: item for spec, item in zip(INSTITUTIONS, created, strict=True)}
    names = list(CONTACT_NAMES)
    rng.shuffle(names)
    people = iter(names)
    rows = []
    for number, spec in enumerate(INSTITUTIONS):
        given = FIXED_CONTACTS.get(spec.key)
        if given is None:
            count = rng.randint(2, 3) if spec.key in CORE_GROUP else rng.randint(1, 3)
            given = [
                (next(people), FUNCTIONS[spec.kind][index], index == 0 and rng.random() < 0.8, "")
                for index in range(count)
            ]
        for index, (name, function, can_decide, email) in enumerate(given):
            rows.append(
                ContactPerson(
                    organisation=demo.organisation,
                    institution=demo.institutions[spec.key],
                    name=name,
                    function=function,
                    phone=_phone(100 + number * 10 + index + 1),
                    email=email or _email(name, spec.host),
                    can_decide=can_decide,
                )
            )
    keys = {institution.pk: key for key, institution in demo.institutions.items()}
    demo.contacts = {spec.key: [] for spec in INSTITUTIONS}
    for contact in ContactPerson.objects.bulk_create(rows):
        demo.contacts[keys[contact.institution_id]].append(contact)


# --- committees and meetings


def _committee(demo: Demo, spec: CommitteeSpec) -> None:
    committee = Committee.objects.create(
        organisation=demo.organisation,
        name=spec.name,
        kind=spec.kind,
        purpose=spec.purpose,
        rhythm=spec.rhythm,
        shared_with_partners=spec.shared,
    )
    members = [(demo.institutions[key], demo.contact(key), role) for key, role in spec.members]
    CommitteeMember.objects.bulk_create(
        CommitteeMember(
            organisation=demo.organisation,
            committee=committee,
            institution=institution,
            contact=contact,
            role=role,
        )
        for institution, contact, role in members
    )
    days = _meeting_days(spec, demo.today, demo.rng)
    # Meetings don't agree the same goal or measure twice in a row.
    goals, measures = _endless(spec.goals, demo.rng), _endless(spec.measures, demo.rng)
    for index, day in enumerate(days):
        topics = demo.rng.sample(spec.topics, min(3, len(spec.topics)))
        meeting = NetworkMeeting.objects.create(
            organisation=demo.organisation,
            committee=committee,
            held_on=day,
            starts_at=spec.time,
            place=spec.place,
            agenda=_agenda([item for item, _outcome in topics]),
        )
        if day < demo.today:
            following = days[index + 1] if index + 1 < len(days) else None
            _attendance_and_minutes(demo, meeting, members, topics, following)
            _goals_and_measures(demo, meeting, goals, measures)


def _meeting_days(spec: CommitteeSpec, today, rng) -> list[datetime.date]:
    """The meeting days of the past year (and for a committee with a cadence,
    the next one), on the committee's weekday."""
    if spec.cadence:
        days, day = [], today - datetime.timedelta(days=350)
        while True:
            day = _on_weekday(day, spec.weekday)
            days.append(day)
            if day >= today:
                return days
            day += datetime.timedelta(days=rng.randint(*spec.cadence))
    return [
        _on_weekday(today - datetime.timedelta(days=ago + rng.randint(0, 6)), spec.weekday)
        for ago in spec.days_ago
    ]


def _on_weekday(day: datetime.date, weekday: int) -> datetime.date:
    """The first `weekday` from `day` on that is a working day."""
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    while _holiday(day):
        day += datetime.timedelta(days=7)
    return day


def _holiday(day: datetime.date) -> bool:
    """A public holiday on a weekday, or the weeks around the turn of the year."""
    if (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
        return True
    if (day.month, day.day) in ((5, 1), (10, 3), (11, 1)):
        return True
    easter = _easter(day.year)
    return (day - easter).days in (-2, 1, 39, 50, 60)


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _agenda(topics: Sequence[str]) -> str:
    items = ["Begrüßung und Genehmigung des Protokolls", *topics, "Verschiedenes und Termine"]
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def _attendance_and_minutes(demo: Demo, meeting, members, topics, following) -> None:
    present = [
        (institution, contact, role == R.ORGANISER or demo.rng.random() < 0.85)
        for institution, contact, role in members
    ]
    Attendance.objects.bulk_create(
        Attendance(
            organisation=demo.organisation,
            meeting=meeting,
            institution=institution,
            contact=contact,
            present=came,
        )
        for institution, contact, came in present
    )
    absent = [item.short_name or item.name for item, _contact, came in present if not came]
    lines = ["Das Protokoll der letzten Sitzung wurde ohne Änderungen genehmigt."]
    if absent:
        lines.append("Entschuldigt: " + ", ".join(absent) + ".")
    for number, (item, outcome) in enumerate(topics, start=2):
        lines.append(f"TOP {number} – {item}: {outcome}")
    lines.append(
        f"TOP {len(topics) + 2} – Verschiedenes: "
        + (
            f"Die nächste Sitzung findet am {following:%d.%m.%Y} statt."
            if following
            else "Der nächste Termin wird per E-Mail abgestimmt."
        )
    )
    organiser = next(contact for _item, contact, role in members if role == R.ORGANISER)
    lines.append(f"Protokoll: {organiser.name}")
    meeting.minutes = "\n\n".join(lines)
    meeting.save(update_fields=["minutes"])


def _goals_and_measures(demo: Demo, meeting, goals, measures) -> None:
    rng, today = demo.rng, demo.today
    shared = SharedGoal.objects.bulk_create(
        SharedGoal(organisation=demo.organisation, meeting=meeting, text=next(goals))
        for _goal in range(rng.randint(1, 2))
    )
    agreed, histories = [], []
    for _measure in range(rng.randint(1, 3)):
        title, key = next(measures)
        due = meeting.held_on + datetime.timedelta(days=rng.choice((28, 42, 56, 84, 120)))
        status = next(demo.statuses[due < today])
        history = _progress(status, meeting.held_on, due, today, rng)
        agreed.append(
            AgreedMeasure(
                organisation=demo.organisation,
                meeting=meeting,
                goal=rng.choice(shared),
                title=title,
                institution=demo.institutions[key],
                contact=demo.contact(key),
                due_on=due,
                status=status,
                done_on=history[-1][1] if status == MeasureStatus.DONE else None,
                version=1 + len(history),
            )
        )
        histories.append(history)
    agreed = AgreedMeasure.objects.bulk_create(agreed)
    notes = [
        (measure, step, day)
        for measure, history in zip(agreed, histories, strict=True)
        for step, day in history
    ]
    updates = MeasureUpdate.objects.bulk_create(
        MeasureUpdate(
            organisation=demo.organisation,
            measure=measure,
            written_by=demo.author,
            status=step,
            note=rng.choice(NOTES[step]),
        )
        for measure, step, _day in notes
    )
    for update, (_measure, _step, day) in zip(updates, notes, strict=True):
        # written_at is set on creation; the demo's notes were written back then.
        MeasureUpdate.objects.filter(pk=update.pk).update(written_at=_moment(day))


def _progress(status, held_on, due, today, rng) -> list[tuple[str, datetime.date]]:
    """The progress notes (status, day) that brought a measure to `status`."""
    S = MeasureStatus
    start = held_on + datetime.timedelta(days=1)
    if status == S.OPEN:
        # A reminder on those past their date.
        return [(S.OPEN, _day_between(due, today, rng))] if due < today else []
    if status == S.DROPPED:
        return [(S.DROPPED, _day_between(start, today, rng))]
    working = _day_between(start, min(due, today), rng)
    if status == S.IN_PROGRESS:
        return [(S.IN_PROGRESS, working)]
    done = _day_between(working, min(due + datetime.timedelta(days=14), today), rng)
    return [(S.IN_PROGRESS, working), (S.DONE, done)]


# --- agreements, the interface paper, offers


def _agreements(demo: Demo) -> None:
    for subject, parties, signed_ago, valid_for, notes in AGREEMENTS:
        agreement = CooperationAgreement.objects.create(
            organisation=demo.organisation,
            subject=subject,
            signed_on=demo.today - datetime.timedelta(days=signed_ago),
            valid_until=demo.today + datetime.timedelta(days=valid_for) if valid_for else None,
            notes=notes,
        )
        agreement.parties.set([demo.institutions[key] for key in parties])


def _responsibility(demo: Demo, step, key: str, contact: int, how_to_reach: str):
    return Responsibility(
        organisation=demo.organisation,
        step=step,
        institution=demo.institutions[key],
        contact=demo.contact(key, contact),
        how_to_reach=how_to_reach,
    )


def _interface_paper(demo: Demo) -> None:
    """The default steps, named in German, with who is responsible; the paper
    issued a few months ago; one responsibility added since."""
    organisation = demo.organisation
    with translation.override("de"):
        services.ensure_default_steps(organisation)
    steps = list(IntegrationStep.objects.filter(organisation=organisation).order_by("position"))
    # Steps beyond the default ones are the integration office's.
    plan = [*RESPONSIBILITIES, *[(("kis", 0, ""),)] * max(0, len(steps) - len(RESPONSIBILITIES))]
    Responsibility.objects.bulk_create(
        _responsibility(demo, step, *row)
        for step, rows in zip(steps, plan, strict=False)
        for row in rows
    )
    InterfacePaper.objects.create(
        organisation=organisation,
        number=1,
        issued_on=demo.today - datetime.timedelta(days=PAPER_ISSUED_DAYS_AGO),
        issued_by=demo.author,
        title="Schnittstellenpapier Integration – Landkreis Lindenau",
        note="Erste Fassung, im Regionalworkshop abgestimmt",
        matrix=services.responsibility_matrix(organisation.pk),
    )
    position, *row = LATER_RESPONSIBILITY
    if position < len(steps):
        _responsibility(demo, steps[position], *row).save()


def _offer_dates(when: str, today, rng) -> tuple[datetime.date | None, datetime.date | None]:
    def days(first: int, last: int) -> datetime.timedelta:
        return datetime.timedelta(days=rng.randint(first, last))

    if when == RUNNING:
        starts = today - days(14, 150)
        return starts, max(starts + days(120, 300), today + days(14, 60))
    if when == SOON:
        starts = today + days(7, 60)
        return starts, starts + days(90, 240)
    if when == ENDED:
        ends = today - days(10, 120)
        return ends - days(60, 200), ends
    return today - days(365, 1500), None


def _offers(demo: Demo) -> None:
    sites: dict[str, Site] = {}
    for site in Site.objects.filter(organisation=demo.organisation).order_by("pk"):
        sites.setdefault(site.municipality, site)
    rows = []
    for spec in OFFERS:
        provider = demo.institutions[spec.provider]
        town = "Birkenbach" if "Birkenbach" in (spec.place or provider.town) else "Lindenau"
        starts_on, ends_on = _offer_dates(spec.when, demo.today, demo.rng)
        rows.append(
            Offer(
                organisation=demo.organisation,
                title=spec.title,
                area=spec.area,
                language_level=spec.level,
                provider=provider,
                description=spec.description,
                target_groups=spec.target_groups,
                site=sites.get(town),
                place=spec.place or f"{provider.name}, {provider.address}",
                schedule=spec.schedule,
                starts_on=starts_on,
                ends_on=ends_on,
                capacity=spec.capacity,
                # Written short above; stored as ISO 639-3 like people's languages.
                languages=[
                    pycountry.languages.get(alpha_2=code).alpha_3 for code in spec.languages
                ],
                cost=spec.cost,
                childcare=spec.childcare,
            )
        )
    Offer.objects.bulk_create(rows)


def _needs(demo: Demo) -> None:
    survey_day = demo.today - datetime.timedelta(days=SURVEY_DAYS_AGO)
    NeedsEntry.objects.bulk_create(
        NeedsEntry(
            organisation=demo.organisation,
            area=area,
            target_group=target_group,
            count=count,
            source=source or SURVEY,
            # The schools were asked a few weeks before the survey.
            recorded_on=survey_day - datetime.timedelta(days=20 if source else 0),
            recorded_by=demo.author,
        )
        for area, target_group, count, source in NEEDS
    )
