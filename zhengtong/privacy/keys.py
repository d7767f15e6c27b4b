"""The software provider's keys, kept in the secrets directory and never in the database.

Two files, mode 600 in the 700 ``secrets`` directory (like ``secret_key`` and ``audit_key``):

- ``personal_data_keys.json``, the **data key ring**: SM4 keys, each with an id, a creation time and a
  state. ``current`` encrypts new values; ``retiring`` keys still decrypt while ``./zt keys rotate``
  re-encrypts their values; ``retired`` keys no value in the database uses any more. Retired keys are kept
  so that a value from an older backup (restored table, exported fixture) can still be read; an operator
  who must destroy a compromised key deletes its entry by hand after the rotation (operator's guide).
- ``personal_data_index_key``, the **blind-index key** (32 bytes for HMAC-SM3). It does not rotate with
  the data keys: every blind index is a function of it, so changing it means recomputing every index of
  every row while lookups in between find nothing (ADR 0007).

Both are created on first use through ``zhengtong.secrets.write_new_secret``, so two processes starting together
cannot write different keys, nor read a half-written one.
The ring is re-read whenever the file changes, so running web workers pick up a rotation at once.
"""

import fcntl
import json
import os
import secrets
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock

from zhengtong.secrets import write_new_secret

SM4_KEY_BYTES = 16  # SM4 is a 128-bit block cipher with a 128-bit key (GB/T 32907-2016)
INDEX_KEY_BYTES = 32
RING_FORMAT = 1

CURRENT = "current"
RETIRING = "retiring"
RETIRED = "retired"


class KeyRingError(RuntimeError):
    """The key ring is missing a key, unreadable or malformed."""


@dataclass(frozen=True)
class DataKey:
    id: str
    material: bytes
    created: datetime
    state: str
    retired: datetime | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "material": self.material.hex(),
            "created": self.created.isoformat(),
            "state": self.state,
            "retired": self.retired.isoformat() if self.retired else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "DataKey":
        material = bytes.fromhex(data["material"])
        if len(material) != SM4_KEY_BYTES:
            raise KeyRingError(f"key {data['id']}: SM4 key must be {SM4_KEY_BYTES} bytes")
        return cls(
            id=data["id"],
            material=material,
            created=datetime.fromisoformat(data["created"]),
            state=data["state"],
            retired=datetime.fromisoformat(data["retired"]) if data.get("retired") else None,
        )


def _new_key(number: int) -> DataKey:
    return DataKey(id=f"k{number}", material=secrets.token_bytes(SM4_KEY_BYTES), created=datetime.now(UTC),
                   state=CURRENT)  # fmt: skip


def _secure_dir(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)


def _write_new(path: Path, data: bytes) -> bool:
    """Create ``path`` (mode 600) holding ``data``; False if another process created it first."""
    return write_new_secret(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old ring or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")  # mkstemp creates it mode 600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class KeyRing:
    """The data keys in ``path``; every method re-reads the file when it changed on disk."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = Lock()
        self._stamp: tuple | None = None
        self._keys: dict[str, DataKey] = {}

    # --- reading ---------------------------------------------------------------------------------------
    def _load(self) -> dict[str, DataKey]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._create()
            st = self.path.stat()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._keys = self._parse(self.path.read_bytes())
                self._stamp = stamp
            return self._keys

    def _parse(self, raw: bytes) -> dict[str, DataKey]:
        try:
            data = json.loads(raw)
            keys = [DataKey.from_json(k) for k in data["keys"]]
        except (ValueError, KeyError, TypeError) as e:
            raise KeyRingError(f"{self.path}: unreadable key ring ({e})") from e
        if sum(k.state == CURRENT for k in keys) != 1:
            raise KeyRingError(f"{self.path}: the key ring must have exactly one current key")
        return {k.id: k for k in keys}

    def _create(self) -> None:
        _secure_dir(self.path)
        _write_new(self.path, self._dump([_new_key(1)]))

    @staticmethod
    def _dump(keys: list[DataKey]) -> bytes:
        return json.dumps({"format": RING_FORMAT, "keys": [k.as_json() for k in keys]}, indent=2).encode()

    def exists(self) -> bool:
        return self.path.exists()

    def keys(self) -> list[DataKey]:
        return list(self._load().values())

    def current(self) -> DataKey:
        return next(k for k in self._load().values() if k.state == CURRENT)

    def get(self, key_id: str) -> DataKey:
        try:
            return self._load()[key_id]
        except KeyError:
            raise KeyRingError(f"{self.path}: no key {key_id!r} (restored data without its key ring?)") from None

    def retiring(self) -> list[DataKey]:
        return [k for k in self._load().values() if k.state == RETIRING]

    # --- changing (./zt keys rotate) -------------------------------------------------------------------
    @contextmanager
    def _changing(self):
        """Hold an exclusive lock for a read-modify-write of the ring (two rotations cannot interleave)."""
        self._load()
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            os.chmod(lock.name, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self._parse(self.path.read_bytes())
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add_key(self) -> DataKey:
        """Make a new key current; the old current key becomes ``retiring``."""
        with self._changing() as keys:
            number = 1 + max(int(k[1:]) for k in keys if k[1:].isdigit())
            new = _new_key(number)
            ring = [replace(k, state=RETIRING) if k.state == CURRENT else k for k in keys.values()]
            _replace(self.path, self._dump([*ring, new]))
        return new

    def retire(self, key_ids: list[str]) -> None:
        """Mark ``retiring`` keys as ``retired`` once no stored value uses them."""
        now = datetime.now(UTC)
        with self._changing() as keys:
            ring = [
                replace(k, state=RETIRED, retired=now) if k.id in key_ids and k.state == RETIRING else k
                for k in keys.values()
            ]
            _replace(self.path, self._dump(ring))


def load_or_create_index_key(path: Path) -> bytes:
    """The blind-index key, created (32 random bytes, mode 600) on first use."""
    _secure_dir(path)
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = secrets.token_bytes(INDEX_KEY_BYTES)
        if not _write_new(path, key):
            key = path.read_bytes()
    if len(key) != INDEX_KEY_BYTES:
        raise KeyRingError(f"{path}: blind-index key must be {INDEX_KEY_BYTES} bytes, found {len(key)}")
    return key
