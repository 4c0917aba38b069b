import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.core.models import Organisation, Site
from lotse.people.models import Person, PersonRole, PoolRole, Status

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Integrationsbüro {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Standort {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    language = "de"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR
    all_sites = True

    @factory.post_generation
    def sites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.all_sites = False
            obj.save(update_fields=["all_sites"])
            obj.sites.set(extracted)


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    site = factory.SubFactory(SiteFactory, organisation=factory.SelfAttribute("..organisation"))
    given_name = factory.Sequence(lambda n: f"Vorname{n}")
    family_name = factory.Sequence(lambda n: f"Nachname{n}")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            PersonRole.objects.create(
                organisation=obj.organisation,
                person=obj,
                role=extracted or PoolRole.PARTICIPANT,
                status=Status.ACTIVE,
            )


# --- matching: people ready to be paired ---------------------------------------


def enrol_at(programme, person, role: str, kind: str):
    """An enrolment written straight at the programme's step of `kind`."""
    from lotse.programmes.models import Enrolment, StepTransition

    step = programme.steps.filter(kind=kind).order_by("position").first()
    enrolment = Enrolment.objects.create(
        organisation=programme.organisation,
        programme=programme,
        person=person,
        role=role,
        step=step,
    )
    StepTransition.objects.create(
        organisation=programme.organisation, enrolment=enrolment, from_step=None, to_step=step
    )
    return enrolment


def mentee_profile(
    person, *, languages=(("deu", "B1"),), areas=(), needs=(), availability=(), **wishes
):
    """A participant's profile with languages, target areas (KldB codes) and needs."""
    import datetime

    from lotse.people.models import Availability, OccupationArea, ParticipantProfile, PersonLanguage

    for language, level in languages:
        PersonLanguage.objects.create(person=person, language=language, level=level)
    person.availability = Availability.mask(list(availability))
    person.birth_date = person.birth_date or datetime.date(1990, 5, 1)
    person.save()
    profile = ParticipantProfile.objects.create(person=person, **wishes)
    profile.target_areas.set(OccupationArea.objects.filter(code__in=areas))
    profile.needs.set(needs)
    return profile


def mentor_profile(
    person,
    *,
    languages=(("deu", "native"),),
    areas=(),
    strengths=(),
    availability=(),
    capacity=1,
    years=10,
    cleared=True,
    trained=True,
):
    """A volunteer's profile: cleared and trained unless told otherwise."""
    import datetime

    from lotse.people.models import (
        Availability,
        OccupationArea,
        PersonLanguage,
        VolunteerProfile,
        WorkExperience,
    )

    today = datetime.date.today()
    for language, level in languages:
        PersonLanguage.objects.create(person=person, language=language, level=level)
    person.availability = Availability.mask(list(availability))
    person.birth_date = person.birth_date or datetime.date(1965, 3, 1)
    person.save()
    profile = VolunteerProfile.objects.create(
        person=person,
        capacity=capacity,
        police_clearance_on=today - datetime.timedelta(days=100) if cleared else None,
        training_completed_on=today - datetime.timedelta(days=30) if trained else None,
    )
    chosen = list(OccupationArea.objects.filter(code__in=areas))
    profile.occupation_areas.set(chosen)
    profile.strengths.set(strengths)
    for area in chosen:
        WorkExperience.objects.create(person=person, occupation_area=area, years=years)
    return profile
