"""The meetings' site and programme are required (0006 filled them in; in a
migration of their own, because PostgreSQL does not alter a table with
foreign-key checks of that update still pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0006_meeting_site_programme"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="site",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.site",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="programme",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="programmes.programme",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["organisation", "site", "held_on", "programme", "duration_minutes"],
                name="meeting_site_period",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["organisation", "programme", "held_on", "site", "duration_minutes"],
                name="meeting_programme_period",
            ),
        ),
    ]
