"""Move authenticators enrolled with django-otp's TOTPDevice (plain-text secrets) to AuthenticatorDevice
(encrypted secrets), then delete the plain-text rows. Users keep their phones; verified sessions ask again."""

from django.db import migrations

FIELDS = ("name", "confirmed", "step", "t0", "digits", "tolerance", "last_t", "created_at", "last_used_at")
THROTTLE = ("throttling_failure_timestamp", "throttling_failure_count")


def move(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    AuthenticatorDevice = apps.get_model("zt_twofactor", "AuthenticatorDevice")
    for old in TOTPDevice.objects.all():
        values = {field: getattr(old, field) for field in FIELDS + THROTTLE}
        AuthenticatorDevice.objects.create(user_id=old.user_id, secret=old.key, **values)
    TOTPDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("zt_twofactor", "0002_encrypted_authenticator"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
