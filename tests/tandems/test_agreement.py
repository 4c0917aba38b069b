import datetime
import io
import re

import pypdf
import pytest

from lotse.core.exceptions import NotPermitted
from lotse.core.models import AuditEntry
from lotse.people.models import Person
from lotse.tandems import services
from lotse.tandems.agreement import DEFAULT
from lotse.tandems.models import Tandem

from .helpers import acting

START = datetime.date(2026, 3, 5)
PLANNED_END = datetime.date(2026, 9, 7)


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces as single spaces."""
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def tandem_a(world):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(started_on=START, planned_end_on=PLANNED_END)
    return Tandem.objects.get(pk=world.tandem_a.pk)


def _pdf(world, tandem, language, user=None):
    return _text(
        services.agreement_pdf(actor=acting(user or world.alice), tandem=tandem, language=language)
    )


def test_the_german_agreement_names_both_and_gives_german_dates(world, tandem_a):
    text = _pdf(world, tandem_a, "de")
    assert "Vereinbarung für das Tandem" in text
    assert "Amira Haddad (Mentee) und Jürgen Wegmann (Mentor:in)" in text
    assert "Das Tandem beginnt am 05.03.2026 und endet spätestens am 07.09.2026" in text
    assert "Ausbildung als Pflegefachkraft" in text
    assert "Integrationsstelle Alphastadt" in text
    assert "Alice Koordinatorin" in text  # whom both turn to
    # The signature lines, one for each.
    assert "Mentee: Amira Haddad" in text
    assert re.search(r"Mentor(:in)?: Jürgen Wegmann", text)
    assert "Unterschrift" in text
    assert "03/05/2026" not in text


def test_the_english_agreement_gives_english_dates(world, tandem_a):
    text = _pdf(world, tandem_a, "en")
    assert "Tandem agreement" in text
    assert "Amira Haddad (mentee) and Jürgen Wegmann (mentor)" in text
    assert "The tandem starts on 03/05/2026 and ends on 09/07/2026 at the latest" in text
    assert "once a week" in text
    assert "6 months" in text
    assert "Signature" in text
    assert "05.03.2026" not in text
    assert "Vereinbarung" not in text


def test_markup_in_names_and_goals_is_printed_as_written(world, tandem_a):
    Person.objects.filter(pk=world.person_a1.pk).update(given_name="#emph[x] $y$ *z*")
    Tandem.objects.filter(pk=tandem_a.pk).update(
        goals='#read("/etc/passwd") und #set page(width: 1cm) _kursiv_ <label> @ref'
    )
    tandem = Tandem.objects.select_related("mentee__person").get(pk=tandem_a.pk)

    text = _pdf(world, tandem, "de")

    assert "#emph[x] $y$ *z* Haddad (Mentee)" in text
    assert "Mentee: #emph[x] $y$ *z* Haddad" in text
    assert '#read("/etc/passwd") und #set page(width: 1cm) _kursiv_ <label> @ref' in text
    assert "root:" not in text


def test_braces_that_are_not_placeholders_stay_as_written(world, tandem_a):
    Tandem.objects.filter(pk=tandem_a.pk).update(goals="{mentor} {Name} {0} {mentee.__class__}")
    text = _pdf(world, Tandem.objects.get(pk=tandem_a.pk), "en")
    # A placeholder in the goals is not filled in a second time.
    assert "Our goals: {mentor} {Name} {0} {mentee.__class__}" in text


def test_the_programmes_own_wording_is_used(world, tandem_a):
    services.save_agreement_template(
        actor=acting(world.ada),
        programme=world.programme_a,
        version=None,
        **DEFAULT
        | {
            "title_de": "Patenschaftsvertrag Alphastadt",
            "body_de": "Zwischen {mentee} und {mentor}, gültig ab {start} bis {planned_end}.",
            "privacy_de": "Hinweis zum Datenschutz von {organisation}.",
            "title_en": "Mentoring contract Alphastadt",
            "body_en": "Between {mentee} and {mentor} from {start}.\n\n{data_protection}\n\nEnd.",
        },
    )

    german = _pdf(world, tandem_a, "de")
    assert "Patenschaftsvertrag Alphastadt" in german
    assert "Zwischen Amira Haddad und Jürgen Wegmann, gültig ab 05.03.2026 bis 07.09.2026." in (
        german
    )
    # Without {data_protection} in the text, the note is added at its end.
    assert "Hinweis zum Datenschutz von Integrationsstelle Alphastadt." in german
    assert "Vereinbarung für das Tandem" not in german
    assert "bilden im Programm" not in german

    english = _pdf(world, tandem_a, "en")
    assert "Mentoring contract Alphastadt" in english
    assert "Between Amira Haddad and Jürgen Wegmann from 03/05/2026." in english
    assert "Data protection: Integrationsstelle Alphastadt stores" in english
    assert english.index("Data protection:") < english.index("End.")


def test_printing_the_agreement_is_audited(world, tandem_a):
    _pdf(world, tandem_a, "de")
    _pdf(world, tandem_a, "en", world.ada)

    entries = AuditEntry.objects.filter(action="lotse.tandem.agreement_printed").order_by("pk")
    assert [(entry.actor, entry.target_id) for entry in entries] == [
        (world.alice, str(tandem_a.pk)),
        (world.ada, str(tandem_a.pk)),
    ]
    assert all(entry.site == world.site_a1 for entry in entries)


@pytest.mark.parametrize("name", ["cora", "vera", "carol"])
def test_who_may_not_work_with_the_tandem_gets_no_agreement(world, tandem_a, name):
    with pytest.raises(NotPermitted):
        services.agreement_pdf(actor=acting(getattr(world, name)), tandem=tandem_a, language="de")
    assert not AuditEntry.objects.filter(action=services.AGREEMENT_PRINTED).exists()


def test_a_forming_tandem_prints_placeholders_for_the_dates(world, tandem_a):
    Tandem.objects.filter(pk=tandem_a.pk).update(started_on=None, planned_end_on=None)
    text = _pdf(world, Tandem.objects.get(pk=tandem_a.pk), "de")
    assert "Das Tandem beginnt am … und endet spätestens am …" in text
