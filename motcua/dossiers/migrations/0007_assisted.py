# Written by hand: assisted submission — a counter officer prepares a draft in the applicant's own
# account (docs/dossier-lifecycle.md, "Assisted submission").
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("dossiers", "0006_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossierdraft",
            name="prepared_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="cán bộ chuẩn bị",
            ),
        ),
        migrations.AddField(
            model_name="dossierdraft",
            name="prepared_unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="prepared_drafts",
                to="organizations.unit",
                verbose_name="Bộ phận Một cửa chuẩn bị",
            ),
        ),
        migrations.AddField(
            model_name="dossierdraft",
            name="prepared_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="chuẩn bị lúc"),
        ),
        migrations.AddConstraint(
            model_name="dossierdraft",
            constraint=models.CheckConstraint(
                condition=models.Q(("prepared_at__isnull", True), ("prepared_unit__isnull", True))
                | models.Q(("prepared_at__isnull", False), ("prepared_unit__isnull", False)),
                name="draft_prepared_unit_and_time",
            ),
        ),
    ]
