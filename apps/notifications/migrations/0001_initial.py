# JobEmail moved here from apps.media: the table (media_jobemail) stays, only the model's owner changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('jobs', '0001_initial'),
        ('media', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='JobEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient', models.EmailField(max_length=254)),
                        ('status', models.CharField(max_length=16)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('job', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='completion_email', to='jobs.job')),
                    ],
                    options={'db_table': 'media_jobemail'},
                ),
            ],
            database_operations=[],
        ),
    ]
