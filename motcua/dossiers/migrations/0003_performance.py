from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_interchange_fields")]

    operations: list[migrations.operations.base.Operation] = []
