"""Secrets kept in the data directory, readable by the service user only."""

import os
import secrets
import tempfile
from pathlib import Path


def write_new_secret(path: Path, data: bytes) -> bool:
    """Create ``path`` (mode 600) holding ``data``; False when another process created it first.

    The file appears whole or not at all (written under a temporary name, then hard-linked into place, which
    fails if the name exists), so a process starting beside another never reads a half-written key, and two
    processes never end up with different keys. Every key file of the platform is created through here.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # mode 600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


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
    if not write_new_secret(path, key.encode()):
        return path.read_text().strip()
    return key
