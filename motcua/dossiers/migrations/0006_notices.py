# Written by hand: the dossier app's own notice rows are replaced by the notifications outbox
# (motcua.notifications.Message). Rows still here were never sent; they are dropped with the table.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_fees")]

    operations = [
        migrations.DeleteModel(name="PendingNotice"),
    ]
