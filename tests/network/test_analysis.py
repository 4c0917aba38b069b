"""The gap report, its chart and the network map (lotse.network.analysis)."""

from __future__ import annotations

import datetime
import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from lotse.accounts.models import User
from lotse.core import demand
from lotse.core.models import Organisation, Site
from lotse.network.analysis import (
    AGREEMENT,
    COMMITTEE,
    MapEdge,
    MapNode,
    NetworkMap,
    gap_chart_svg,
    gap_report,
    layout,
    network_map,
    network_map_svg,
)
from lotse.network.models import (
    Committee,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    Domain,
    Institution,
    NeedsEntry,
    Offer,
)
from lotse.people.models import Need, Status
from lotse.people.services import participant_needs
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    mentee_profile,
)

TODAY = datetime.date(2026, 12, 1)
SVG = "{http://www.w3.org/2000/svg}"


def institution(org, name, domain=Domain.EDUCATION, **fields):
    return Institution.objects.create(
        organisation=org, name=name, domain=domain, kind="other", **fields
    )


def offer(org, provider, area, capacity, **fields):
    return Offer.objects.create(
        organisation=org,
        title=fields.pop("title", f"{area} {capacity}"),
        area=area,
        provider=provider,
        capacity=capacity,
        **fields,
    )


def need(org, user, area, target_group, count):
    return NeedsEntry.objects.create(
        organisation=org,
        area=area,
        target_group=target_group,
        count=count,
        recorded_on=TODAY,
        recorded_by=user,
    )


def participant_needing(org, site, area):
    """A participant in the pool with one need of `area` (from the default catalogue)."""
    person = PersonFactory(organisation=org, site=site)
    mentee_profile(person, needs=Need.objects.filter(organisation=org, area=area)[:1])
    return person


@dataclass
class Office:
    org: Organisation
    site: Site
    user: User


@pytest.fixture
def office(world) -> Office:
    """An organisation of its own, so that the figures below are exactly what
    the tests write: the world's organisations A (which has a network of its
    own: a jobcenter, a language course, counted childcare needs) and B are
    the others, whose rows must not be counted."""
    org = OrganisationFactory(name="Integrationsbüro Gammahausen", slug="gammahausen")
    membership = MembershipFactory(organisation=org, user__full_name="Gerda Koordinatorin")
    return Office(org=org, site=SiteFactory(organisation=org), user=membership.user)


def row(report, area):
    (found,) = [row for row in report.rows if row.area == area]
    return found


@pytest.fixture
def needs_and_offers(world, office):
    """The office: childcare counted 7 + 5, language 30; two language courses
    (20 and 15 places), an ended and an inactive one; one participant in the
    pool who needs language support. Organisation B has its own."""
    a, b = office.org, world.org_b
    vhs = institution(a, "Volkshochschule Gammahausen")
    need(a, office.user, "childcare", "Frauen mit Kindern", 7)
    need(a, office.user, "childcare", "Alleinerziehende", 5)
    need(a, office.user, "language", "Geflüchtete aus der Ukraine", 30)
    offer(a, vhs, "language", 20, title="Deutsch A1")
    offer(a, vhs, "language", 15, title="Deutsch A2", ends_on=TODAY)
    offer(
        a, vhs, "language", 50, title="Deutsch B1 (vorbei)", ends_on=TODAY - datetime.timedelta(1)
    )
    offer(a, vhs, "language", 40, title="Deutsch B2 (abgesagt)", is_active=False)
    participant_needing(a, office.site, "language")

    other = institution(b, "Volkshochschule Betadorf")
    need(b, world.carol, "childcare", "Familien", 100)
    need(b, world.carol, "housing", "Familien", 100)
    offer(b, other, "language", 300)
    offer(b, other, "mentoring", 10)
    participant_needing(b, world.site_b1, "language")
    return vhs


# --- gap report -----------------------------------------------------------------


def test_an_area_with_demand_and_no_offer_is_listed_as_uncovered(office, needs_and_offers):
    report = gap_report(office.org.pk, TODAY)

    childcare = row(report, "childcare")
    assert (childcare.demand, childcare.offers, childcare.places, childcare.gap) == (12, 0, 0, 12)
    assert [row.area for row in report.uncovered] == ["childcare"]


