"""Issue #5's "done when", walked on the demo county by the people who would do it.

A citizen writes to the 县长信箱 on the demo portal (no JavaScript: plain form posts) and gets a code; the
county government office passes the letter to the housing bureau; the bureau's clerk drafts a reply with a
file and its reviewer sends it, all through the admin's pages; the writer reads the reply by code, downloads
the file and rates it; the reviewer publishes the letter and it appears masked in the public list. Every date
is hand-counted: the letter arrives on Tuesday 29 September 2026, before the National Day holiday
(1–7 October off, Saturday 10 October a working day).
"""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, reverse
from freezegun import freeze_time

from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event, Status
from zhengtong.core.models import Organisation, User
from zhengtong.interaction.tests.test_write import solve_form_question
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db

HOST = "demo.test"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff(username: str) -> Client:
    client = Client()
    login_verified(client, User.objects.get(username=username))
    return client


def act(client: Client, case: Case, event: str, **data) -> None:
    # Each action's form on the case page has the event as its prefix.
    response = client.post(reverse("casework_act", args=[case.pk, event]), {f"{event}-{k}": v for k, v in data.items()})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response.url).content.decode()
    found = re.findall(r'<li class="[^"]*(?:error|success)[^"]*"[^>]*>(.*?)</li>', page, re.S)
    messages = [re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in found]
    assert any("已记录" in m for m in messages), messages


def test_letter_to_reply_to_rating_to_public_list(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    get_resolver().url_patterns  # noqa: B018  the API's schemas are built with the real date class, before freezing
    with freeze_time("2026-09-29 02:00:00"):  # 10:00 in Beijing
        call_command("load_demo", "--base-url", f"http://{HOST}", "--quiet")
        citizen = Client(HTTP_HOST=HOST)
        mailbox = "/zmhd/xzxx/"
        form = citizen.get(mailbox + "write/").content.decode()
        assert 'name="subject"' in form and 'name="publish_consent"' in form
        token = re.search(r'name="human_token" value="([^"]+)"', form).group(1)
        written = citizen.post(
            mailbox + "write/",
            {
                "category": "help",
                "subject": "幸福路小区楼道灯不亮",
                "content": "幸福路小区3号楼楼道灯坏了两个月，老人晚上上下楼很危险，请尽快维修。电话13800001234。",
                "kind": "natural",
                "name": "马秀兰",
                "phone": "13800001234",
                "publish_consent": "on",
                "human_token": token,  # the anti-spam question, answered as the writer would
                "human_answer": solve_form_question(form),
            },
        )
        assert written.status_code == 302, written.content.decode()[:1000]
        receipt = citizen.get(written["Location"]).content.decode()
        code = re.search(r"\b(\w{4}-\w{4}-\w{4})\b", receipt).group(1)
        # Day 0 is 29 Sep; 30 Sep, 8, 9, 10 (Saturday, make-up) and 12 Oct are working days 1–5.
        assert "2026年10月12日" in receipt
        case = Case.objects.get(subject="幸福路小区楼道灯不亮")
        assert case.due_on == date(2026, 10, 12) and not case.due_provisional

        # The county government office screens the letter and passes it to the housing bureau.
        operator = staff("hotline_operator")
        assert code in operator.get(reverse("casework_detail", args=[case.pk])).content.decode()
        act(operator, case, Event.ACCEPTED)
        housing = Organisation.objects.get(code="木建")
        act(operator, case, Event.TRANSFERRED, organisation=housing.pk, note="请县住建局办理并答复来信人。")

    with freeze_time("2026-10-09 03:00:00"):
        clerk = staff("zjj_case_clerk")
        act(
            clerk,
            case,
            Event.REPLY_DRAFTED,
            note="马女士您好：楼道灯已于10月9日更换，维修记录见附件。感谢您的监督。",
            attachments=SimpleUploadedFile("维修记录.pdf", PDF, content_type="application/pdf"),
        )
        reviewer = staff("zjj_case_reviewer")
        act(reviewer, case, Event.REPLIED, note="同意答复。")
        case.refresh_from_db()
        assert case.status == Status.REPLIED and case.replied_on <= case.due_on

        # The writer looks the letter up by code and the last four digits of the phone.
        citizen = Client(HTTP_HOST=HOST)
        found = citizen.post(mailbox + "lookup/", {"tracking_code": code, "check_secret": "1234"})
        assert found.status_code == 302
        track = citizen.get(found["Location"]).content.decode()
        assert "楼道灯已于10月9日更换" in track and "同意答复" not in track  # the reviewer's comment stays inside
        link = re.search(r'href="(/cases/files/[^"]+)"', track).group(1)
        download = citizen.get(link)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert citizen.post(found["Location"], {"action": "rate", "rating": "satisfied"}).status_code == 302
        case.refresh_from_db()
        assert case.rating == "satisfied"

        # The bureau's reviewer publishes the letter; the public list shows it masked.
        publish_url = reverse("interaction_publication", args=[case.pk])
        form = reviewer.get(publish_url).content.decode()
        assert "138****1234" in form  # the phone inside the letter is masked in the public version already
        subject = re.search(r'name="subject"[^>]*value="([^"]*)"', form).group(1)
        content = re.search(r'<textarea name="content"[^>]*>\s*([^<]*)</textarea>', form).group(1)
        reply = re.search(r'<textarea name="reply"[^>]*>\s*([^<]*)</textarea>', form).group(1)
        published = reviewer.post(
            publish_url, {"subject": subject, "content": content, "reply": reply, "action": "publish"}
        )
        assert published.status_code == 302, published.content.decode()[:1000]
        listing = Client(HTTP_HOST=HOST).get(mailbox + "letters/").content.decode()
        assert "幸福路小区楼道灯不亮" in listing and "马某" in listing and "马秀兰" not in listing
