"""Encrypting the key material inside a backup with the backup passphrase.

Construction (documented in the operator's guide, 10.2, so the keys can be recovered without Zhengtong):
key = scrypt(passphrase UTF-8, salt 16 random bytes, N, r, p, 32 bytes) (RFC 7914), then AES-256-GCM
(NIST SP 800-38D) with a 12-byte random nonce; the JSON header (everything except the ciphertext) is the
associated data, so its parameters cannot be altered without the tag failing.
"""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

FORMAT = "zt-backup-keys-1"
# scrypt cost: 2**17 x 8 x 128 bytes = 128 MiB and about half a second, the OWASP recommendation for scrypt.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1


class WrongPassphrase(Exception):
    """The passphrase does not open the key material (or the encrypted file was altered)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def encrypt(plaintext: bytes, passphrase: str) -> bytes:
    """Return the JSON document holding ``plaintext`` encrypted under ``passphrase``."""
    salt = os.urandom(16)
    nonce = os.urandom(12)
    header = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": "AES-256-GCM",
        "nonce": _b64(nonce),
    }
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _aad(header))
    return json.dumps({**header, "ciphertext": _b64(ciphertext)}, indent=1).encode()


def decrypt(document: bytes, passphrase: str) -> bytes:
    """The plaintext of an ``encrypt`` document; ``WrongPassphrase`` when the passphrase does not fit."""
    data = json.loads(document)
    if data.get("format") != FORMAT or data.get("cipher") != "AES-256-GCM" or data["kdf"].get("name") != "scrypt":
        raise ValueError(_("不认识的密钥加密格式。"))
    ciphertext = base64.b64decode(data.pop("ciphertext"))
    kdf = data["kdf"]
    key = _derive(passphrase, base64.b64decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
    try:
        return AESGCM(key).decrypt(base64.b64decode(data["nonce"]), ciphertext, _aad(data))
    except InvalidTag:
        raise WrongPassphrase(_("备份口令不对，无法解开备份中的密钥。")) from None
