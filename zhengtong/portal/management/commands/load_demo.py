"""Load the demo county, 木垒哈萨克自治县: organisations, the portal, its news, media and staff accounts.

``./zt demo`` runs ``manage.py load_demo --base-url http://127.0.0.1:8000``. The
texts live in ``zhengtong.portal.demo_content``; the pictures and the
scan-like PDF are drawn here with Pillow (no downloads, no fonts needed).

Running it again does not load anything twice: it only points the site at
the host and port of ``--base-url``.
"""

import io
import math
import random
import secrets
import unicodedata
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site

from zhengtong.casework.demo import DemoCases, load_demo_cases
from zhengtong.core import roles
from zhengtong.core.models import Organisation, User
from zhengtong.disclosure.demo import load_disclosure_demo
from zhengtong.disclosure_requests.demo import SAMPLE_PHONE as DISCLOSURE_SAMPLE_PHONE
from zhengtong.disclosure_requests.demo import load_application_demo
from zhengtong.portal import demo_content as content
from zhengtong.portal.models import (
    ArticleAttachment,
    ArticleImage,
    ArticlePage,
    ColumnPage,
    DepartmentPage,
    FooterSettings,
    InterpretationPage,
    PolicyPage,
    PortalHomePage,
    SectionPage,
    TopicItem,
    TopicPage,
    WordingRule,
)
from zhengtong.portal.setup import ensure_portal_roles, ensure_review_workflow, remove_welcome_site

TZ = ZoneInfo("Asia/Shanghai")
IMAGE_SIZE = (800, 450)
PASSWORD_BYTES = 12  # token_urlsafe(12) gives 16 characters


def parse_base_url(base_url: str) -> tuple[str, int]:
    """Host name and port of ``--base-url`` (port defaults by scheme)."""
    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(_("--base-url 应形如 http://127.0.0.1:8000，收到：%(url)s") % {"url": base_url})
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def new_password() -> str:
    """A random password that is easy to copy from a terminal (does not start with - or _)."""
    while True:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        if password[0].isalnum():
            return password


def aware(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def body_html(paragraphs) -> str:
    return "".join(p if p.startswith("<") else f"<p>{escape(p)}</p>" for p in paragraphs)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


# --- Pictures -------------------------------------------------------------------
# Small landscape-like scenes; deterministic per seed so every demo looks the same.
# ``random`` here only varies shapes in pictures, never anything secret.


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vertical_gradient(draw, box, top, bottom):
    x0, y0, x1, y1 = box
    height = max(1, y1 - y0)
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / height))


def _ridge(rng, width, base, amplitude, step):
    """Points of a mountain ridge from left to right, with the peaks found on the way."""
    points, peaks = [], []
    y = base - rng.uniform(0, amplitude)
    going_up = True
    for x in range(-step, width + 2 * step, step):
        y += rng.uniform(-amplitude, amplitude * 0.4) if going_up else rng.uniform(-amplitude * 0.4, amplitude)
        y = min(max(y, base - amplitude * 2.2), base + amplitude * 0.3)
        points.append((x, y))
        if rng.random() < 0.35:
            going_up = not going_up
    for i in range(1, len(points) - 1):
        if points[i][1] < points[i - 1][1] and points[i][1] < points[i + 1][1]:
            peaks.append(points[i])
    return points, peaks


def _mountains(draw, rng, w, h, horizon, color, snow=True, amplitude=60):
    points, peaks = _ridge(rng, w, horizon, amplitude, 40)
    draw.polygon([*points, (w + 80, h), (-80, h)], fill=color)
    if snow:
        for x, y in peaks:
            depth = rng.uniform(18, 34)
            draw.polygon([(x, y), (x - depth * 1.1, y + depth), (x + depth * 1.1, y + depth)], fill=(246, 248, 252))


def _sun(draw, x, y, r, color):
    draw.ellipse([x - r, y - r, x + r, y + r], fill=color)


def scene_mountains(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (92, 148, 214), (200, 224, 242))
    _mountains(draw, rng, w, h, int(h * 0.42), (150, 166, 190), amplitude=70)
    _mountains(draw, rng, w, h, int(h * 0.55), (96, 118, 140), amplitude=45)
    _vertical_gradient(draw, (0, int(h * 0.68), w, h), (118, 160, 76), (72, 120, 52))
    for _i in range(6):  # yurts on the grassland
        x, y = rng.uniform(60, w - 60), rng.uniform(h * 0.74, h * 0.9)
        draw.rectangle([x - 16, y - 10, x + 16, y + 8], fill=(240, 236, 226))
        draw.pieslice([x - 18, y - 26, x + 18, y + 6], 180, 360, fill=(232, 226, 214))
    return img