def test_counted_demand_is_broken_down_by_target_group(office, needs_and_offers):
    childcare = row(gap_report(office.org.pk, TODAY), "childcare")

    assert childcare.manual == 12
    assert [(g.target_group, g.count) for g in childcare.by_target_group] == [
        ("Frauen mit Kindern", 7),
        ("Alleinerziehende", 5),
    ]


def test_entries_of_one_target_group_written_differently_are_added_up(office):
    need(office.org, office.user, "health", "Ältere Menschen", 4)
    need(office.org, office.user, "health", " ältere  menschen", 3)

    health = row(gap_report(office.org.pk, TODAY), "health")

    assert [(g.target_group, g.count) for g in health.by_target_group] == [("Ältere Menschen", 7)]


def test_participants_in_the_pool_are_added_to_the_counted_demand(office, needs_and_offers):
    language = row(gap_report(office.org.pk, TODAY), "language")

    assert language.manual == 30
    # Every registered source is a column; the open cases' help plans count nobody here.
    assert [(entry.label, entry.count) for entry in language.automatic] == [
        ("needs of active participants in the pool", 1),
        ("goals in the help plans of open cases", 0),
    ]
    assert language.demand == 31


def test_a_participant_who_left_the_pool_is_not_counted(office, needs_and_offers):
    participant_needing(office.org, office.site, "language").roles.update(status=Status.WITHDRAWN)

    assert row(gap_report(office.org.pk, TODAY), "language").automatic_total == 1


def test_places_are_the_capacity_of_the_current_offers(office, needs_and_offers):
    language = row(gap_report(office.org.pk, TODAY), "language")

    assert (language.offers, language.places, language.places_not_stated) == (2, 35, 0)
    assert language.gap == 0
    assert not language.short


def test_an_ended_or_inactive_offer_is_not_counted(office, needs_and_offers):
    # The course ending today still counts; the one that ended yesterday and
    # the cancelled one (50 and 40 places) do not.
    assert row(gap_report(office.org.pk, TODAY), "language").places == 35
    assert row(gap_report(office.org.pk, TODAY + datetime.timedelta(1)), "language").places == 20


def test_another_organisations_needs_and_offers_are_not_counted(office, needs_and_offers):
    report = gap_report(office.org.pk, TODAY)

    assert {row.area for row in report.rows} == {"childcare", "language"}
    assert row(report, "childcare").demand == 12
    assert row(report, "language").places == 35
    assert row(report, "language").automatic_total == 1


def test_offers_without_a_capacity_make_the_gap_an_upper_bound(office, needs_and_offers):
    need(office.org, office.user, "counselling", "Neuzugewanderte", 10)
    offer(office.org, needs_and_offers, "counselling", 4)
    offer(office.org, needs_and_offers, "counselling", None)

    counselling = row(gap_report(office.org.pk, TODAY), "counselling")

    assert (counselling.offers, counselling.places, counselling.places_not_stated) == (2, 4, 1)
    assert counselling.gap == 6
    assert counselling.gap_is_upper_bound
    assert counselling.short
    assert not counselling.uncovered


def test_an_area_with_offers_and_no_demand_has_a_row_without_a_gap(office, needs_and_offers):
    offer(office.org, needs_and_offers, "mentoring", 8)

    mentoring = row(gap_report(office.org.pk, TODAY), "mentoring")

    assert (mentoring.demand, mentoring.places, mentoring.gap) == (0, 8, 0)
    assert not mentoring.short
    assert not mentoring.uncovered


def test_areas_without_demand_or_offers_are_left_out(office):
    assert gap_report(office.org.pk, TODAY).rows == ()
    assert not gap_report(office.org.pk, TODAY)


def test_rows_are_sorted_by_gap_largest_first(office, needs_and_offers):
    need(office.org, office.user, "counselling", "Neuzugewanderte", 10)
    offer(office.org, needs_and_offers, "counselling", 4)
    offer(office.org, needs_and_offers, "mentoring", 8)

    report = gap_report(office.org.pk, TODAY)

    assert [(row.area, row.gap) for row in report.rows] == [
        ("childcare", 12),
        ("counselling", 6),
        ("language", 0),  # demand 31 comes before demand 0
        ("mentoring", 0),
    ]
    assert [row.area for row in report.short] == ["childcare", "counselling"]
    assert (report.demand, report.places, report.gap) == (53, 47, 18)


