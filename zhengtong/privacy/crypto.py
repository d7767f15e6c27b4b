"""The crypto provider: the small interface every personal-data operation goes through.

GB/T 39786-2021 asks a level-3 system to use certified cryptographic products. The default
``SoftwareProvider`` (SM4-GCM and HMAC-SM3 from ``cryptography``, keys in the secrets directory) needs no
extra product; a county that has a certified crypto service (a 密码机 or a cloud KMS with 商用密码产品认证)
writes a class with the same methods and names it in ``ZT_CRYPTO_PROVIDER`` (a dotted path). Nothing else
in the platform changes: fields, rotation, checks and reveal all call ``get_provider()``.
"""

import base64
import os
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from zhengtong.privacy.keys import KeyRing, load_or_create_index_key

TOKEN_VERSION = "zt1"  # noqa: S105  (a format tag, not a secret)
NONCE_BYTES = 12  # GCM's natural nonce size (NIST SP 800-38D 8.2); random per value
TAG_BYTES = 16


class DecryptionError(ValueError):
    """A token could not be decrypted: wrong key, wrong column (associated data) or altered bytes."""


class CryptoProvider(ABC):
    """What the platform needs from a crypto service. Tokens are ASCII strings with no ``:`` in a key id.

    A token names the key that sealed it (``key_id``) so keys can rotate: values sealed with any key the
    provider still holds must decrypt, and ``./zt keys rotate`` re-encrypts those not on the current key.
    """

    @abstractmethod
    def encrypt(self, plaintext: str, aad: bytes) -> str:
        """Seal ``plaintext`` with the current key; ``aad`` (associated data) must be given again to open it."""

    @abstractmethod
    def decrypt(self, token: str, aad: bytes) -> str:
        """Open a token; raise ``DecryptionError`` if it was altered or sealed with other associated data."""

    @abstractmethod
    def blind_index(self, kind: str, normalised_value: str) -> str:
        """A keyed, deterministic digest (hex) of a normalised value, for exact-match lookup."""

    @abstractmethod
    def current_key_id(self) -> str:
        """The id of the key ``encrypt`` uses now."""

    def key_id(self, token: str) -> str:
        """The id of the key that sealed ``token`` (read from the token, no decryption)."""
        return parse_token(token)[1]

    # Key management. A certified service usually rotates keys itself; then these stay unimplemented and
    # `./zt keys rotate` says so, while `./zt keys rotate --reencrypt-only` still re-seals old values.
    def start_rotation(self) -> str:
        """Make a new key current (the previous one still decrypts); return its id."""
        raise NotImplementedError("这个密码服务由服务本身管理密钥轮换")

    def retiring_key_ids(self) -> list[str]:
        """Keys being rotated out: values under them are re-encrypted, then ``finish_rotation``."""
        return []

    def finish_rotation(self, key_ids: list[str]) -> None:  # noqa: B027  (optional, nothing to do by default)
        """No stored value uses ``key_ids`` any more."""

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) lines for ``./zt keys status``."""
        return [("密码服务", type(self).__module__ + "." + type(self).__qualname__)]

    def self_check(self) -> list:
        """Django check messages about the provider's own health (ids zhengtong.W3xx/E3xx)."""
        return []


def make_token(key_id: str, payload: bytes) -> str:
    return f"{TOKEN_VERSION}:{key_id}:{base64.urlsafe_b64encode(payload).decode().rstrip('=')}"


def parse_token(token: str) -> tuple[str, str, bytes]:
    """(version, key id, payload) of a token; ``DecryptionError`` if it is not one."""
    try:
        version, key_id, body = token.split(":")
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, AttributeError) as e:
        raise DecryptionError("not a personal-data token") from e
    if version != TOKEN_VERSION or not key_id:
        raise DecryptionError(f"unknown token version {version!r}")
    return version, key_id, payload


def looks_like_token(value: str) -> bool:
    try:
        parse_token(value)
    except DecryptionError:
        return False
    return True


class SoftwareProvider(CryptoProvider):
    """SM4-GCM (SM4: GB/T 32907-2016; GCM: GB/T 17964-2021, RFC 8998) and HMAC-SM3 (GB/T 32905-2016)."""

    def __init__(self, ring_path: Path | None = None, index_key_path: Path | None = None):
        self.ring = KeyRing(Path(ring_path or settings.ZT_PERSONAL_DATA_KEYRING))
        self.index_key_path = Path(index_key_path or settings.ZT_PERSONAL_DATA_INDEX_KEY_FILE)

    @staticmethod
    def _aad(key_id: str, aad: bytes) -> bytes:
        # The header is authenticated too: a token cannot be relabelled with another version or key id.
        return f"{TOKEN_VERSION}:{key_id}:".encode() + aad

    def encrypt(self, plaintext: str, aad: bytes) -> str:
        key = self.ring.current()
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(algorithms.SM4(key.material), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(self._aad(key.id, aad))
        ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
        return make_token(key.id, nonce + ciphertext + encryptor.tag)

    def decrypt(self, token: str, aad: bytes) -> str:
        _version, key_id, payload = parse_token(token)
        if len(payload) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("token too short")
        key = self.ring.get(key_id)
        nonce, ciphertext, tag = payload[:NONCE_BYTES], payload[NONCE_BYTES:-TAG_BYTES], payload[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key.material), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(self._aad(key_id, aad))
        try:
            return (decryptor.update(ciphertext) + decryptor.finalize()).decode()
        except InvalidTag:
            raise DecryptionError("token altered or moved to another field") from None

    def _index_key(self) -> bytes:
        return _cached_index_key(self.index_key_path)

    def blind_index(self, kind: str, normalised_value: str) -> str:
        h = hmac.HMAC(self._index_key(), hashes.SM3())
        # The kind is part of the message: the same digits as a phone and as an ID give unrelated indexes.
        h.update(kind.encode() + b"\x00" + normalised_value.encode())
        return h.finalize().hex()

    def current_key_id(self) -> str:
        return self.ring.current().id

    def start_rotation(self) -> str:
        return self.ring.add_key().id

    def retiring_key_ids(self) -> list[str]:
        return [k.id for k in self.ring.retiring()]

    def finish_rotation(self, key_ids: list[str]) -> None:
        self.ring.retire(key_ids)

    def describe(self) -> list[tuple[str, str]]:
        return [
            *super().describe(),
            ("数据密钥环", str(self.ring.path)),
            ("索引密钥", str(self.index_key_path)),
        ]

    def self_check(self) -> list:
        from zhengtong.privacy.checks import check_software_keys

        return check_software_keys(self)


@cache
def _cached_index_key(path: Path) -> bytes:
    return load_or_create_index_key(path)


@cache
def get_provider() -> CryptoProvider:
    """The installation's provider, from ``ZT_CRYPTO_PROVIDER`` (created once per process)."""
    provider = import_string(settings.ZT_CRYPTO_PROVIDER)()
    if not isinstance(provider, CryptoProvider):
        raise TypeError(f"{settings.ZT_CRYPTO_PROVIDER} is not a zhengtong.privacy.crypto.CryptoProvider")
    return provider


@receiver(setting_changed)
def _reset_provider(setting: str, **kwargs) -> None:
    if setting.startswith(("ZT_CRYPTO_PROVIDER", "ZT_PERSONAL_DATA_")):
        get_provider.cache_clear()
        _cached_index_key.cache_clear()
