"""Realistic Chinese government text for benchmarks, derived from what the project ships.

Sentences come from the county's 2015 work report (``shared/reference``, when
present beside the repository) and the demo county's items, which are built
from it. Articles are new combinations of those sentences with the county's
own vocabulary (dates, numbers, document numbers), so word frequencies look
like a county site's and queries drawn from the text hit realistic numbers of
documents — unlike random characters, which would make every bigram rare.
"""

import random
import re
from pathlib import Path

from django.utils.html import strip_tags

from zhengtong.portal import demo_content

REPORT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "mulei-egov-work-report-2015.txt"
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


def sentences() -> list[str]:
    texts = []
    if REPORT.exists():
        texts.append(REPORT.read_text(encoding="utf-8"))
    for item in demo_content.ITEMS:
        texts.extend(strip_tags(p) for p in item.paragraphs)
    found = []
    for text in texts:
        for line in text.splitlines():
            found.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.strip()) >= 8)
    return list(dict.fromkeys(found))


class ArticleGenerator:
    def __init__(self, seed: int = 2015):
        self.rng = random.Random(seed)
        self.sentences = sentences()
        self.titles = [s.rstrip("。！？；") for s in self.sentences if len(s) <= 40]

    def article(self, n: int) -> dict:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(3, 8)):
            paragraphs.append("".join(rng.choice(self.sentences) for _ in range(rng.randint(2, 5))))
        year = rng.choice([2012, 2013, 2014, 2015, 2016])
        title = rng.choice(self.titles)[:30]
        if rng.random() < 0.1:
            title = f"木政发〔{year}〕{rng.randint(1, 200)}号 {title}"
        return {
            "source_id": f"bench-{n}",
            "title": title,
            "body": "".join(f"<p>{p}</p>" for p in paragraphs),
            "published_at": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00",
            "column": rng.choice(["今日木垒", "部门动态", "乡镇动态", "信息公开/通知公告", "信息公开/政策文件"]),
        }

    def queries(self, texts: list[str], count: int) -> list[str]:
        """Substrings of 2–8 characters drawn from the generated texts, starting on a Chinese character."""
        found = []
        while len(found) < count:
            text = self.rng.choice(texts)
            start = self.rng.randrange(max(1, len(text) - 8))
            query = text[start : start + self.rng.randint(2, 8)]
            if len(query) >= 2 and "\u4e00" <= query[0] <= "\u9fff" and "\u4e00" <= query[-1] <= "\u9fff":
                found.append(query)
        return found
