"""``./zt keys status`` and ``./zt keys rotate``: the personal-data keys (zhengtong.privacy)."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhengtong.audit.services import record
from zhengtong.privacy.crypto import get_provider
from zhengtong.privacy.keys import KeyRingError
from zhengtong.privacy.rotation import personal_data_models, reencrypt, stale_values, tokens_by_key

# A web worker that read the ring just before a new key became current may still seal a few values with
# the old key; each extra pass picks them up before the old key is retired.
MAX_PASSES = 3


class Command(BaseCommand):
    help = "个人信息密钥：status 查看密钥和各密钥加密的数据量；rotate 生成新密钥、重新加密全部个人信息后停用旧密钥"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rotate"])
        parser.add_argument("--batch-size", type=int, default=500, help="每批重新加密的行数（默认 500）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--reencrypt-only",
            action="store_true",
            help="不生成新密钥，只把不是当前密钥加密的值（如恢复的旧数据）换成当前密钥",
        )

    def handle(self, *args, action, batch_size, no_progress, reencrypt_only=False, **options):
        try:
            if action == "status":
                self.status()
            else:
                self.rotate(batch_size=batch_size, progress=not no_progress, new_key=not reencrypt_only)
        except KeyRingError as e:
            raise CommandError(f"密钥环有问题：{e}") from e

    def status(self) -> None:
        provider = get_provider()
        for label, value in provider.describe():
            self.stdout.write(f"{label}：{value}")
        ring = getattr(provider, "ring", None)
        if ring is not None:
            now = datetime.now(UTC)
            self.stdout.write("数据密钥：")
            for key in ring.keys():
                state = {"current": "当前", "retiring": "轮换中（仍可解密）", "retired": "已停用（仍可解密旧备份）"}
                self.stdout.write(
                    f"  {key.id}  {state.get(key.state, key.state)}  生成于 {key.created:%Y-%m-%d}"
                    f"（{max(0, (now - key.created).days)} 天前）"
                )
        retiring = provider.retiring_key_ids()
        if retiring:
            self.stdout.write(
                self.style.WARNING(f"上次轮换没有完成（{', '.join(retiring)}）：请再运行 ./zt keys rotate")
            )
        self.stdout.write("加密存储的个人信息（字段：密钥 → 条数）：")
        found = False
        for model, fields in personal_data_models():
            for name, counter in tokens_by_key(model, fields).items():
                found = True
                counts = "，".join(f"{k} → {n}" for k, n in sorted(counter.items())) or "（无数据）"
                self.stdout.write(f"  {model._meta.label}.{name}：{counts}")
        if not found:
            self.stdout.write("  （还没有模块使用个人信息字段）")

    def rotate(self, *, batch_size: int, progress: bool, new_key: bool = True) -> None:
        provider = get_provider()
        old = provider.retiring_key_ids()
        if old:
            self.stdout.write(f"继续上次未完成的轮换：当前密钥 {provider.current_key_id()}，待停用 {', '.join(old)}")
        elif new_key:
            try:
                created = provider.start_rotation()
            except NotImplementedError as e:
                raise CommandError(f"{e}；只需重新加密时用 --reencrypt-only") from e
            old = provider.retiring_key_ids()
            self.stdout.write(f"已生成新密钥 {created}；开始用它重新加密全部个人信息（可中断，再次运行即继续）")
        current = provider.current_key_id()
        targets = list(personal_data_models())
        rewritten = 0
        for _pass in range(MAX_PASSES):
            total = sum(model._base_manager.count() for model, _fields in targets)
            with tqdm(total=total, unit="行", disable=not progress, desc="重新加密") as bar:
                for model, fields in targets:
                    rewritten += reencrypt(model, fields, batch_size=batch_size, on_batch=bar.update)
            remaining = stale_values(current)
            if not remaining:
                break
        else:
            raise CommandError(
                f"仍有 {remaining} 个值不是用当前密钥加密（有进程还在用旧密钥写入？），请稍后再运行 ./zt keys rotate"
            )
        provider.finish_rotation(old)
        record(
            "privacy.key_rotate",
            detail={"current_key": current, "retired_keys": old, "rows_reencrypted": rewritten},
        )
        retired = f"，已停用 {', '.join(old)}" if old else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：当前密钥 {current}，重新加密 {rewritten} 行{retired}。"
                + ("请立即备份 secrets 目录（新密钥不在旧备份里）。" if old else "")
            )
        )
