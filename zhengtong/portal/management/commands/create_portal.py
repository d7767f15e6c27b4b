"""./zt portal create: a county's portal (home page, four sections, site, roles, workflow) in one command."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengtong.audit.services import record
from zhengtong.core.models import Organisation
from zhengtong.portal.setup import create_portal


class Command(BaseCommand):
    help = "建立一个县的门户：门户首页、四个版块、站点、角色组和两审发布工作流"

    def add_arguments(self, parser):
        parser.add_argument("--title", required=True, help="门户名称，如“××县人民政府”")
        parser.add_argument("--region", required=True, help="地区简称，如“木垒”（本安装中唯一，用于组名）")
        parser.add_argument("--host", required=True, help="正式域名，如 www.example.gov.cn")
        parser.add_argument("--port", type=int, default=443, help="对外端口（经 nginx 提供 HTTPS 时为 443）")
        parser.add_argument("--org-code", required=True, help="主办机关的机关代字，如“木政”")
        parser.add_argument("--org-name", default="", help="主办机关全称；机关不存在时必填，用来建立它")
        parser.add_argument("--org-short-name", default="", help="主办机关简称")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["org_code"]).first()
        if organisation is None:
            if not options["org_name"]:
                raise CommandError(
                    _("没有机关代字为“%(code)s”的机构；请用 --org-name 给出全称，以便建立它。")
                    % {"code": options["org_code"]}
                )
            organisation = Organisation.objects.create(
                code=options["org_code"],
                name=options["org_name"],
                short_name=options["org_short_name"] or options["org_name"],
                kind=Organisation.Kind.GOVERNMENT,
            )
        try:
            home = create_portal(
                title=options["title"],
                region_name=options["region"],
                organisation=organisation,
                hostname=options["host"],
                port=options["port"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        record("portal.create", obj=home, detail={"host": options["host"], "region": options["region"]})
        self.stdout.write(
            _("已建立门户“%(title)s”（%(host)s），版块：%(sections)s。角色组和“两审发布·%(region)s”工作流已就绪。")
            % {
                "title": home.title,
                "host": options["host"],
                "sections": "、".join(child.title for child in home.get_children()),
                "region": options["region"],
            }
        )
