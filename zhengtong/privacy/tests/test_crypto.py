import json
import stat

import pytest
from django.core.checks import Error

from zhengtong.privacy import crypto
from zhengtong.privacy.crypto import CryptoProvider, DecryptionError, SoftwareProvider, get_provider, parse_token
from zhengtong.privacy.keys import KeyRing, KeyRingError, _write_new


def test_sm4_gcm_round_trip_with_associated_data():
    provider = get_provider()
    token = provider.encrypt("张三", b"app.model.name")
    assert token.startswith("zt1:k1:")
    assert "张三" not in token
    assert provider.decrypt(token, b"app.model.name") == "张三"


def test_every_encryption_uses_a_fresh_nonce():
    provider = get_provider()
    tokens = {provider.encrypt("13800001234", b"a") for _ in range(20)}
    assert len(tokens) == 20
    nonces = {parse_token(t)[2][:12] for t in tokens}
    assert len(nonces) == 20


def test_other_associated_data_altered_bytes_or_relabelled_key_are_refused():
    provider = get_provider()
    token = provider.encrypt("13800001234", b"zt_x.applicant.phone")
    with pytest.raises(DecryptionError):
        provider.decrypt(token, b"zt_x.applicant.email")
    _version, key_id, payload = parse_token(token)
    flipped = bytes([payload[0], payload[1] ^ 1]) + payload[2:]
    with pytest.raises(DecryptionError):
        provider.decrypt(crypto.make_token(key_id, flipped), b"zt_x.applicant.phone")
    with pytest.raises(DecryptionError):
        provider.decrypt("not a token", b"")


def test_the_cipher_really_is_sm4_gcm(key_files):
    """Decrypt a token with cryptography's SM4-GCM directly, from the key in the ring file."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    token = get_provider().encrypt("北庭路1号", b"aad")
    _v, key_id, payload = parse_token(token)
    ring = json.loads((key_files / "personal_data_keys.json").read_text())
    key = bytes.fromhex(next(k["material"] for k in ring["keys"] if k["id"] == key_id))
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(payload[:12], payload[-16:])).decryptor()
    decryptor.authenticate_additional_data(f"zt1:{key_id}:".encode() + b"aad")
    assert (decryptor.update(payload[12:-16]) + decryptor.finalize()).decode() == "北庭路1号"


def test_blind_index_is_keyed_deterministic_and_per_kind(settings, tmp_path):
    provider = get_provider()
    first = provider.blind_index("phone", "13800001234")
    assert first == provider.blind_index("phone", "13800001234")
    assert len(first) == 64  # SM3: 256 bits
    assert first != provider.blind_index("id_number", "13800001234")
    other = SoftwareProvider(tmp_path / "other-ring.json", tmp_path / "other-index-key")
    assert other.blind_index("phone", "13800001234") != first


def test_key_files_are_created_private(key_files):
    provider = get_provider()
    provider.encrypt("x", b"")
    provider.blind_index("name", "x")
    assert stat.S_IMODE((key_files / "personal_data_keys.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((key_files / "personal_data_index_key").stat().st_mode) == 0o600
    assert stat.S_IMODE(key_files.stat().st_mode) == 0o700
    assert len((key_files / "personal_data_index_key").read_bytes()) == 32


def test_first_creation_never_overwrites(tmp_path):
    path = tmp_path / "k"
    assert _write_new(path, b"one")
    assert not _write_new(path, b"two")
    assert path.read_bytes() == b"one"


def test_a_running_process_sees_a_rotation(tmp_path):
    web = KeyRing(tmp_path / "ring.json")
    admin = KeyRing(tmp_path / "ring.json")
    assert web.current().id == "k1"
    admin.add_key()
    assert web.current().id == "k2"
    assert [k.state for k in web.keys()] == ["retiring", "current"]
    admin.retire(["k1"])
    assert web.get("k1").state == "retired" and web.get("k1").retired is not None


def test_a_damaged_ring_is_reported(tmp_path):
    path = tmp_path / "ring.json"
    path.write_text("{not json")
    with pytest.raises(KeyRingError):
        KeyRing(path).current()
    provider = SoftwareProvider(path, tmp_path / "index")
    (tmp_path / "index").write_bytes(b"x" * 32)
    assert [m.id for m in provider.self_check()] == ["zhengtong.E301"]


class ReversingProvider(CryptoProvider):
    """Stands in for a certified service: proves the platform only uses the interface."""

    def encrypt(self, plaintext, aad):
        return crypto.make_token("hsm1", (aad.decode() + "|" + plaintext[::-1]).encode())

    def decrypt(self, token, aad):
        label, _, text = parse_token(token)[2].decode().partition("|")
        if label != aad.decode():
            raise DecryptionError("aad")
        return text[::-1]

    def blind_index(self, kind, normalised_value):
        return f"{kind}-{normalised_value}"

    def current_key_id(self):
        return "hsm1"


def test_provider_is_chosen_by_setting(settings):
    settings.ZT_CRYPTO_PROVIDER = "zhengtong.privacy.tests.test_crypto.ReversingProvider"
    provider = get_provider()
    assert isinstance(provider, ReversingProvider)
    assert provider.decrypt(provider.encrypt("abc", b"x"), b"x") == "abc"
    with pytest.raises(NotImplementedError):
        provider.start_rotation()


def test_a_broken_provider_setting_is_a_check_error(settings):
    from zhengtong.privacy.checks import personal_data_keys

    settings.ZT_CRYPTO_PROVIDER = "zhengtong.privacy.nowhere.Provider"
    messages = personal_data_keys(None)
    assert [m.id for m in messages] == ["zhengtong.E305"] and isinstance(messages[0], Error)
