import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("dossiers", "0003_performance"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierDraft",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("idempotency_key", models.CharField(max_length=80)),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="nội dung đã khai")),
                ("files", models.JSONField(blank=True, default=dict, verbose_name="tệp đã tải lên")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(verbose_name="lưu lần cuối")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="hết hạn lúc")),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="dossier_drafts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "procedure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.procedure",
                        verbose_name="thủ tục",
                    ),
                ),
            ],
            options={
                "verbose_name": "hồ sơ lưu nháp",
                "verbose_name_plural": "hồ sơ lưu nháp",
                "ordering": ["-updated_at"],
                "indexes": [models.Index(fields=["owner", "-updated_at"], name="draft_owner_updated")],
                "constraints": [
                    models.UniqueConstraint(fields=("owner", "idempotency_key"), name="draft_owner_key_unique")
                ],
            },
        ),
    ]
