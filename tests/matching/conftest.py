from dataclasses import dataclass

import pytest
from django.utils import translation

from lotse.accounts.models import Membership
from lotse.people.models import Gender, Need, PoolRole
from lotse.programmes.models import EnrolmentRole, StepKind

from ..factories import PersonFactory, enrol_at, mentee_profile, mentor_profile


@pytest.fixture(autouse=True)
def _english():
    """Service messages and reasons are matched in English."""
    with translation.override("en"):
        yield


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


@dataclass
class Office:
    """Two mentees waiting for a mentor and two mentors ready, in programme A.

    Amira (Arabic, wants logistics) fits Karim (Arabic, 20 years in logistics);
    Olena (Ukrainian and English, wants IT, requires a woman) fits only Gisela.
    """

    world: object
    amira: object
    olena: object
    karim: object
    gisela: object


def person(world, given, family, *, gender=Gender.NOT_STATED, role=PoolRole.PARTICIPANT, site=None):
    return PersonFactory(
        organisation=world.org_a,
        site=site or world.site_a1,
        given_name=given,
        family_name=family,
        gender=gender,
        role=role,
    )


@pytest.fixture
def office(world) -> Office:
    programme = world.programme_a
    needs = {n.name: n for n in Need.objects.filter(organisation=world.org_a)}
    amira = person(world, "Amira", "Saleh", gender=Gender.FEMALE)
    mentee_profile(
        amira,
        languages=(("ara", "native"), ("deu", "A2")),
        areas=("5",),
        needs=[needs["Bewerbungen"]],
        availability=("tue-eve", "wed-eve", "thu-eve"),
    )
    olena = person(world, "Olena", "Tkachenko", gender=Gender.FEMALE)
    mentee_profile(
        olena,
        languages=(("ukr", "native"), ("eng", "B2"), ("deu", "A1")),
        areas=("4",),
        needs=[needs["Lebenslauf"]],
        mentor_gender="female",
        mentor_gender_required=True,
    )
    karim = person(world, "Karim", "Benali", gender=Gender.MALE, role=PoolRole.VOLUNTEER)
    mentor_profile(
        karim,
        languages=(("deu", "native"), ("ara", "native"), ("eng", "B2")),
        areas=("5",),
        strengths=[needs["Bewerbungen"]],
        availability=("tue-eve", "wed-eve"),
        years=20,
    )
    gisela = person(world, "Gisela", "Schäfer", gender=Gender.FEMALE, role=PoolRole.VOLUNTEER)
    mentor_profile(
        gisela,
        languages=(("deu", "native"), ("eng", "C1")),
        areas=("4",),
        strengths=[needs["Lebenslauf"]],
    )
    return Office(
        world=world,
        amira=enrol_at(programme, amira, EnrolmentRole.MENTEE, StepKind.PAIRING),
        olena=enrol_at(programme, olena, EnrolmentRole.MENTEE, StepKind.PAIRING),
        karim=enrol_at(programme, karim, EnrolmentRole.MENTOR, StepKind.PAIRING),
        gisela=enrol_at(programme, gisela, EnrolmentRole.MENTOR, StepKind.TANDEM),
    )
