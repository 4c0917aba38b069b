"""Official classifications and the default needs catalogue, as data."""

# WZ 2008 (Klassifikation der Wirtschaftszweige), sections A–U.
INDUSTRIES = (
    ("A", "Land- und Forstwirtschaft, Fischerei", "Agriculture, forestry and fishing"),
    ("B", "Bergbau und Gewinnung von Steinen und Erden", "Mining and quarrying"),
    ("C", "Verarbeitendes Gewerbe", "Manufacturing"),
    ("D", "Energieversorgung", "Electricity, gas, steam and air conditioning supply"),
    (
        "E",
        "Wasserversorgung; Abwasser- und Abfallentsorgung, Beseitigung von Umweltverschmutzungen",
        "Water supply; sewerage, waste management and remediation",
    ),
    ("F", "Baugewerbe", "Construction"),
    (
        "G",
        "Handel; Instandhaltung und Reparatur von Kraftfahrzeugen",
        "Wholesale and retail trade; repair of motor vehicles",
    ),
    ("H", "Verkehr und Lagerei", "Transportation and storage"),
    ("I", "Gastgewerbe", "Accommodation and food service activities"),
    ("J", "Information und Kommunikation", "Information and communication"),
    (
        "K",
        "Erbringung von Finanz- und Versicherungsdienstleistungen",
        "Financial and insurance activities",
    ),
    ("L", "Grundstücks- und Wohnungswesen", "Real estate activities"),
    (
        "M",
        "Erbringung von freiberuflichen, wissenschaftlichen und technischen Dienstleistungen",
        "Professional, scientific and technical activities",
    ),
    (
        "N",
        "Erbringung von sonstigen wirtschaftlichen Dienstleistungen",
        "Administrative and support service activities",
    ),
    (
        "O",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
        "Public administration and defence; compulsory social security",
    ),
    ("P", "Erziehung und Unterricht", "Education"),
    ("Q", "Gesundheits- und Sozialwesen", "Human health and social work activities"),
    ("R", "Kunst, Unterhaltung und Erholung", "Arts, entertainment and recreation"),
    ("S", "Erbringung von sonstigen Dienstleistungen", "Other service activities"),
    ("T", "Private Haushalte mit Hauspersonal", "Activities of households as employers"),
    (
        "U",
        "Exterritoriale Organisationen und Körperschaften",
        "Activities of extraterritorial organisations and bodies",
    ),
)

# KldB 2010 (Klassifikation der Berufe), occupational areas (Berufsbereiche).
OCCUPATION_AREAS = (
    (
        "1",
        "Land-, Forst- und Tierwirtschaft und Gartenbau",
        "Agriculture, forestry, farming and gardening",
    ),
    (
        "2",
        "Rohstoffgewinnung, Produktion und Fertigung",
        "Raw materials extraction, production and manufacturing",
    ),
    (
        "3",
        "Bau, Architektur, Vermessung und Gebäudetechnik",
        "Construction, architecture, surveying and building services",
    ),
    ("4", "Naturwissenschaft, Geografie und Informatik", "Natural sciences, geography and IT"),
    ("5", "Verkehr, Logistik, Schutz und Sicherheit", "Traffic, logistics, safety and security"),
    (
        "6",
        "Kaufmännische Dienstleistungen, Warenhandel, Vertrieb, Hotel und Tourismus",
        "Commercial services, trade, sales, hotels and tourism",
    ),
    (
        "7",
        "Unternehmensorganisation, Buchhaltung, Recht und Verwaltung",
        "Business organisation, accounting, law and administration",
    ),
    (
        "8",
        "Gesundheit, Soziales, Lehre und Erziehung",
        "Health, social work, teaching and education",
    ),
    (
        "9",
        "Sprach-, Literatur-, Geistes-, Gesellschafts- und Wirtschaftswissenschaften, "
        "Medien, Kunst, Kultur und Gestaltung",
        "Languages, humanities, social sciences and economics, media, art, culture and design",
    ),
    ("0", "Militär", "Military"),
)

# Each organisation starts with these and edits its own copy.
# The default needs catalogue, each with the support area the network's gap
# report counts it under (lotse.core.models.SupportArea).
DEFAULT_NEEDS = (
    ("Lebenslauf", "application"),
    ("Bewerbungen", "application"),
    ("Vorstellungsgespräch üben", "application"),
    ("Deutsch üben", "language"),
    ("Anerkennung von Abschlüssen", "recognition"),
    ("Kinderbetreuung", "childcare"),
    ("Jobsuche", "work"),
    ("Ausbildungsplatzsuche", "qualification"),
)


def load_reference_lists(industry_model, occupation_area_model) -> None:
    """Create or update the classifications (idempotent). Takes the models as
    arguments so that migrations can pass their historical versions."""
    for model, rows in ((industry_model, INDUSTRIES), (occupation_area_model, OCCUPATION_AREAS)):
        for code, name_de, name_en in rows:
            model.objects.update_or_create(
                code=code, defaults={"name_de": name_de, "name_en": name_en}
            )


# CEFR levels from the weakest to the strongest, as filters and matching rank them.
LANGUAGE_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

# KldB 2010 occupational areas close enough for someone to know the way from
# one into the other.
RELATED_AREAS = frozenset(
    frozenset(pair)
    for pair in (("1", "2"), ("2", "3"), ("2", "4"), ("5", "6"), ("6", "7"), ("7", "9"), ("8", "9"))
)