def test_every_demand_source_is_counted_under_its_label(office, needs_and_offers, monkeypatch):
    intakes = demand.Source("case intakes", lambda organisation_id: Counter({"childcare": 3}))
    # The pool's source and a made-up one (the cases app's is left out here).
    monkeypatch.setattr(demand, "_SOURCES", [participant_needs, intakes])

    report = gap_report(office.org.pk, TODAY)

    assert report.source_labels == ("needs of active participants in the pool", "case intakes")
    childcare = row(report, "childcare")
    assert [(entry.label, entry.count) for entry in childcare.automatic] == [
        ("needs of active participants in the pool", 0),
        ("case intakes", 3),
    ]
    assert childcare.demand == 15


def test_the_gap_report_runs_a_fixed_number_of_queries(
    office, needs_and_offers, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        gap_report(office.org.pk, TODAY)
    for n in range(20):
        need(office.org, office.user, "work", f"Gruppe {n}", n + 1)
        offer(office.org, needs_and_offers, "work" if n % 2 else "health", n or None)
        participant_needing(office.org, office.site, "application")

    with django_assert_max_num_queries(len(few)):
        report = gap_report(office.org.pk, TODAY)
    assert len(few) <= 2 + len(demand.sources())
    assert row(report, "application").automatic_total == 20


def test_the_gap_report_works_inside_the_organisations_scope(office, needs_and_offers):
    with scope(organisation=office.org):
        report = gap_report(office.org.pk, TODAY)

    assert row(report, "language").places == 35


# --- gap chart ------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - markup the code under test just wrote


def texts(element: ET.Element) -> str:
    return " ".join(" ".join(node.itertext()) for node in element.iter(f"{SVG}text"))


def test_the_chart_is_inline_svg_with_the_area_labels(office, needs_and_offers):
    svg = gap_chart_svg(gap_report(office.org.pk, TODAY))

    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    root = parse(svg)
    assert root.get("role") == "img"
    first, second = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == first
    assert root.find(f"{SVG}title").text == "Demand and places per support area"
    assert root.find(f"{SVG}desc").get("id") == second
    labels = texts(root)
    assert "childcare" in labels
    assert "language" in labels
    assert "people in need" in labels
    assert "number of people or places" in labels
    assert "<path" in svg  # the bars, drawn by matplotlib


def test_the_chart_needs_no_inline_styles_the_content_security_policy_would_block(
    office, needs_and_offers
):
    svg = gap_chart_svg(gap_report(office.org.pk, TODAY))

    assert "style=" not in svg
    assert "<style" not in svg
    assert "<metadata" not in svg
    assert "#b35806" in svg.lower()  # the demand bars keep their colour, as an attribute


def test_two_charts_on_one_page_have_different_ids(office, needs_and_offers):
    report = gap_report(office.org.pk, TODAY)
    first, second = gap_chart_svg(report), gap_chart_svg(report, id_prefix="other-chart")

    ids = [set(re.findall(r' id="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and not ids[0] & ids[1]
    # Every reference points at an id of its own chart.
    for svg, own in zip((first, second), ids, strict=True):
        assert set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)) <= own


def test_the_chart_marks_places_not_stated(office, needs_and_offers):
    offer(office.org, needs_and_offers, "language", None)

    labels = texts(parse(gap_chart_svg(gap_report(office.org.pk, TODAY))))

    assert "35 + ?" in labels


def test_the_same_report_gives_the_same_chart(office, needs_and_offers):
    report = gap_report(office.org.pk, TODAY)

    assert gap_chart_svg(report) == gap_chart_svg(report)


def test_an_empty_report_gives_no_chart(office):
    assert gap_chart_svg(gap_report(office.org.pk, TODAY)) == ""


# --- network map ----------------------------------------------------------------


@dataclass
class Network:
    jobcenter: Institution
    vhs: Institution
    chamber: Institution
    school: Institution
    closed: Institution


@pytest.fixture
def network(world, office):
    a = office.org
    jobcenter = institution(
        a, "Jobcenter Gammahausen", Domain.WORK, short_name="JC", cooperates=True
    )
    vhs = institution(a, "Volkshochschule Gammahausen", Domain.EDUCATION, short_name="VHS")
    chamber = institution(a, "Industrie- und Handelskammer", Domain.WORK, short_name="IHK")
    school = institution(a, "Berufsbildende Schulen Gammahausen", Domain.EDUCATION)
    closed = institution(a, "Aufgelöster Verein", Domain.SOCIAL, is_active=False)

    def agreement(*parties, **fields):
        made = CooperationAgreement.objects.create(organisation=a, subject="Vereinbarung", **fields)
        made.parties.set(parties)
        return made

    agreement(jobcenter, vhs)
    agreement(jobcenter, vhs, chamber)
    agreement(jobcenter, closed)
    agreement(vhs, school, valid_until=TODAY - datetime.timedelta(1))

    def committee(name, *members, **fields):
        made = Committee.objects.create(organisation=a, name=name, kind="committee", **fields)
        for member in members:
            CommitteeMember.objects.create(organisation=a, committee=made, institution=member)
        return made

    steering = committee("Steuerungsgruppe", jobcenter, chamber, school)
    committee("Arbeitskreis Sprache", chamber, school)
    committee("Ruhender Arbeitskreis", jobcenter, vhs, is_active=False)
    # Two people of the school on the steering group: the school still sits there once.
    CommitteeMember.objects.create(
        organisation=a,
        committee=steering,
        institution=school,
        contact=ContactPerson.objects.create(organisation=a, institution=school, name="Frau Ko"),
    )

    b = world.org_b
    b_jobcenter = institution(b, "Jobcenter Betadorf", Domain.WORK)
    b_vhs = institution(b, "Volkshochschule Betadorf")
    agreement_b = CooperationAgreement.objects.create(organisation=b, subject="B")
    agreement_b.parties.set([b_jobcenter, b_vhs])
    return Network(jobcenter, vhs, chamber, school, closed)


def edges_by_name(result: NetworkMap) -> set[tuple[str, str, str, int]]:
    names = {node.pk: node.short_name or node.name for node in result.nodes}
    return {
        (*sorted((names[edge.source], names[edge.target])), edge.kind, edge.weight)
        for edge in result.edges
    }


def test_the_map_shows_the_active_institutions_of_the_organisation(office, network):
    result = network_map(office.org.pk)

    assert [(node.name, node.domain, node.cooperates) for node in result.nodes] == [
        ("Berufsbildende Schulen Gammahausen", "education", False),
        ("Industrie- und Handelskammer", "work", False),
        ("Jobcenter Gammahausen", "work", True),
        ("Volkshochschule Gammahausen", "education", False),
    ]


def test_parties_of_an_agreement_and_members_of_a_committee_are_tied_with_weights(office, network):
    assert edges_by_name(network_map(office.org.pk)) == {
        # two agreements between the jobcenter and the adult education centre
        ("JC", "VHS", AGREEMENT, 2),
        ("IHK", "JC", AGREEMENT, 1),
        ("IHK", "VHS", AGREEMENT, 1),
        ("Berufsbildende Schulen Gammahausen", "VHS", AGREEMENT, 1),
        # the steering group, and the chamber and the school also share a working group
        ("IHK", "JC", COMMITTEE, 1),
        ("Berufsbildende Schulen Gammahausen", "JC", COMMITTEE, 1),
        ("Berufsbildende Schulen Gammahausen", "IHK", COMMITTEE, 2),
    }


def test_each_pair_appears_once_per_kind_with_the_smaller_pk_first(office, network):
    edges = network_map(office.org.pk).edges

    pairs = [(edge.source, edge.target, edge.kind) for edge in edges]
    assert len(pairs) == len(set(pairs))
    assert all(edge.source < edge.target for edge in edges)


def test_an_agreement_that_expired_is_left_out_when_asked_for_today(office, network):
    edges = edges_by_name(network_map(office.org.pk, today=TODAY))

    assert ("Berufsbildende Schulen Gammahausen", "VHS", AGREEMENT, 1) not in edges
    assert ("JC", "VHS", AGREEMENT, 2) in edges


def test_the_network_map_runs_three_queries(office, network, django_assert_num_queries):
    with django_assert_num_queries(3):
        network_map(office.org.pk)


def test_the_network_map_works_inside_the_organisations_scope(office, network):
    with scope(organisation=office.org):
        result = network_map(office.org.pk)

    assert len(result.nodes) == 4
    assert len(result.edges) == 7


def test_the_map_svg_names_itself_and_every_institution(office, network):
    svg = network_map_svg(network_map(office.org.pk))

    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.find(f"{SVG}title").text == "Network map"
    assert root.find(f"{SVG}desc").text == (
        "4 institutions, arranged by domain. 4 pairs with a cooperation agreement, "
        "3 pairs on a committee together."
    )
    nodes = root.findall(f".//{SVG}g[@data-pk]")
    assert sorted(node.find(f"{SVG}title").text for node in nodes) == [
        "Berufsbildende Schulen Gammahausen",
        "Industrie- und Handelskammer",
        "Jobcenter Gammahausen",
        "Volkshochschule Gammahausen",
    ]
    labels = texts(root)
    assert "JC" in labels
    assert "Berufsbildende Schule…" in labels  # no short name: the name, cut
    assert "Education" in labels  # the legend
    assert len(root.findall(f".//{SVG}path[@class='edge edge-agreement']")) == 4
    dashed = root.findall(f".//{SVG}path[@class='edge edge-committee']")
    assert len(dashed) == 3
    assert all(edge.get("stroke-dasharray") for edge in dashed)


def test_the_map_svg_escapes_names(office):
    institution(office.org, "<script>&", Domain.SOCIAL, short_name='"><b>')

    svg = network_map_svg(network_map(office.org.pk))

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "style=" not in svg
    assert "&lt;script&gt;&amp;" in svg
    (node,) = parse(svg).findall(f".//{SVG}g[@data-pk]")
    assert node.find(f"{SVG}title").text == "<script>&"
    assert node.find(f"{SVG}text").text == '"><b>'


def test_an_empty_network_gives_no_map(office):
    assert network_map_svg(network_map(office.org.pk)) == ""


def many(count: int) -> NetworkMap:
    domains = [Domain.MIGRATION, Domain.WORK, Domain.WORK, Domain.SOCIAL, Domain.EDUCATION]
    nodes = tuple(
        MapNode(
            pk, f"Institution mit langem Namen Nummer {pk:02}", "", domains[pk % 5], pk % 3 == 0
        )
        for pk in range(1, count + 1)
    )
    edges = tuple(MapEdge(pk, pk + 7, AGREEMENT, 1) for pk in range(1, count - 7, 3))
    return NetworkMap(nodes=nodes, edges=edges)


def test_the_institutions_of_one_domain_sit_together_in_their_sector():
    plan = layout(many(40))

    by_domain = {sector.domain: sector for sector in plan.sectors}
    assert list(by_domain) == list(Domain.values)  # clockwise from the top
    for node in many(40).nodes:
        sector = by_domain[node.domain]
        assert sector.start < plan.positions[node.pk].angle < sector.end


@pytest.mark.parametrize("count", [40, 80])
def test_a_network_of_many_institutions_stays_legible(count):
    plan = layout(many(count))

    points = sorted(plan.positions.values(), key=lambda point: point.angle)
    closest = min(
        ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5 for a, b in itertools.pairwise(points)
    )
    # Neighbouring labels do not touch, and on a page about 900 pixels wide
    # the labels are shown at about their 12 pixels.
    assert closest >= 1.4 * plan.font_size
    assert plan.width <= 1000
    assert len(parse(network_map_svg(many(count))).findall(f".//{SVG}g[@data-pk]")) == count


def test_the_same_network_gives_the_same_map(office, network):
    assert network_map_svg(network_map(office.org.pk)) == network_map_svg(
        network_map(office.org.pk)
    )


def test_an_empty_domain_keeps_its_sector():
    plan = layout(NetworkMap(nodes=(MapNode(1, "Jobcenter", "", Domain.WORK, True),), edges=()))

    assert [sector.domain for sector in plan.sectors] == list(Domain.values)
    assert all(sector.end > sector.start for sector in plan.sectors)


def test_labels_on_the_left_half_read_from_left_to_right():
    svg = parse(network_map_svg(many(8)))

    anchors = {
        node.find(f"{SVG}text").get("text-anchor")
        for node in svg.iter(f"{SVG}g")
        if node.get("data-pk")
    }
    assert anchors == {None, "end"}
