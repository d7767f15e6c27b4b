"""The audit chain's MAC key, kept in the secrets directory and never in the database.

GB/T 22239-2019 安全审计: whoever can write the database must not be able to forge a valid chain,
so the key lives apart from it (file mode 600 in a 700 directory, like SECRET_KEY in zhengtong/secrets.py).
"""

import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings

from zhengtong.secrets import write_new_secret

KEY_BYTES = 32


def key_path() -> Path:
    return Path(settings.ZT_AUDIT_KEY_FILE)


@cache
def _load_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = secrets.token_bytes(KEY_BYTES)
        if not write_new_secret(path, key):  # another process created it first: use theirs
            key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise RuntimeError(f"{path}: audit key must be {KEY_BYTES} bytes, found {len(key)}")
    return key


def audit_key() -> bytes:
    """The installation's audit key, created (32 random bytes, mode 600) on first use."""
    return _load_or_create(key_path())
