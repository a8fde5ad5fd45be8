from django.db import migrations, models


def backfill(apps, schema_editor):
    """Messages queued before mailings existed: same name, meeting (or committee) and day."""
    OutboxMessage = apps.get_model("communications", "OutboxMessage")
    rows = []
    for m in OutboxMessage.objects.filter(mailing="").only(
        "pk", "message_name", "meeting_id", "committee_id", "created_at"
    ).iterator(chunk_size=2000):
        about = f"m{m.meeting_id}" if m.meeting_id else (
            f"c{m.committee_id}" if m.committee_id else "-"
        )
        m.mailing = f"{m.message_name}:{about}:{m.created_at.date().isoformat()}"
        rows.append(m)
        if len(rows) >= 2000:
            OutboxMessage.objects.bulk_update(rows, ["mailing"])
            rows = []
    if rows:
        OutboxMessage.objects.bulk_update(rows, ["mailing"])


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0003_outbox_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="mailing",
            field=models.CharField(blank=True, db_index=True, max_length=150),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="mailing_label",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