def scene_fields(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (120, 170, 226), (226, 236, 244))
    horizon = int(h * 0.45)
    _mountains(draw, rng, w, h, horizon - 20, (170, 180, 198), amplitude=36)
    palette = [(206, 176, 86), (150, 168, 70), (222, 196, 110), (120, 150, 64), (196, 160, 80)]
    draw.rectangle([0, horizon, w, h], fill=palette[0])
    vanish = (w * rng.uniform(0.35, 0.65), horizon)
    xs = sorted([-6 * w, 7 * w, *(rng.uniform(-2 * w, 3 * w) for _i in range(14))])
    for i in range(len(xs) - 1):
        draw.polygon([vanish, (xs[i], h), (xs[i + 1], h)], fill=palette[i % len(palette)])
    for x in range(0, w, 9):  # shelter belt on the horizon
        r = rng.uniform(5, 9)
        draw.ellipse([x - r, horizon - 2 * r, x + r, horizon + 2], fill=(84, 118, 66))
    return img


def _dunes(draw, rng, w, h, top, colors):
    for n, color in enumerate(colors):
        base = top + n * (h - top) / len(colors)
        phase, length, height = rng.uniform(0, 6.3), rng.uniform(180, 320), rng.uniform(20, 45)
        points = [(x, base + height * math.sin(x / length * 2 * math.pi + phase)) for x in range(0, w + 10, 10)]
        draw.polygon([*points, (w, h), (0, h)], fill=color)


def scene_dunes(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (250, 196, 120), (252, 236, 200))
    _sun(draw, rng.uniform(w * 0.6, w * 0.85), h * 0.22, 34, (255, 244, 214))
    _dunes(draw, rng, w, h, int(h * 0.45), [(226, 176, 110), (210, 150, 86), (190, 128, 70), (166, 108, 58)])
    return img


def scene_poplars(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (104, 160, 220), (214, 230, 240))
    _dunes(draw, rng, w, h, int(h * 0.55), [(222, 190, 136), (204, 168, 110)])
    for _i in range(14):
        x, y = rng.uniform(20, w - 20), rng.uniform(h * 0.72, h * 0.96)
        size = rng.uniform(24, 48) * (y / h)
        draw.line([(x, y), (x + rng.uniform(-6, 6), y - size * 2.2)], fill=(96, 70, 46), width=4)
        for _j in range(4):
            cx, cy = x + rng.uniform(-size, size) * 0.7, y - size * 2.2 + rng.uniform(-size, size) * 0.5
            color = rng.choice([(236, 176, 40), (246, 198, 64), (214, 140, 30)])
            draw.ellipse([cx - size * 0.7, cy - size * 0.5, cx + size * 0.7, cy + size * 0.5], fill=color)
    return img


def scene_village(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (126, 178, 228), (222, 236, 246))
    _mountains(draw, rng, w, h, int(h * 0.45), (120, 150, 110), snow=False, amplitude=40)
    _vertical_gradient(draw, (0, int(h * 0.62), w, h), (134, 172, 84), (96, 140, 64))
    for _i in range(9):
        x, y = rng.uniform(30, w - 90), rng.uniform(h * 0.6, h * 0.82)
        hw = rng.uniform(40, 70)
        draw.rectangle([x, y, x + hw, y + hw * 0.55], fill=(226, 206, 170))
        draw.polygon([(x - 6, y), (x + hw / 2, y - hw * 0.4), (x + hw + 6, y)], fill=(176, 62, 48))
        draw.rectangle([x + hw * 0.4, y + hw * 0.25, x + hw * 0.6, y + hw * 0.55], fill=(120, 84, 52))
    for x in range(0, w, 14):  # fence
        draw.line([(x, h * 0.9), (x, h * 0.84)], fill=(140, 104, 64), width=3)
    draw.line([(0, h * 0.86), (w, h * 0.86)], fill=(140, 104, 64), width=2)
    return img


