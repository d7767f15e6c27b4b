import json

import pytest

from zhengtong.backup import crypto, passphrase


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**12)


def test_round_trip_and_documented_header():
    document = crypto.encrypt(b"key material", "correct horse")
    header = json.loads(document)
    assert header["cipher"] == "AES-256-GCM" and header["kdf"]["name"] == "scrypt"
    assert b"key material" not in document
    assert crypto.decrypt(document, "correct horse") == b"key material"


def test_wrong_passphrase_is_refused_in_chinese():
    document = crypto.encrypt(b"key material", "correct horse")
    with pytest.raises(crypto.WrongPassphrase, match="备份口令不对"):
        crypto.decrypt(document, "wrong horse")


def test_header_is_authenticated():
    data = json.loads(crypto.encrypt(b"key material", "pw"))
    data["kdf"]["r"] = 9  # a weaker or different parameter smuggled in
    with pytest.raises(crypto.WrongPassphrase):
        crypto.decrypt(json.dumps(data).encode(), "pw")


def test_generated_passphrase_is_easy_to_copy_by_hand():
    value = passphrase.generate()
    groups = value.split("-")
    assert len(groups) == passphrase.GROUPS and all(len(g) == passphrase.GROUP_LENGTH for g in groups)
    assert not set(value) & set("01lio")
    assert passphrase.generate() != value
