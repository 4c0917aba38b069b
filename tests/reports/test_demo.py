"""The demo's reports: testimonials of its tandems, the key figures of this
year, the statistics and an annual report for a coordinator of the demo."""

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from lotse.accounts.models import User
from lotse.reports.models import Testimonial

from ..conftest import sign_in


def test_the_demo_reports(db, client, django_capture_on_commit_callbacks):
    call_command("demo", verbosity=0)
    with scopes_disabled():
        testimonials = Testimonial.objects.all()
        assert testimonials.count() == 4
        assert testimonials.publishable().count() == 3
        user = User.objects.get(email="koordination@lindenau.example")
    sign_in(client, user)
    year = timezone.localdate().year
    page = client.get(reverse("reports:dashboard"), {"kind": "year", "year": year})
    assert page.status_code == 200
    text = page.content.decode()
    # The demo's tandems ran this year.
    active = text.split('data-figure="tandems_active">')[1].split("<")[0]
    assert int(active.replace(".", "")) > 0
    assert client.get(reverse("reports:statistics")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:annual_report_list"),
            {"year": str(year - 1), "language": "de", "title": "Jahresbericht"},
        )
    assert response.status_code == 302
    assert "Der Bericht ist fertig." in client.get(response["Location"]).content.decode()
