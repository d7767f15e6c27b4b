"""Settings of the server the security lane scans: the platform's own, with what would stop a scanner raised.

Only limits change (the injection and XSS tests must reach the code behind the login and the public forms);
every protection the scanners are meant to meet (CSRF, escaping, validation, headers) stays as in production.
"""

from zhengtong.settings import *  # noqa: F403

# A failed login checks a password hash; the fast hasher keeps the thousands of scanner logins within the lane's
# time (the hash is not what is tested here).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lockout after failed logins (django-axes, zhengtong.accounts; ZT_LOCKOUT_FAILURES): raised, or the scanners
# would only ever see the lockout page. The lockout itself is tested in the accounts app.
AXES_FAILURE_LIMIT = 1_000_000

# Per-address rate limits of the login and the public forms (zhengtong.hardening: ZT_RATE_LIMITS, scope ->
# (requests, seconds)): every scope, present and future, a thousand times higher, for the same reason.
RATE_LIMIT_FACTOR = 1000
if isinstance(globals().get("ZT_RATE_LIMITS"), dict):
    ZT_RATE_LIMITS = {scope: (n * RATE_LIMIT_FACTOR, s) for scope, (n, s) in ZT_RATE_LIMITS.items()}  # noqa: F405
