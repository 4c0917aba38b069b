"""Each meeting keeps its tandem's site and programme, for the reports' filters."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_tandems(apps, schema_editor):
    Meeting = apps.get_model("tandems", "Meeting")
    Tandem = apps.get_model("tandems", "Tandem")
    tandem = Tandem.objects.filter(pk=OuterRef("tandem_id"))
    Meeting._base_manager.update(
        site_id=Subquery(tandem.values("site_id")[:1]),
        programme_id=Subquery(tandem.values("programme_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_place_data"),
        ("programmes", "0001_initial"),
        ("tandems", "0005_evaluation_answers_in_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="site",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.site",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="programme",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="programmes.programme",
            ),
        ),
        migrations.RunPython(copy_from_tandems, migrations.RunPython.noop, elidable=True),
    ]
