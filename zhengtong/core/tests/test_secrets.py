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


def test_key_files_appear_whole_once_and_private(tmp_path):
    import stat

    from zhengtong.secrets import write_new_secret

    path = tmp_path / "some_key"
    assert write_new_secret(path, b"first")
    assert not write_new_secret(path, b"second")  # a second process keeps the first key
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["some_key"]  # no temporary file left behind
