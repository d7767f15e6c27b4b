"""Attachments on case events: checked uploads, private storage, permission-checked and signed downloads."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.casework import attachments, services
from zhengtong.casework.models import CaseAttachment
from zhengtong.casework.tests.test_workspace import staff
from zhengtong.casework.workflow import Event
from zhengtong.core.models import Organisation
from zhengtong.hardening.views import serve_media
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def office():
    return Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")


@pytest.fixture
def clerk(office):
    return staff("clerk", office, "view_case", "change_case", "review_case_reply")


@pytest.fixture
def case(office):
    return services.submit(
        "mailbox",
        subject="路灯不亮",
        content="一中门口路灯坏了。",
        organisation=office,
        category="help",
        received_on=date(2026, 3, 2),
        applicant={"name": "张三", "phone": "13912345678"},
    )


def act(client, case, event, **data):
    return client.post(reverse("casework_act", args=[case.pk, event]), {f"{event}-{k}": v for k, v in data.items()})


def test_staff_attach_files_to_an_event_stored_privately_and_shown_on_the_timeline(client, case, clerk, media):
    login_verified(client, clerk)
    services.record_event(case, Event.ACCEPTED, actor=clerk)
    upload = SimpleUploadedFile("../现场照片 <1>.pdf", PDF, content_type="text/html")
    act(
        client,
        case,
        Event.NOTE,
        note="现场核实",
        attachments=[upload, SimpleUploadedFile("说明.txt", "已核实".encode())],
    )
    stored = list(CaseAttachment.objects.order_by("pk"))
    assert [a.original_name for a in stored] == ["现场照片_1.pdf", "说明.txt"]
    first = stored[0]
    assert (first.content_type, first.size, first.uploaded_by, first.event.kind) == (
        "application/pdf",
        len(PDF),
        clerk,
        Event.NOTE,
    )
    assert len(first.sha256) == 64
    path = Path(first.file.path)
    assert path.read_bytes() == PDF and media / "private" in path.parents
    assert "现场" not in first.file.name and "zt_casework" not in first.file.name  # a random stored name
    page = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "现场照片_1.pdf" in page and reverse("casework_attachment", args=[first.pk]) in page
    assert 'enctype="multipart/form-data"' in page
    with pytest.raises(ValueError):
        first.file.url  # noqa: B018  (private files have no URL)
    request = RequestFactory().get("/media/" + "private/" + first.file.name)
    with pytest.raises(Http404):
        serve_media(request, "private/" + first.file.name)


def test_a_renamed_executable_is_refused_with_a_chinese_message_and_nothing_is_stored(client, case, clerk):
    login_verified(client, clerk)
    services.record_event(case, Event.ACCEPTED, actor=clerk)
    response = act(
        client,
        case,
        Event.NOTE,
        note="附上材料",
        attachments=[SimpleUploadedFile("材料.pdf", PDF), SimpleUploadedFile("回执.pdf", EXE)],
    )
    page = client.get(response.url).content.decode()
    assert "回执.pdf" in page and "不能上传这个文件" in page
    assert not CaseAttachment.objects.exists()
    assert not case.events.filter(kind=Event.NOTE).exists()  # the whole action is refused, nothing half-stored
    assert attachments.MAX_FILES == 10


def test_downloads_are_permission_checked_audited_and_never_sniffed(client, case, clerk, office):
    services.record_event(case, Event.ACCEPTED, actor=clerk)
    note = services.record_event(case, Event.NOTE, actor=clerk, note="身份证复印件")
    (attachment,) = attachments.attach(note, [SimpleUploadedFile("身份证.pdf", PDF)], actor=clerk)
    url = reverse("casework_attachment", args=[attachment.pk])
    login_verified(client, clerk)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert AuditRecord.objects.filter(action="case.attachment_download", object_id=str(case.pk)).count() == 1
    other = Organisation.objects.create(name="县住建局", short_name="住建局", code="木建")
    login_verified(client, staff("outsider", other, "view_case", "change_case"))
    assert client.get(url).status_code == 404  # the same answer as for an attachment that does not exist
    assert client.get(reverse("casework_attachment", args=[attachment.pk + 100])).status_code == 404


def test_the_drafts_files_go_out_with_the_reviewed_reply_and_the_applicant_downloads_them(
    client, case, clerk, monkeypatch
):
    login_verified(client, clerk)
    services.record_event(case, Event.ACCEPTED, actor=clerk)
    act(
        client,
        case,
        Event.REPLY_DRAFTED,
        note="已修复，见维修单。",
        attachments=[SimpleUploadedFile("维修单.pdf", PDF)],
    )
    act(client, case, Event.REPLIED, note="同意")
    reply = case.events.get(kind=Event.REPLIED)
    (public,) = reply.attachments.all()
    assert public.original_name == "维修单.pdf" and reply.public
    draft_file = case.events.get(kind=Event.REPLY_DRAFTED).attachments.get()
    assert draft_file.file.name == public.file.name  # the same stored file, not a copy

    client.logout()
    # The lookup (API here; the lookup page alike) gives the applicant a fresh signed link to the reply's file.
    found = client.get(f"/api/v1/cases/{case.code}", {"check": "5678"}).json()
    reply_entry = next(entry for entry in found["timeline"] if entry["event"] == Event.REPLIED)
    (offered,) = reply_entry["attachments"]
    assert offered["name"] == "维修单.pdf" and offered["size"] == len(PDF)
    assert all(not entry["attachments"] for entry in found["timeline"] if entry["event"] != Event.REPLIED)
    link = offered["url"].removeprefix("http://testserver")
    assert link.startswith("/cases/files/")
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    # An internal event's file has no public link, even with a genuine signature.
    assert client.get(attachments.public_download_url(draft_file)).status_code == 404
    assert client.get(link[:-3] + "xx/").status_code == 404  # altered
    # After an hour the link has run out: the page says to look the case up again.
    import django.core.signing

    real_time = django.core.signing.time.time
    monkeypatch.setattr(django.core.signing.time, "time", lambda: real_time() + attachments.PUBLIC_LINK_SECONDS + 5)
    expired = client.get(link)
    assert expired.status_code == 410 and "重新查询" in expired.content.decode()
