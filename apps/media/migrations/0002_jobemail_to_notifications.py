# JobEmail moved to apps.notifications: drop it from media's state only (its table stays).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0001_initial'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='JobEmail')],
            database_operations=[],
        ),
    ]
