"""The backup passphrase: where it comes from and how it is made the first time.

A lone operator cannot be expected to type a passphrase every night, so the worker needs one on the server:
``ZT_BACKUP_PASSPHRASE`` (injected by systemd) or, by default, ``secrets/backup_passphrase`` generated on
first use. The copy on the server only lets the server make backups; what protects the archives once they
are off the server is that the operator also keeps the passphrase *away* from it (on paper in the safe, in
a password manager), which ``./zt backup`` asks for when it generates the passphrase.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings

# No 0/o, 1/l/i: the passphrase is copied by hand onto paper and typed back in during a restore.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS = 6
GROUP_LENGTH = 4  # 24 characters from 31: about 119 bits


def passphrase_file() -> Path:
    return Path(settings.ZT_BACKUP_PASSPHRASE_FILE)


def generate() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


def write_passphrase(path: Path, passphrase: str) -> None:
    """Write ``passphrase`` to ``path`` readable by the service user only (mode 600 in a 700 directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(passphrase + "\n")
    os.chmod(path, 0o600)


def backup_passphrase() -> tuple[str, bool]:
    """The passphrase for new backups and whether it was generated just now (then show it to the operator)."""
    if os.environ.get("ZT_BACKUP_PASSPHRASE"):
        return os.environ["ZT_BACKUP_PASSPHRASE"], False
    path = passphrase_file()
    try:
        value = path.read_text().strip()
    except FileNotFoundError:
        value = ""
    if value:
        return value, False
    value = generate()
    write_passphrase(path, value)
    return value, True


def existing_passphrase() -> str | None:
    """The passphrase this server knows (environment or file) without creating one."""
    if os.environ.get("ZT_BACKUP_PASSPHRASE"):
        return os.environ["ZT_BACKUP_PASSPHRASE"]
    try:
        return passphrase_file().read_text().strip() or None
    except FileNotFoundError:
        return None
