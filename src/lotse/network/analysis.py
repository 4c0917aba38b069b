"""What the network knows, set side by side: the gap report (demand for
support per area against the places of the local offers) with its chart, and
the network map (which institutions are tied together by cooperation
agreements and committees).

Both are read-only analyses of one organisation. Every query filters by the
organisation id it is given; the managers are django-scopes ScopedManagers, so
the caller runs inside that organisation's scope (a request does) or inside
`scopes_disabled()` (tests, management commands). The functions never widen or
switch the active scope themselves.

Charts are rendered on the server to SVG markup meant to be inlined into the
page (no XML declaration, `role="img"`, a `<title>` and `<desc>`): readable
without JavaScript, the same picture on screen and in a PDF. The text inside
stays text. A screen reader gets the picture's name from the title; the
figures themselves belong in the data table next to it (`GapReport.rows`,
`NetworkMap.nodes`).
"""

from __future__ import annotations

import datetime
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count, Q, Sum
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.core import demand
from lotse.core.charts import TEXT_COLOUR, inline_svg, render_lock
from lotse.core.models import SupportArea

from .models import (
    Committee,
    CommitteeMember,
    CooperationAgreement,
    Domain,
    Institution,
    NeedsEntry,
    Offer,
)

# --- gap report ---------------------------------------------------------------


@dataclass(frozen=True)
class TargetGroupCount:
    """Counted demand of one target group in one area (from `NeedsEntry`)."""

    target_group: str
    count: int


@dataclass(frozen=True)
class AutomaticCount:
    """Demand in one area as one registered `core.demand` source counts it."""

    label: str
    count: int


@dataclass(frozen=True)
class GapRow:
    """One support area: its demand, its current offers and their places.

    Demand is the sum of two counts of *different* people, so they are added:

    - `manual`: people counted outside Lotse and entered as needs entries (a
      survey at an info event, a school's list …), broken down in
      `by_target_group`;
    - `automatic`: people Lotse knows itself (e.g. active participants in the
      pool with a need in the area), one entry per registered demand source in
      the order of `GapReport.source_labels`.

    Someone counted in a survey who is also in the pool is counted twice; the
    office enters a survey for people it does not have in Lotse yet.

    `places` is the summed capacity of the current offers that state one;
    `places_not_stated` is the number of current offers without a capacity.
    The gap is `demand − places`, never below zero, and it is always a number:
    when some offers do not state their places (`places_not_stated > 0`) the
    gap is an upper bound — those offers may close part of it — and
    `gap_is_upper_bound` says so, so that the page can write "at most 6". Not
    knowing some capacities does not hide the need (a `None` would), and the
    rows still sort.
    """

    area: str
    label: str
    manual: int
    by_target_group: tuple[TargetGroupCount, ...]
    automatic: tuple[AutomaticCount, ...]
    offers: int
    places: int
    places_not_stated: int

    @property
    def automatic_total(self) -> int:
        return sum(entry.count for entry in self.automatic)

    @property
    def demand(self) -> int:
        return self.manual + self.automatic_total

    @property
    def gap(self) -> int:
        return max(self.demand - self.places, 0)

    @property
    def gap_is_upper_bound(self) -> bool:
        return self.gap > 0 and self.places_not_stated > 0

    @property
    def uncovered(self) -> bool:
        """Demand and not a single current offer."""
        return self.demand > 0 and self.offers == 0

    @property
    def short(self) -> bool:
        """Fewer stated places than people in need (see `gap_is_upper_bound`)."""
        return self.places < self.demand


