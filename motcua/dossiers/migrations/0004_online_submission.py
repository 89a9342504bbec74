from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_performance")]

    operations: list[migrations.operations.base.Operation] = []
