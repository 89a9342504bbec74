from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_fees")]

    operations: list[migrations.operations.base.Operation] = []
