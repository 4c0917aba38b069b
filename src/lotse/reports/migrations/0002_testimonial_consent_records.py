"""A testimonial's consent to publish becomes a consent record of its author
(purpose: publication), beside their other consents; the testimonial's own
consent fields go."""

from django.db import migrations


def to_consent_records(apps, schema_editor):
    Testimonial = apps.get_model("reports", "Testimonial")
    Consent = apps.get_model("people", "Consent")
    for testimonial in Testimonial.objects.exclude(consent_given_on=None).order_by("pk"):
        found = Consent.objects.filter(
            person_id=testimonial.person_id,
            purpose="publication",
            given_on=testimonial.consent_given_on,
        )
        if found.exists():
            continue
        Consent.objects.create(
            organisation_id=testimonial.organisation_id,
            person_id=testimonial.person_id,
            purpose="publication",
            given_on=testimonial.consent_given_on,
            # The testimonial knew the same three ways of giving it.
            channel=testimonial.consent_form or "paper",
            withdrawn_on=testimonial.consent_withdrawn_on,
            recorded_by_id=testimonial.recorded_by_id,
        )


def to_testimonials(apps, schema_editor):
    Testimonial = apps.get_model("reports", "Testimonial")
    Consent = apps.get_model("people", "Consent")
    for testimonial in Testimonial.objects.order_by("pk"):
        consent = (
            Consent.objects.filter(person_id=testimonial.person_id, purpose="publication")
            .order_by("-given_on", "-pk")
            .first()
        )
        if consent is not None:
            testimonial.consent_given_on = consent.given_on
            testimonial.consent_form = consent.channel
            testimonial.consent_withdrawn_on = consent.withdrawn_on
            testimonial.save(
                update_fields=["consent_given_on", "consent_form", "consent_withdrawn_on"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("people", "0014_person_anonymised_at"),
    ]

    operations = [
        migrations.RunPython(to_consent_records, to_testimonials),
        migrations.RemoveField(model_name="testimonial", name="consent_form"),
        migrations.RemoveField(model_name="testimonial", name="consent_given_on"),
        migrations.RemoveField(model_name="testimonial", name="consent_withdrawn_on"),
    ]
