"""Secrets kept in the data directory, readable by the service user only."""

import os
import secrets
from pathlib import Path


def load_or_create_secret_key(secrets_dir: Path) -> str:
    """Return the installation's secret key, generating it (mode 600) on first use.

    ``ZT_SECRET_KEY`` overrides the file, for deployments that inject secrets.
    """
    if os.environ.get("ZT_SECRET_KEY"):
        return os.environ["ZT_SECRET_KEY"]
    secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    path = secrets_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting together must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key
