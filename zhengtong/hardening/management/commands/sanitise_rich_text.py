"""``./zt manage sanitise_rich_text``: clean the rich text stored before the sanitiser existed (once, after upgrade).

New and edited rich text is cleaned when it is saved (``zhengtong.hardening.sanitise``); this command cleans
what is already in the database, row by row, changing only rows whose HTML changes. Safe to interrupt and run
again.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from zhengtong.hardening.sanitise import rich_text_fields, sanitise_rich_text


class Command(BaseCommand):
    help = "清洗数据库中已有的富文本正文（去掉脚本、事件属性等）；新保存的正文会自动清洗"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, no_progress=False, **options):
        changed = 0
        for model, names in rich_text_fields():
            rows = model._base_manager.values_list("pk", *names)
            for pk, *values in tqdm(rows.iterator(), total=rows.count(), desc=model._meta.label, disable=no_progress):
                clean = {name: sanitise_rich_text(v) for name, v in zip(names, values, strict=True) if v}
                clean = {name: v for name, v in clean.items() if v != values[names.index(name)]}
                if clean:
                    # update(): no signals, so the page cache is told once below rather than per row.
                    model._base_manager.filter(pk=pk).update(**clean)
                    changed += 1
        if changed:
            from zhengtong.core.pagecache import bump_safely

            bump_safely()
        self.stdout.write(f"已清洗 {changed} 条记录的富文本。")
