"""Load the WZ 2008 sections, the KldB 2010 occupational areas, and the default
needs catalogue of every existing organisation."""

from django.db import migrations

from lotse.people.catalogues import DEFAULT_NEEDS, load_reference_lists


def load(apps, schema_editor):
    load_reference_lists(
        apps.get_model("people", "Industry"), apps.get_model("people", "OccupationArea")
    )
    Need = apps.get_model("people", "Need")
    for organisation in apps.get_model("core", "Organisation").objects.all():
        for name, _area in DEFAULT_NEEDS:
            Need.objects.get_or_create(organisation=organisation, name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_profiles"), ("core", "0002_site_version")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
