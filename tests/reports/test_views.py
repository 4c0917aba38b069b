"""The reports pages: the dashboard for every period kind, the records behind
a figure for those who may see them, the statistics without a name, the
exports, and clear errors for a bad period."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(world, client_for):
    return client_for(world.alice)


@pytest.fixture
def vera(world, client_for):
    return client_for(world.vera)


def test_the_dashboard_shows_each_figure_with_its_definition(world, alice):
    response = alice.get(reverse("reports:dashboard"), {"kind": "month", "year": 2026, "month": 11})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aktive Tandems" in page or "Active tandems" in page
    # The world's tandem started 30 days ago and runs: active this month.
    cell = page.split('data-figure="tandems_active">')[1].split("<")[0]
    assert cell == "1"
    # The period before, for comparison.
    assert "Oktober 2026" in page or "October 2026" in page
    # The trend charts follow in a second request, with a link for a browser
    # without JavaScript.
    assert "<svg" not in page
    trends_url = reverse("reports:dashboard_trends") + "?kind=month&amp;year=2026&amp;month=11"
    assert f'hx-get="{trends_url}"' in page and f'href="{trends_url}"' in page


def test_the_trend_charts_come_as_the_sections_content_or_as_a_page(alice):
    query = {"kind": "month", "year": 2026, "month": 11}
    fragment = alice.get(reverse("reports:dashboard_trends"), query, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    content = fragment.content.decode()
    assert "<svg" in content and 'role="img"' in content and "<html" not in content
    # Twelve months up to November, each a column of the table beside the chart.
    tandems = fragment.context["trends"][0]
    assert [label for label, _value in tandems["points"]][-1].startswith(("Nov", "11"))
    assert len(tandems["points"]) == 12
    page = alice.get(reverse("reports:dashboard_trends"), query)
    assert "<html" in page.content.decode() and "<svg" in page.content.decode()
    assert reverse("reports:dashboard") + "?kind=month" in page.content.decode()


def test_trends_of_a_bad_period_go_back_to_the_dashboard_that_explains(alice):
    query = {"kind": "custom", "start": "2026-03-14", "end": "2026-01-15"}
    response = alice.get(reverse("reports:dashboard_trends"), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:dashboard") + "?kind=custom")


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "year", "year": 2026},
        {"kind": "quarter", "year": 2026, "quarter": 4},
        {"kind": "custom", "start": "2026-01-15", "end": "2026-03-14"},
        {},
    ],
)
def test_every_kind_of_period(alice, query):
    response = alice.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    assert 'id="period-shown"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "custom", "start": "2026-03-14", "end": "2026-01-15"},
        {"kind": "custom"},
        {"kind": "custom", "start": "1990-01-01", "end": "2026-01-01"},
        {"kind": "year", "year": "zwei"},
        {"kind": "week"},
        {"programme": "999999"},
    ],
)
def test_a_bad_period_is_refused_with_a_message(alice, query):
    response = alice.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "kern-alert--danger" in page
    assert 'id="period-shown"' not in page
    assert alice.get(reverse("reports:dashboard_xlsx"), query).status_code == 400


def test_the_viewer_reads_figures_but_not_the_records_behind_them(world, vera):
    page = vera.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:records", args=["tandems_active"]) not in page
    assert vera.get(reverse("reports:records", args=["tandems_active"])).status_code == 403
    assert "Haddad" not in page


def test_the_records_behind_a_figure(world, alice):
    page = alice.get(reverse("reports:dashboard")).content.decode()
    url = reverse("reports:records", args=["tandems_active"])
    assert url in page
    response = alice.get(url, {"kind": "month", "year": 2026, "month": 11})
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("tandems:tandem_detail", args=[world.tandem_a.pk]) in body
    assert alice.get(reverse("reports:records", args=["meetings_held"])).status_code == 404
    assert alice.get(reverse("reports:records", args=["no_such_figure"])).status_code == 404


def test_a_caseworker_sees_only_the_records_of_her_sites(world, client_for):
    cora = client_for(world.cora)  # site A2; the world's tandem is at A1
    body = cora.get(
        reverse("reports:records", args=["tandems_active"]),
        {"kind": "month", "year": 2026, "month": 11},
    ).content.decode()
    assert reverse("tandems:tandem_detail", args=[world.tandem_a.pk]) not in body
    page = cora.get(
        reverse("reports:dashboard"), {"kind": "month", "year": 2026, "month": 11}
    ).content.decode()
    assert page.split('data-figure="tandems_active">')[1].split("<")[0] == "0"


def test_the_key_figures_download_as_xlsx_and_csv(alice):
    query = {"kind": "year", "year": 2026}
    response = alice.get(reverse("reports:dashboard_xlsx"), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "2026" and rows[0][5] == "2025"
    codes = {row[1] for row in rows[1:]}
    assert any("Tandems" in str(code) for code in codes)
    response = alice.get(reverse("reports:dashboard_csv"), query)
    text = response.content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == len(rows)


def test_the_statistics_show_counts_only_and_hide_small_ones(world, vera):
    response = vera.get(reverse("reports:statistics"), {"kind": "year", "year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Haddad", "Amira", "Bondarenko", "Demir"):
        assert name not in page
    # The world has fewer than five people in any group: everything is hidden.
    assert "•" in page
    body = page.split('id="hidden-note"')[1]
    cells = re.findall(r'<td class="kern-table__cell">(\d+)</td>', body)
    assert all(int(count) == 0 or int(count) >= 5 for count in cells)


def test_the_statistics_download(vera):
    response = vera.get(reverse("reports:statistics_xlsx"), {"kind": "year", "year": 2026})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    numbers = [value for row in rows[1:] for value in row[2:] if isinstance(value, int)]
    assert all(value == 0 or value >= 5 for value in numbers)
    assert vera.get(reverse("reports:statistics_csv")).status_code == 200
