"""Review before live: an Editor's changes to a public item wait in a PendingRevision
(iomcms/review.py)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('iomcms', '0003_search_languages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalPendingRevision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('data', models.JSONField(default=dict, verbose_name='proposed values')),
                ('state', models.CharField(choices=[('submitted', 'Waiting for review'), ('changes-requested', 'Changes requested'), ('approved', 'Approved')], default='submitted', max_length=20, verbose_name='state')),
                ('comment', models.TextField(blank=True, verbose_name='note for the Publisher')),
                ('submitted_at', models.DateTimeField(verbose_name='submitted')),
                ('review_comment', models.TextField(blank=True, verbose_name="reviewer's comment")),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('author', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('content_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'historical pending revision',
                'verbose_name_plural': 'historical pending revisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PendingRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('data', models.JSONField(default=dict, verbose_name='proposed values')),
                ('state', models.CharField(choices=[('submitted', 'Waiting for review'), ('changes-requested', 'Changes requested'), ('approved', 'Approved')], default='submitted', max_length=20, verbose_name='state')),
                ('comment', models.TextField(blank=True, verbose_name='note for the Publisher')),
                ('submitted_at', models.DateTimeField(verbose_name='submitted')),
                ('review_comment', models.TextField(blank=True, verbose_name="reviewer's comment")),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'pending revision',
                'verbose_name_plural': 'pending revisions',
                'ordering': ['-submitted_at', '-id'],
                'get_latest_by': 'submitted_at',
                'indexes': [models.Index(fields=['content_type', 'state', 'object_id'], name='pendingrevision_state_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ('submitted', 'changes-requested'))), fields=('content_type', 'object_id'), name='pendingrevision_one_open_per_item'), models.CheckConstraint(condition=models.Q(('state__in', ['submitted', 'changes-requested', 'approved'])), name='pendingrevision_state_valid')],
            },
        ),
    ]
