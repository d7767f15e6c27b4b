import stat

from zhengtong.secrets import load_or_create_secret_key


def test_secret_key_is_generated_once_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("ZT_SECRET_KEY", raising=False)
    first = load_or_create_secret_key(tmp_path / "secrets")
    second = load_or_create_secret_key(tmp_path / "secrets")
    assert first == second and len(first) >= 50
    mode = stat.S_IMODE((tmp_path / "secrets" / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE((tmp_path / "secrets").stat().st_mode) == 0o700


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ZT_SECRET_KEY", "from-env")
    assert load_or_create_secret_key(tmp_path / "s") == "from-env"
    assert not (tmp_path / "s" / "secret_key").exists()
