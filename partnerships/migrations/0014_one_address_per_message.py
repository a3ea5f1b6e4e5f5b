"""One recipient per outbox message. A message queued for several (moderators' notices were
addressed to all of them, comma-separated) becomes one message for each, read as RFC 5322
reads an address list: a quoted local part stays one address, which the sender refuses.

Self-contained: nothing from the application is imported but the field's validator.
"""

from email.utils import getaddresses

from django.db import migrations, models

import partnerships.validators


def one_message_per_recipient(apps, schema_editor):
    OutboxMessage = apps.get_model("partnerships", "OutboxMessage")
    for message in OutboxMessage.objects.filter(to__contains=","):
        addresses = [address for _name, address in getaddresses([message.to]) if address]
        if len(addresses) < 2:
            continue
        for address in addresses[1:]:
            copy = OutboxMessage.objects.create(
                to=address,
                subject=message.subject,
                body=message.body,
                suggestion_id=message.suggestion_id,
                sent_at=message.sent_at,
                attempts=message.attempts,
                last_error=message.last_error,
            )
            OutboxMessage.objects.filter(pk=copy.pk).update(created_at=message.created_at)
        message.to = addresses[0]
        message.save(update_fields=["to"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0013_backfill_change_log"),
    ]

    operations = [
        migrations.RunPython(one_message_per_recipient, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="to",
            field=models.EmailField(
                help_text="One address: every recipient has a message of their own.",
                max_length=254,
                validators=[partnerships.validators.validate_plain_email],
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="submitter_email",
            field=models.EmailField(
                blank=True,
                max_length=254,
                validators=[partnerships.validators.validate_plain_email],
            ),
        ),
    ]