@dataclass(frozen=True)
class GapReport:
    """Demand against places for every support area that has either, rows
    sorted by gap (largest first), then by demand, then by label."""

    organisation_id: int
    today: datetime.date
    source_labels: tuple[str, ...]
    rows: tuple[GapRow, ...]

    @property
    def uncovered(self) -> list[GapRow]:
        """Areas with demand and no current offer at all."""
        return [row for row in self.rows if row.uncovered]

    @property
    def short(self) -> list[GapRow]:
        """Areas with fewer stated places than people in need (the uncovered
        ones included)."""
        return [row for row in self.rows if row.short]

    @property
    def demand(self) -> int:
        return sum(row.demand for row in self.rows)

    @property
    def places(self) -> int:
        return sum(row.places for row in self.rows)

    @property
    def gap(self) -> int:
        return sum(row.gap for row in self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def gap_report(organisation_id: int, today: datetime.date) -> GapReport:
    """Demand and places per support area of one organisation on `today`.

    Two aggregate queries (needs entries per area and target group, current
    offers per area) plus whatever each registered demand source runs (the
    pool's: one), however many rows there are. Area labels are in the active
    language."""
    manual: Counter[str] = Counter()
    # area -> group (case and spaces ignored) -> spelling -> people
    spellings: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    needs = (
        NeedsEntry.objects.filter(organisation_id=organisation_id)
        .values("area", "target_group")
        .annotate(people=Sum("count"))
        .order_by()
    )
    for row in needs:
        area, people = row["area"], row["people"] or 0
        manual[area] += people
        # "Frauen mit Kindern" and "frauen mit  kindern " are one group.
        name = " ".join(row["target_group"].split())
        spellings[area][name.casefold()][name] += people
    groups: dict[str, list[TargetGroupCount]] = {
        # A group is written as most of its people were entered (ties: the
        # first in code-point order, whatever the database's collation).
        area: sorted(
            (
                TargetGroupCount(
                    min(names, key=lambda name: (-names[name], name)), sum(names.values())
                )
                for names in by_group.values()
            ),
            key=lambda group: (-group.count, group.target_group.casefold()),
        )
        for area, by_group in spellings.items()
    }

    offers = {
        row["area"]: row
        for row in Offer.objects.filter(organisation_id=organisation_id)
        .current(today)
        .values("area")
        .annotate(
            offers=Count("pk"),
            places=Sum("capacity"),
            not_stated=Count("pk", filter=Q(capacity__isnull=True)),
        )
        .order_by("area")
    }

    sources = demand.sources()
    automatic = [source.count(organisation_id) for source in sources]
    source_labels = tuple(str(source.label) for source in sources)

    rows = []
    for area in SupportArea:
        offered = offers.get(area.value, {})
        row = GapRow(
            area=area.value,
            label=str(area.label),
            manual=manual[area.value],
            by_target_group=tuple(groups.get(area.value, ())),
            automatic=tuple(
                AutomaticCount(label, max(int(counts.get(area.value, 0)), 0))
                for label, counts in zip(source_labels, automatic, strict=True)
            ),
            offers=offered.get("offers", 0),
            places=offered.get("places") or 0,
            places_not_stated=offered.get("not_stated", 0),
        )
        if row.demand or row.offers:
            rows.append(row)
    rows.sort(key=lambda row: (-row.gap, -row.demand, row.label.casefold()))
    return GapReport(
        organisation_id=organisation_id,
        today=today,
        source_labels=source_labels,
        rows=tuple(rows),
    )


# --- gap chart ----------------------------------------------------------------

# Blue and orange stay apart for the common colour-vision deficiencies; both
# reach 4.5:1 against white (WCAG AA, as bars they need 3:1).
DEMAND_COLOUR = "#B35806"
PLACES_COLOUR = "#005A9C"


def gap_chart_svg(report: GapReport, *, id_prefix: str = "gap-chart") -> SafeString:
    """Horizontal grouped bars, one pair per area: people in need and stated
    places, the largest gap on top. Offers without stated places are marked
    "+ ?" at the places bar.

    Returns inline SVG markup (safe to output unescaped: matplotlib escapes
    the text it writes), or an empty string for a report without rows, so that
    the template shows its "nothing counted yet" message instead. `id_prefix`
    keeps the ids of the title and description unique when a page shows more
    than one chart."""
    if not report.rows:
        return SafeString("")
    id_prefix = escape(id_prefix)
    # Imported here: matplotlib takes a while to load, and only this page needs it.
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    rows = report.rows
    labels = [row.label for row in rows]
    count = len(rows)
    height = 1.0 + 0.55 * count
    bar = 0.38
    positions = range(count)

    settings = {
        "svg.fonttype": "none",  # text stays text: selectable, translatable, crisp
        "svg.hashsalt": "lotse-gap-chart",  # the same report gives the same markup
        "font.family": "sans-serif",
        "font.size": 10,
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
    }
    with render_lock, matplotlib.rc_context(settings):
        figure = Figure(figsize=(8, height), layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        demand_bars = axes.barh(
            [y - bar / 2 for y in positions],
            [row.demand for row in rows],
            height=bar,
            color=DEMAND_COLOUR,
            label=_("people in need"),
        )
        places_bars = axes.barh(
            [y + bar / 2 for y in positions],
            [row.places for row in rows],
            height=bar,
            color=PLACES_COLOUR,
            label=_("places in current offers"),
        )
        axes.bar_label(demand_bars, padding=3, fontsize=9)
        axes.bar_label(
            places_bars,
            labels=[
                f"{row.places} + ?" if row.places_not_stated else str(row.places) for row in rows
            ],
            padding=3,
            fontsize=9,
        )
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.set_xlabel(_("number of people or places"))
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.margins(x=0.12)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        # Above the bars, where it can never cover one.
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2, frameon=False)
        buffer = io.StringIO()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    markup = inline_svg(
        buffer.getvalue(),
        id_prefix=id_prefix,
        title=_("Demand and places per support area"),
        description=_(
            "For each support area, the number of people in need against the places "
            "in current offers. The table lists the figures."
        ),
    )
    return mark_safe(markup)  # noqa: S308 - matplotlib's SVG writer escapes all text  # nosec B308 B703


# --- network map --------------------------------------------------------------

AGREEMENT = "agreement"
COMMITTEE = "committee"

# One colour per domain of the alliance working aid, each at least 4.5:1
# against white (WCAG AA for the labels written in it).
DOMAIN_COLOURS = {
    Domain.MIGRATION: "#6A3D9A",
    Domain.WORK: "#005A9C",
    Domain.SOCIAL: "#B35806",
    Domain.EDUCATION: "#00695C",
}
EDGE_COLOUR = "#4D4D4D"
LABEL_LENGTH = 22


@dataclass(frozen=True)
class MapNode:
    pk: int
    name: str
    short_name: str
    domain: str
    cooperates: bool

    @property
    def label(self) -> str:
        """The short name, or else the name, cut to fit the map."""
        return truncate(self.short_name or self.name, LABEL_LENGTH)


@dataclass(frozen=True)
class MapEdge:
    """Two institutions tied by `weight` shared agreements (kind "agreement")
    or shared committees (kind "committee"); `source` has the smaller pk. A
    pair with both has one edge of each kind."""

    source: int
    target: int
    kind: str
    weight: int


@dataclass(frozen=True)
class NetworkMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]

    def __bool__(self) -> bool:
        return bool(self.nodes)


