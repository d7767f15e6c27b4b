import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from wagtail.models import Page, Site, WorkflowPage

from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.core.models import Organisation
from zhengtong.portal.models import PortalHomePage, SectionPage

pytestmark = pytest.mark.django_db

ARGS = ["--title", "奇台县人民政府", "--region", "奇台", "--host", "www.qitai.example", "--org-code", "奇政"]


def test_one_command_builds_a_working_portal(capsys):
    call_command("create_portal", *ARGS, "--org-name", "奇台县人民政府")
    home = PortalHomePage.objects.get(region_name="奇台")
    assert home.live and home.organisation == Organisation.objects.get(code="奇政")
    sections = [p.title for p in SectionPage.objects.child_of(home).live()]
    assert sections == ["信息公开", "政民互动", "特色奇台", "网上办事"]
    site = Site.objects.get(hostname="www.qitai.example")
    assert site.root_page_id == home.pk and site.port == 443
    # Wagtail's welcome page made way; the new portal is the default site of a fresh installation.
    assert not Page.objects.filter(depth=2, slug="home").exists() and site.is_default_site
    assert Group.objects.filter(name=roles.portal_group_name(roles.FINAL_REVIEWER, "奇台")).exists()
    assert WorkflowPage.objects.get(page=home).workflow.name == "两审发布·奇台"
    assert AuditRecord.objects.filter(action="portal.create").exists()
    assert "已建立门户" in capsys.readouterr().out
    assert Client(HTTP_HOST="www.qitai.example:443").get("/").status_code == 200


def test_refusals_are_in_chinese_and_change_nothing():
    with pytest.raises(CommandError, match="请用 --org-name"):
        call_command("create_portal", *ARGS)
    call_command("create_portal", *ARGS, "--org-name", "奇台县人民政府")
    with pytest.raises(CommandError, match="已有站点使用"):
        call_command("create_portal", *ARGS)
    with pytest.raises(CommandError, match="已有门户使用“奇台”"):
        call_command("create_portal", *ARGS[:-1], "奇政", "--host", "other.example")
    assert PortalHomePage.objects.count() == 1
