from django.core.management import call_command

from lotse.accounts.models import Membership
from lotse.cases.models import Case
from lotse.core.models import Organisation
from lotse.people.models import Person, PersonRole
from lotse.tandems.models import Tandem


def test_the_demo_loads_once_with_people_from_many_origins(db, capsys):
    call_command("demo", "--if-empty")
    call_command("demo", "--if-empty")  # second start of `make run`: nothing new
    assert Organisation.objects.count() == 1
    assert Membership.objects.count() == 7
    # A partner institution's staff member, for the network.
    assert Membership.objects.filter(role="partner").count() == 1
    people = Person.objects.all()
    # A pool of the size of a real programme: ~300 mentees, ~150 mentors.
    assert people.count() == 450
    # Right-to-left and Cyrillic names come with a Latin transliteration for search.
    assert people.get(given_name="أحمد").latin_name
    assert people.get(given_name="Оксана").latin_name == "Oksana Mel'nik"
    assert PersonRole.objects.filter(role="volunteer").count() == 150
    assert "lotse-demo-2026" in capsys.readouterr().out


def test_the_demo_is_deterministic(db):
    call_command("demo")
    first = list(Person.objects.order_by("pk").values_list("birth_date", "municipality"))
    # Tandems and cases protect the enrolments they are made of (records for the figures).
    Tandem.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    # Same seed, same data.
    from lotse.people.demo import extend_demo

    extend_demo(Organisation.objects.get())
    again = list(Person.objects.order_by("pk").values_list("birth_date", "municipality"))
    assert first == again
