from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_online_submission")]

    operations: list[migrations.operations.base.Operation] = []