def scene_town(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (32, 42, 92), (236, 132, 92))
    x = 0
    while x < w:
        bw, bh = rng.uniform(50, 110), rng.uniform(h * 0.2, h * 0.6)
        draw.rectangle([x, h - bh, x + bw, h], fill=(36, 40, 62))
        for wy in range(int(h - bh + 12), h - 10, 18):
            for wx in range(int(x + 8), int(x + bw - 10), 16):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 7, wy + 9], fill=(255, 214, 120))
        x += bw + rng.uniform(2, 10)
    return img


def scene_building(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (110, 168, 226), (220, 234, 246))
    left, right, top, bottom = w * 0.15, w * 0.85, h * 0.22, h * 0.78
    draw.rectangle([left, top, right, bottom], fill=(232, 226, 210))
    draw.rectangle([left - 10, top - 16, right + 10, top], fill=(196, 188, 170))
    for row in range(4):
        for col in range(12):
            x = left + 20 + col * (right - left - 40) / 12
            y = top + 18 + row * 44
            draw.rectangle([x, y, x + 22, y + 28], fill=(90, 130, 170))
    for col in range(6):  # columns at the entrance
        x = w * 0.38 + col * w * 0.045
        draw.rectangle([x, bottom - 90, x + 12, bottom], fill=(248, 244, 236))
    for step in range(5):
        draw.rectangle(
            [w * 0.33 - step * 8, bottom + step * 8, w * 0.67 + step * 8, bottom + step * 8 + 8], fill=(200, 196, 188)
        )
    draw.rectangle([0, bottom + 40, w, h], fill=(150, 150, 146))
    for _i in range(8):
        x = rng.uniform(10, w - 10)
        draw.ellipse([x - 22, h * 0.7, x + 22, h * 0.86], fill=(70, 130, 70))
    return img


def scene_classroom(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, int(h * 0.55)), (236, 232, 222), (214, 208, 196))
    _vertical_gradient(draw, (0, int(h * 0.55), w, h), (176, 150, 120), (140, 112, 86))
    draw.rectangle([w * 0.3, h * 0.06, w * 0.7, h * 0.4], fill=(250, 250, 252), outline=(120, 120, 120), width=3)
    draw.rectangle([w * 0.33, h * 0.1, w * 0.67, h * 0.36], fill=(70, 126, 196))
    for row in range(3):
        y = h * (0.55 + row * 0.14)
        scale = 1 + row * 0.35
        for col in range(6):
            x = w * 0.08 + col * w * 0.15
            draw.rectangle([x, y, x + 90 * scale * 0.7, y + 10 * scale], fill=(120, 86, 56))
            draw.rectangle([x + 10, y - 34 * scale * 0.6, x + 50 * scale * 0.7, y - 2], fill=(40, 44, 52))
            draw.rectangle(
                [x + 13, y - 31 * scale * 0.6, x + 47 * scale * 0.7, y - 5],
                fill=rng.choice([(90, 150, 220), (120, 180, 230)]),
            )
            draw.ellipse(
                [x + 56 * scale * 0.7, y - 30 * scale, x + 76 * scale * 0.7, y - 10 * scale], fill=(40, 36, 34)
            )
    return img


def scene_hall(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, int(h * 0.6)), (228, 234, 240), (206, 214, 224))
    _vertical_gradient(draw, (0, int(h * 0.6), w, h), (200, 196, 190), (160, 156, 150))
    draw.rectangle([w * 0.2, h * 0.08, w * 0.8, h * 0.22], fill=(170, 30, 36))  # LED board
    for x in range(int(w * 0.22), int(w * 0.78), 18):
        draw.rectangle([x, h * 0.13, x + 10, h * 0.17], fill=(255, 214, 90))
    for i in range(6):  # service windows
        x = w * 0.06 + i * w * 0.15
        draw.rectangle([x, h * 0.3, x + w * 0.12, h * 0.56], fill=(120, 164, 204), outline=(90, 100, 110), width=3)
        draw.rectangle([x - 4, h * 0.56, x + w * 0.12 + 4, h * 0.62], fill=(240, 240, 236))
    for _i in range(2):  # touch-screen kiosks
        x = rng.uniform(w * 0.1, w * 0.85)
        draw.rectangle([x, h * 0.62, x + 40, h * 0.9], fill=(60, 64, 72))
        draw.rectangle([x + 5, h * 0.64, x + 35, h * 0.74], fill=(110, 190, 240))
    return img