def truncate(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def network_map(
    organisation_id: int, today: datetime.date | None = None, *, shared_only: bool = False
) -> NetworkMap:
    """The active institutions of one organisation and their ties.

    Parties of one cooperation agreement are tied pairwise (kind "agreement"),
    so are institutions that sit on one active committee (kind "committee");
    the weight counts the shared agreements or committees, an institution with
    two contact persons on one committee counts once. With `today`, agreements
    that expired before it are left out; with `shared_only` (for partners),
    committees not shared with partners are. Three queries."""
    nodes = tuple(
        MapNode(pk, name, short_name, domain, cooperates)
        for pk, name, short_name, domain, cooperates in Institution.objects.filter(
            organisation_id=organisation_id, is_active=True
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "short_name", "domain", "cooperates")
    )
    active = {node.pk for node in nodes}

    agreements = CooperationAgreement.objects.filter(organisation_id=organisation_id)
    if today is not None:
        agreements = agreements.exclude(valid_until__lt=today)
    parties = CooperationAgreement.parties.through.objects.filter(
        cooperationagreement__in=agreements.values("pk")
    ).values_list("cooperationagreement_id", "institution_id")
    members = (
        CommitteeMember.objects.filter(
            organisation_id=organisation_id,
            committee__in=Committee.objects.filter(
                organisation_id=organisation_id,
                is_active=True,
                **({"shared_with_partners": True} if shared_only else {}),
            ).values("pk"),
        )
        .order_by()
        .values_list("committee_id", "institution_id")
        .distinct()
    )

    edges = []
    for kind, memberships in ((AGREEMENT, parties), (COMMITTEE, members)):
        groups: dict[int, set[int]] = defaultdict(set)
        for group, institution in memberships:
            if institution in active:
                groups[group].add(institution)
        weights: Counter[tuple[int, int]] = Counter()
        for institutions in groups.values():
            weights.update(combinations(sorted(institutions), 2))
        edges.extend(
            MapEdge(source, target, kind, weight)
            for (source, target), weight in sorted(weights.items())
        )
    return NetworkMap(nodes=nodes, edges=tuple(edges))


@dataclass(frozen=True)
class NodePosition:
    x: float
    y: float
    angle: float  # radians, clockwise from the positive x axis (SVG coordinates)


@dataclass(frozen=True)
class Sector:
    domain: str
    start: float  # radians
    end: float


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    centre_x: float
    centre_y: float
    radius: float
    font_size: float
    positions: dict[int, NodePosition]
    sectors: tuple[Sector, ...]


FONT_SIZE = 12.0
SLOT = 19.0  # distance between neighbouring nodes on the circle, in viewBox units
NODE_RADIUS = 6.0
SECTOR_GAP = 1.5  # empty slots between two domains
LEGEND_ROW = 22.0


def layout(network_map: NetworkMap) -> MapLayout:
    """Where each institution goes on the map.

    The institutions sit on one circle, cut into four sectors, one per domain
    of the working aid, in the order of `Domain` clockwise from the top; within
    a sector they follow their names. Every institution takes the same arc
    (`SLOT`), so a sector's size shows how many institutions the domain has,
    and an empty domain keeps one slot so that the gap shows. The circle grows
    with the number of institutions instead of the font shrinking: with 80 the
    picture is about 900 units wide, so its 12-unit labels, written outward
    along the radius so that neighbours cannot overlap, stay legible at the
    width of a page. Ties are drawn as curves through the inside of the
    circle. Deterministic: the same data gives the same picture."""
    by_domain: dict[str, list[MapNode]] = {domain: [] for domain in Domain.values}
    for node in network_map.nodes:
        by_domain.setdefault(node.domain, []).append(node)
    for members in by_domain.values():
        members.sort(key=lambda node: (node.name.casefold(), node.pk))
    slots = sum(max(len(members), 1) for members in by_domain.values())
    units = slots + SECTOR_GAP * len(by_domain)
    step = 2 * math.pi / units
    radius = max(160.0, SLOT * units / (2 * math.pi))

    longest = max((len(node.label) for node in network_map.nodes), default=0)
    label_room = NODE_RADIUS + 6 + longest * FONT_SIZE * 0.62
    half = radius + label_room + 12
    width = height_of_circle = 2 * half
    legend_rows = 2 + math.ceil(len(by_domain) / 2)
    height = height_of_circle + legend_rows * LEGEND_ROW + 16
    centre_x = centre_y = half

    positions: dict[int, NodePosition] = {}
    sectors = []
    angle = -math.pi / 2 + SECTOR_GAP * step / 2
    for domain, members in by_domain.items():
        start = angle
        for index, node in enumerate(members):
            theta = start + (index + 0.5) * step
            positions[node.pk] = NodePosition(
                centre_x + radius * math.cos(theta), centre_y + radius * math.sin(theta), theta
            )
        angle = start + max(len(members), 1) * step
        sectors.append(Sector(domain, start, angle))
        angle += SECTOR_GAP * step
    return MapLayout(
        width=width,
        height=height,
        centre_x=centre_x,
        centre_y=centre_y,
        radius=radius,
        font_size=FONT_SIZE,
        positions=positions,
        sectors=tuple(sectors),
    )


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> str:
    large = 1 if end - start > math.pi else 0
    x1, y1 = cx + r * math.cos(start), cy + r * math.sin(start)
    x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
    return (
        f"M{_number(x1)} {_number(y1)} "
        f"A{_number(r)} {_number(r)} 0 {large} 1 {_number(x2)} {_number(y2)}"
    )


def _domain_label(domain: str) -> str:
    try:
        return str(Domain(domain).label)
    except ValueError:
        return domain


def network_map_svg(network_map: NetworkMap, *, id_prefix: str = "network-map") -> SafeString:
    """The network map as inline SVG markup (see `layout` for the picture),
    every text escaped; an empty string when there are no institutions.

    Agreements are solid lines, thicker the more agreements a pair shares;
    committee ties thin dashed lines. Filled nodes are institutions the network
    already cooperates with, hollow ones those it does not yet. Each node is a
    `<g>` whose `<title>` (the tooltip) carries the full name."""
    if not network_map.nodes:
        return SafeString("")
    plan = layout(network_map)
    names = {node.pk: node.name for node in network_map.nodes}
    cx, cy, r = plan.centre_x, plan.centre_y, plan.radius
    title = _("Network map")
    agreement_pairs = sum(1 for edge in network_map.edges if edge.kind == AGREEMENT)
    committee_pairs = len(network_map.edges) - agreement_pairs
    description = " ".join(
        (
            ngettext(
                "%(count)d institution, arranged by domain.",
                "%(count)d institutions, arranged by domain.",
                len(network_map.nodes),
            )
            % {"count": len(network_map.nodes)},
            ngettext(
                "%(count)d pair with a cooperation agreement,",
                "%(count)d pairs with a cooperation agreement,",
                agreement_pairs,
            )
            % {"count": agreement_pairs},
            ngettext(
                "%(count)d pair on a committee together.",
                "%(count)d pairs on a committee together.",
                committee_pairs,
            )
            % {"count": committee_pairs},
        )
    )
    prefix = escape(id_prefix)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_number(plan.width)} '
        f'{_number(plan.height)}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="network-map" font-family="sans-serif" font-size="{_number(plan.font_size)}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]

    # The domains: a coloured arc along each sector.
    out.append('<g class="sectors" fill="none" stroke-width="4" stroke-linecap="round">')
    for sector in plan.sectors:
        colour = DOMAIN_COLOURS.get(sector.domain, EDGE_COLOUR)
        path = _arc(cx, cy, r - NODE_RADIUS - 6, sector.start, sector.end)
        out.append(
            f'<path d="{path}" stroke="{colour}"><title>'
            f"{escape(_domain_label(sector.domain))}</title></path>"
        )
    out.append("</g>")

    # The ties, committees first so that agreements are drawn on top.
    out.append(f'<g class="edges" fill="none" stroke="{EDGE_COLOUR}">')
    for edge in sorted(network_map.edges, key=lambda edge: edge.kind != COMMITTEE):
        start, end = plan.positions[edge.source], plan.positions[edge.target]
        # A curve bent towards the centre: its control point is the chord's
        # middle moved inward by up to 0.4 radii, so that ties between
        # neighbours bow gently and ties across the circle stay straight.
        middle_x, middle_y = (start.x + end.x) / 2 - cx, (start.y + end.y) / 2 - cy
        distance = math.hypot(middle_x, middle_y)
        keep = 1 - min(distance, 0.4 * r) / distance if distance else 0
        control_x, control_y = cx + middle_x * keep, cy + middle_y * keep
        if edge.kind == AGREEMENT:
            style = f'stroke-width="{_number(1.25 + min(edge.weight, 3))}" stroke-opacity="0.8"'
            what = ngettext(
                "%(count)d cooperation agreement", "%(count)d cooperation agreements", edge.weight
            )
        else:
            style = (
                f'stroke-width="{_number(1 + 0.5 * min(edge.weight - 1, 3))}" '
                'stroke-dasharray="5 4" stroke-opacity="0.55"'
            )
            what = ngettext(
                "%(count)d committee together", "%(count)d committees together", edge.weight
            )
        tooltip = _("%(first)s and %(second)s: %(what)s") % {
            "first": names[edge.source],
            "second": names[edge.target],
            "what": what % {"count": edge.weight},
        }
        out.append(
            f'<path class="edge edge-{edge.kind}" d="M{_number(start.x)} {_number(start.y)} '
            f'Q{_number(control_x)} {_number(control_y)} {_number(end.x)} {_number(end.y)}" '
            f"{style}><title>{escape(tooltip)}</title></path>"
        )
    out.append("</g>")

    # The institutions, labels written outward along the radius.
    out.append('<g class="nodes">')
    for node in network_map.nodes:
        position = plan.positions[node.pk]
        colour = DOMAIN_COLOURS.get(node.domain, EDGE_COLOUR)
        degrees = math.degrees(position.angle)
        right = math.cos(position.angle) >= -1e-9
        offset = NODE_RADIUS + 5
        if right:
            label = (
                f'<text fill="{colour}" x="{_number(offset)}" dy="0.35em" '
                f'transform="rotate({_number(degrees)})">'
            )
        else:
            label = (
                f'<text fill="{colour}" x="{_number(-offset)}" dy="0.35em" text-anchor="end" '
                f'transform="rotate({_number(degrees - 180)})">'
            )
        fill = colour if node.cooperates else "#FFFFFF"
        out.append(
            f'<g class="node node-{escape(node.domain)}" data-pk="{node.pk}" '
            f'transform="translate({_number(position.x)} {_number(position.y)})">'
            f"<title>{escape(node.name)}</title>"
            f'<circle r="{_number(NODE_RADIUS)}" fill="{fill}" stroke="{colour}" '
            'stroke-width="2"/>'
            f"{label}"
            f"{escape(node.label)}</text></g>"
        )
    out.append("</g>")

    # The legend, below the circle.
    y = 2 * plan.centre_y + 8
    left = 16.0
    column = plan.width / 2
    out.append(f'<g class="legend" fill="{TEXT_COLOUR}">')
    for index, domain in enumerate(plan.sectors):
        x = left + (index % 2) * column
        row_y = y + (index // 2) * LEGEND_ROW
        colour = DOMAIN_COLOURS.get(domain.domain, EDGE_COLOUR)
        out.append(
            f'<rect x="{_number(x)}" y="{_number(row_y - 6)}" width="18" height="12" '
            f'fill="{colour}"/><text x="{_number(x + 26)}" y="{_number(row_y)}" dy="0.35em">'
            f"{escape(_domain_label(domain.domain))}</text>"
        )
    y += math.ceil(len(plan.sectors) / 2) * LEGEND_ROW
    out.append(
        f'<circle cx="{_number(left + 9)}" cy="{_number(y)}" r="{_number(NODE_RADIUS)}" '
        f'fill="{TEXT_COLOUR}" stroke="{TEXT_COLOUR}" stroke-width="2"/>'
        f'<text x="{_number(left + 26)}" y="{_number(y)}" dy="0.35em">'
        f"{escape(_('cooperation exists'))}</text>"
        f'<circle cx="{_number(left + column + 9)}" cy="{_number(y)}" '
        f'r="{_number(NODE_RADIUS)}" fill="#FFFFFF" stroke="{TEXT_COLOUR}" stroke-width="2"/>'
        f'<text x="{_number(left + column + 26)}" y="{_number(y)}" dy="0.35em">'
        f"{escape(_('no cooperation yet'))}</text>"
    )
    y += LEGEND_ROW
    out.append(
        f'<path d="M{_number(left)} {_number(y)} h18" stroke="{EDGE_COLOUR}" '
        'stroke-width="2.25"/>'
        f'<text x="{_number(left + 26)}" y="{_number(y)}" dy="0.35em">'
        f"{escape(_('cooperation agreement'))}</text>"
        f'<path d="M{_number(left + column)} {_number(y)} h18" stroke="{EDGE_COLOUR}" '
        'stroke-width="1" stroke-dasharray="5 4"/>'
        f'<text x="{_number(left + column + 26)}" y="{_number(y)}" dy="0.35em">'
        f"{escape(_('on a committee together'))}</text>"
    )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped  # nosec B308 B703
