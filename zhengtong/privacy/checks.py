"""Self-checks for ``./zt check`` (Django system checks, ids zhengtong.W3xx / E3xx).

E300 keys missing while encrypted data exists · E301 key ring unreadable · W302 key files readable by
others · W303 current data key older than ``ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS`` · W304 unfinished rotation.
Checks of the software provider's files live here; another provider reports through its ``self_check``.
"""

import stat
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, transaction

from zhengtong.privacy.keys import KeyRingError


def _stored_values_exist() -> bool:
    from zhengtong.privacy.rotation import personal_data_models

    try:
        # A savepoint: a table not migrated yet must not spoil the caller's transaction (PostgreSQL).
        with transaction.atomic():
            return any(
                model._base_manager.exclude(**{field.attname: ""}).exists()
                for model, fields in personal_data_models()
                for field in fields
            )
    except DatabaseError:
        return False


def _loose_permissions(path: Path, allowed: int) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & ~allowed)


def check_software_keys(provider) -> list:
    messages = []
    ring_path, index_path = provider.ring.path, provider.index_key_path
    missing = [p for p in (ring_path, index_path) if not p.exists()]
    if missing:
        # Created on first use; missing keys only matter once something was encrypted with them.
        if _stored_values_exist():
            messages.append(
                Error(
                    f"个人信息密钥文件不存在：{'、'.join(map(str, missing))}，已加密的个人信息无法解密。",
                    hint="从备份恢复 ZT_DATA_DIR/secrets 目录（运维手册“个人信息密钥”）。不要让程序生成新密钥。",
                    id="zhengtong.E300",
                )
            )
        return messages
    try:
        current = provider.ring.current()
        retiring = provider.ring.retiring()
    except KeyRingError as e:
        return [Error(f"个人信息密钥环无法读取：{e}", hint="从备份恢复这个文件。", id="zhengtong.E301")]
    for path, allowed in ((ring_path, 0o600), (index_path, 0o600), (ring_path.parent, 0o700)):
        if _loose_permissions(path, allowed):
            messages.append(
                Warning(
                    f"{path} 的权限是 {oct(stat.S_IMODE(path.stat().st_mode))}，其他用户可以读取。",
                    hint=f"chmod {oct(allowed)[2:]} {path}",
                    id="zhengtong.W302",
                )
            )
    max_age = settings.ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS
    age = (datetime.now(UTC) - current.created).days
    if max_age and age > max_age:
        messages.append(
            Warning(
                f"个人信息的当前数据密钥 {current.id} 已使用 {age} 天，超过 {max_age} 天。",
                hint="运行 ./zt keys rotate 轮换密钥，然后备份 secrets 目录。",
                id="zhengtong.W303",
            )
        )
    if retiring:
        messages.append(
            Warning(
                f"个人信息密钥轮换没有完成（待停用：{', '.join(k.id for k in retiring)}）。",
                hint="再运行一次 ./zt keys rotate，它从中断处继续。",
                id="zhengtong.W304",
            )
        )
    return messages


@register("zhengtong", deploy=True)
def personal_data_keys(app_configs, **kwargs) -> list:
    from zhengtong.privacy.crypto import get_provider

    try:
        provider = get_provider()
    except Exception as e:  # a misconfigured ZT_CRYPTO_PROVIDER must be reported, not crash the check run
        return [Error(f"ZT_CRYPTO_PROVIDER 无法加载：{e}", id="zhengtong.E305")]
    return provider.self_check()