def scene_server(rng, w, h):
    img = PILImage.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, w, h), (24, 30, 44), (48, 58, 78))
    for i in range(7):
        x0 = 30 + i * 110
        draw.rectangle([x0, 40, x0 + 90, h - 50], fill=(36, 40, 50), outline=(80, 88, 104), width=2)
        for y in range(52, h - 60, 14):
            draw.rectangle([x0 + 8, y, x0 + 82, y + 10], fill=(54, 60, 72))
            for led in range(3):
                if rng.random() < 0.6:
                    color = rng.choice([(70, 220, 120), (80, 170, 255), (255, 190, 60)])
                    draw.ellipse([x0 + 62 + led * 6, y + 3, x0 + 66 + led * 6, y + 7], fill=color)
    for y in range(h - 50, h, 10):
        draw.line([(0, y), (w, y)], fill=(70, 78, 96))
    return img


SCENES = {
    "mountains": scene_mountains,
    "fields": scene_fields,
    "dunes": scene_dunes,
    "poplars": scene_poplars,
    "village": scene_village,
    "town": scene_town,
    "building": scene_building,
    "classroom": scene_classroom,
    "hall": scene_hall,
    "server": scene_server,
}


def draw_scene(scene: str, seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - picture shapes, not security
    img = SCENES[scene](rng, *IMAGE_SIZE).filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _pseudo_text(draw, rng, x, y, count, size, color):
    """Marks that read as a line of characters from a distance (no font needed)."""
    for i in range(count):
        cx = x + i * size * 1.15
        for _s in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                yy = y + rng.uniform(0.15, 0.85) * size
                draw.line([(cx + size * 0.1, yy), (cx + size * 0.9, yy)], fill=color, width=max(1, size // 10))
            else:
                xx = cx + rng.uniform(0.15, 0.85) * size
                draw.line([(xx, y + size * 0.1), (xx, y + size * 0.9)], fill=color, width=max(1, size // 10))


def draw_document_page(seed: int) -> PILImage.Image:
    """An A4 page in the layout of GB/T 9704: red masthead, red rule, title, body, seal, 版记."""
    rng = random.Random(seed)  # noqa: S311 - picture shapes, not security
    w, h = 620, 877
    red = (200, 20, 30)
    img = PILImage.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    _pseudo_text(draw, rng, 110, 90, 10, 36, red)  # masthead 发文机关标志
    _pseudo_text(draw, rng, 250, 170, 9, 12, (30, 30, 30))  # document number
    draw.line([(70, 196), (w - 70, 196)], fill=red, width=3)  # red separator
    _pseudo_text(draw, rng, 120, 230, 18, 18, (20, 20, 20))  # title
    _pseudo_text(draw, rng, 200, 256, 10, 18, (20, 20, 20))
    y = 300
    for line in range(14):
        count = 29 if line % 5 != 4 else rng.randint(8, 22)
        indent = 2 if line % 5 == 0 else 0
        _pseudo_text(draw, rng, 80 + indent * 16, y, count - indent, 14, (40, 40, 40))
        y += 26
    cx, cy = w - 170, y + 50  # seal over the issuing office and date
    draw.ellipse([cx - 62, cy - 62, cx + 62, cy + 62], outline=red, width=5)
    star = [
        (cx + 22 * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
         cy + 22 * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4))
        for k in range(10)
    ]  # fmt: skip
    draw.polygon(star, fill=red)
    _pseudo_text(draw, rng, cx - 70, cy - 12, 8, 16, (30, 30, 30))
    _pseudo_text(draw, rng, cx - 50, cy + 14, 6, 16, (30, 30, 30))
    draw.line([(70, h - 90), (w - 70, h - 90)], fill=(60, 60, 60), width=1)  # 版记
    _pseudo_text(draw, rng, 80, h - 80, 20, 12, (60, 60, 60))
    draw.line([(70, h - 58), (w - 70, h - 58)], fill=(60, 60, 60), width=1)
    return img


def draw_document_pdf(seed: int) -> bytes:
    buffer = io.BytesIO()
    draw_document_page(seed).save(buffer, format="PDF", resolution=75)
    return buffer.getvalue()


# --- Loader -----------------------------------------------------------------------


class DemoLoader:
    """Builds the demo in the current transaction; ``self.passwords`` lists the accounts it created."""

    def __init__(self, hostname: str, port: int):
        self.hostname = hostname
        self.port = port
        self.orgs: dict[str, Organisation] = {}
        self.images: dict[str, Image] = {}
        self.documents: dict[str, Document] = {}
        self.places: dict[str, Page] = {}
        self.items: dict[str, ArticlePage] = {}
        self.passwords: list[tuple[str, str, str, str]] = []  # username, role, organisation, password
        self.existing_users: list[str] = []
        self.admin: User | None = None
        self.cases = DemoCases()
        self.disclosure_sample = None  # set by disclosure_requests.demo: a replied application to look up

    def run(self) -> PortalHomePage:
        self.load_organisations()
        ensure_portal_roles(content.REGION)
        self.load_accounts()
        self.load_cases()
        self.load_media()
        home = self.load_home()
        self.load_tree(home)
        self.load_interaction()
        self.load_items()
        load_application_demo(self, load_disclosure_demo(self))
        self.load_topic()
        ensure_review_workflow(home)
        self.add_department_editors()
        self.load_footer(home)
        self.load_wording_rules()
        return home

    # Organisations and staff

    def load_organisations(self) -> None:
        code, name, short = content.GOVERNMENT
        government, _created = Organisation.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "kind": Organisation.Kind.GOVERNMENT, "sort_order": 0},
        )
        self.orgs[code] = government
        groups = [
            (content.DEPARTMENTS, Organisation.Kind.DEPARTMENT, 100),
            (content.TOWNSHIPS, Organisation.Kind.TOWNSHIP, 500),
        ]
        for entries, kind, start in groups:
            for n, (code, name, short) in enumerate(entries):
                org, _created = Organisation.objects.get_or_create(
                    code=code,
                    defaults={
                        "name": name,
                        "short_name": short,
                        "kind": kind,
                        "parent": government,
                        "sort_order": start + n * 10,
                    },
                )
                self.orgs[code] = org

    def load_accounts(self) -> None:
        for account in content.ACCOUNTS:
            organisation = self.orgs[account.organisation]
            user = User.objects.filter(username=account.username).first()
            if user is None:
                password = new_password()
                user = User.objects.create_user(
                    username=account.username,
                    password=password,
                    last_name=account.last_name,
                    first_name=account.first_name,
                    organisation=organisation,
                )
                role_groups = [
                    name if name in roles.SEPARATED_ROLES else roles.portal_group_name(name, content.REGION)
                    for name in account.groups
                    if not name.startswith("dept:")
                ]
                user.groups.add(*Group.objects.filter(name__in=role_groups))
                self.passwords.append((account.username, account.role, organisation.short_name, password))
            else:
                self.existing_users.append(account.username)
            if account.username == content.ACCOUNTS[0].username:
                self.admin = user

    def load_cases(self) -> None:
        users = {
            user.username: user for user in User.objects.filter(username__in=[a.username for a in content.ACCOUNTS])
        }
        self.cases = load_demo_cases(self.orgs, users)

    def add_department_editors(self) -> None:
        """Department editor groups exist once their sub-sections do (post_save signal)."""
        for account in content.ACCOUNTS:
            if account.username not in {row[0] for row in self.passwords}:
                continue
            user = User.objects.get(username=account.username)
            for name in account.groups:
                if name.startswith("dept:"):
                    org = self.orgs[name.removeprefix("dept:")]
                    user.groups.add(Group.objects.get(name=roles.department_editor_group_name(org.short_name)))

    # Media

    def load_media(self) -> None:
        for key, (title, scene, seed) in content.IMAGES.items():
            image = Image(title=title, file=ImageFile(io.BytesIO(draw_scene(scene, seed)), name=f"demo-{key}.jpg"))
            image._set_image_file_metadata()
            image.save()
            self.images[key] = image
        for key, (title, kind, text) in content.DOCUMENTS.items():
            data = draw_document_pdf(seed=2015) if kind == "pdf" else text.encode("utf-8-sig")
            document = Document(title=title, file=ContentFile(data, name=f"demo-{key.replace('_', '-')}.{kind}"))
            document._set_document_file_metadata()
            document.save()
            self.documents[key] = document

    # Page tree

    def publish(self, parent: Page, page: Page) -> Page:
        page.owner = self.admin
        page.live = False
        parent.add_child(instance=page)
        page.save_revision(user=self.admin).publish(user=self.admin)
        return page

    def load_home(self) -> PortalHomePage:
        remove_welcome_site()
        root = Page.get_first_root_node()
        if Site.objects.filter(hostname=self.hostname, port=self.port).exists():
            raise CommandError(
                _("已有站点使用 %(host)s:%(port)s，演示县无法占用。请换一个 --base-url。")
                % {"host": self.hostname, "port": self.port}
            )
        home = self.publish(
            root,
            PortalHomePage(
                title=content.HOME_TITLE,
                slug=content.HOME_SLUG,
                organisation=self.orgs[content.GOVERNMENT_CODE],
                region_name=content.REGION,
                intro=content.HOME_INTRO,
            ),
        )
        Site.objects.create(
            hostname=self.hostname,
            port=self.port,
            root_page=home,
            site_name=content.HOME_TITLE,
            # On a fresh installation (the welcome site removed above) the demo is the default site.
            is_default_site=not Site.objects.filter(is_default_site=True).exists(),
        )
        self.places["home"] = home
        return home

    def load_tree(self, home: PortalHomePage) -> None:
        for slug, title, intro in content.SECTIONS:
            self.places[slug] = self.publish(home, SectionPage(title=title, slug=slug, intro=intro, show_in_menus=True))
        for parent, slug, title, intro in content.SUBSECTIONS:
            self.places[slug] = self.publish(self.places[parent], SectionPage(title=title, slug=slug, intro=intro))
        for section in content.DEPARTMENT_SECTIONS:
            org = self.orgs[section.code]
            self.places[section.key] = self.publish(
                self.places[section.parent],
                DepartmentPage(
                    title=org.name,
                    slug=section.slug,
                    organisation=org,
                    intro=section.intro,
                    duties=section.duties,
                    address=section.address,
                    phone=section.phone,
                    office_hours=section.office_hours,
                ),
            )
        for column in content.COLUMNS:
            self.places[column.key] = self.publish(
                self.places[column.parent],
                ColumnPage(title=column.title, slug=column.slug, intro=column.intro, show_images=column.show_images),
            )

    def load_interaction(self) -> None:
        from zhengtong.interaction import demo

        self.places.update(demo.load(self.places, self.orgs, self.publish, self.admin))

    def load_items(self) -> None:
        for item in content.ITEMS:
            when = aware(item.date)
            fields = {
                "title": item.title,
                "slug": item.key,
                "published_date": when,
                "first_published_at": when,
                "source": item.source,
                "author": item.author,
                "editor": item.editor,
                "summary": item.summary,
                "body": body_html(item.paragraphs),
                "cover_image": self.images.get(item.cover),
                "images": [ArticleImage(image=self.images[key], caption=caption) for key, caption in item.images],
                "attachments": [
                    ArticleAttachment(document=self.documents[key], title=title) for key, title in item.attachments
                ],
            }
            if item.document_number:
                page = PolicyPage(
                    document_number=item.document_number,
                    written_date=date.fromisoformat(item.written_date),
                    validity=item.validity,
                    **fields,
                )
            elif item.policy:
                page = InterpretationPage(policy=self.items[item.policy], **fields)
            else:
                page = ArticlePage(**fields)
            self.items[item.key] = self.publish(self.places[item.column], page)

    def load_topic(self) -> None:
        topic = content.TOPIC
        page = self.publish(
            self.places[topic["column"]],
            TopicPage(
                title=topic["title"],
                slug=topic["slug"],
                intro=topic["intro"],
                banner=self.images[topic["banner"]],
                items=[TopicItem(page=self.items[key]) for key in topic["items"]],
            ),
        )
        # A topic shows when it was published; the demo dates it with the report's news, not today.
        when = aware(topic["published"])
        TopicPage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)

    # Settings

    def load_footer(self, home: PortalHomePage) -> None:
        footer = FooterSettings.for_site(Site.objects.get(root_page=home))
        for field, value in content.FOOTER.items():
            setattr(footer, field, value)
        footer.save()

    def load_wording_rules(self) -> None:
        for phrase, kind, correct, action, note in content.WORDING_RULES:
            WordingRule.objects.get_or_create(
                phrase=phrase, defaults={"kind": kind, "correct_form": correct, "action": action, "note": note}
            )


def demo_home() -> PortalHomePage | None:
    return PortalHomePage.objects.filter(
        organisation__code=content.GOVERNMENT_CODE, slug=content.HOME_SLUG, depth=2
    ).first()


def point_site_at(home: PortalHomePage, hostname: str, port: int) -> tuple[Site, bool]:
    """Make the demo's site answer on ``hostname:port``; True when something changed."""
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        site = Site(root_page=home, site_name=home.title)
    if site.pk and (site.hostname, site.port) == (hostname, port):
        return site, False
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        raise CommandError(
            _("已有其他站点使用 %(host)s:%(port)s，演示站点无法改用该地址。") % {"host": hostname, "port": port}
        )
    site.hostname, site.port = hostname, port
    site.save()
    return site, True


# zhengtong.twofactor: GB/T 22239-2019 8.1.4.1 — accounts that publish or administer log in with two factors.
TWO_FACTOR_NOTE = gettext_lazy(
    "管理员和可发布信息的账号首次登录管理后台时，须用手机上的身份验证器应用（任一支持 TOTP 的应用，"
    "如 Microsoft Authenticator、Google 身份验证器、FreeOTP）扫码绑定，并保存恢复码；之后每次登录输入6位验证码。"
)


class Command(BaseCommand):
    help = gettext_lazy("载入演示县“木垒哈萨克自治县”：机构、门户网站、新闻、图片、附件和演示账号（可重复运行）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help=gettext_lazy("网站地址，站点的主机名和端口取自这里（默认 http://127.0.0.1:8000）。"),
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("不显示新账号的密码表（测试用）。"))

    def handle(self, *args, base_url, quiet, **options):
        hostname, port = parse_base_url(base_url)
        with transaction.atomic():
            home = demo_home()
            if home is not None:
                _site, changed = point_site_at(home, hostname, port)
                self.report_existing(base_url, changed)
                return
            loader = DemoLoader(hostname, port)
            loader.run()
        self.report_loaded(loader, base_url, quiet)

    def report_existing(self, base_url: str, changed: bool) -> None:
        self.stdout.write(_("演示县已载入，未重复载入。"))
        if changed:
            self.stdout.write(_("站点地址已改为 %(url)s") % {"url": base_url})
        self.stdout.write(
            _("演示账号已存在，密码只在首次载入时显示。忘记密码可重置：./zt manage changepassword <用户名>")
        )

    def report_loaded(self, loader: DemoLoader, base_url: str, quiet: bool) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                _("演示县已载入：%(orgs)s 个机构，%(items)s 条信息，%(images)s 张图片，%(docs)s 个附件。")
                % {
                    "orgs": len(loader.orgs),
                    "items": len(loader.items),
                    "images": len(loader.images),
                    "docs": len(loader.documents),
                }
            )
        )
        root = base_url.rstrip("/")
        out.write(_("网站：%(url)s/    管理后台：%(url)s/admin/") % {"url": root})
        out.write(str(TWO_FACTOR_NOTE))
        if loader.cases.sample is not None:
            out.write(
                _(
                    "演示办件：%(count)s 件（县长信箱来信、县长专线工单、政务咨询）。试查询办理情况："
                    "查询码 %(code)s，联系电话后 4 位 %(check)s（接口：%(url)s/api/v1/cases/%(code)s?check=%(check)s）"
                )
                % {
                    "count": len(loader.cases.cases),
                    "code": loader.cases.sample.display_code,
                    "check": loader.cases.sample_check,
                    "url": root,
                }
            )
        if loader.disclosure_sample is not None:
            out.write(
                _("演示政府信息公开申请（部分公开，附答复告知书）：查询码 %(code)s，联系电话后 4 位 %(check)s")
                % {"code": loader.disclosure_sample.display_code, "check": DISCLOSURE_SAMPLE_PHONE[-4:]}
            )
        if loader.existing_users:
            out.write(
                _("以下账号已存在，未改动：%(names)s（重置密码：./zt manage changepassword <用户名>）")
                % {"names": "、".join(loader.existing_users)}
            )
        if not loader.passwords:
            return
        if quiet:
            out.write(_("已创建 %(count)s 个演示账号（未显示密码）。") % {"count": len(loader.passwords)})
            return
        header = (_("用户名"), _("角色"), _("所属机构"), _("密码"))
        rows = [header, *loader.passwords]
        widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
        out.write("")
        out.write(_("演示账号（密码随机生成，只显示这一次，请立即记下）："))
        rule = "  ".join("-" * width for width in widths)
        for n, row in enumerate(rows):
            out.write("  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                out.write(rule)
        out.write("")
        out.write(_("忘记密码可重置：./zt manage changepassword <用户名>"))
