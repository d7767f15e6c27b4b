"""Builders for tests: a small portal with one department, and staff in each role."""

from types import SimpleNamespace

from wagtail.models import Page, Site

from zhengtong.core import roles
from zhengtong.core.models import Organisation, User
from zhengtong.portal.models import ArticlePage, ColumnPage, DepartmentPage, PortalHomePage, SectionPage
from zhengtong.portal.setup import ensure_review_workflow


def build_portal(hostname: str = "portal.test", region: str = "木垒", code: str = "木政") -> SimpleNamespace:
    """A portal with sections, columns, one department sub-section and the review workflow."""
    government = Organisation.objects.create(
        name=f"{region}县人民政府", short_name=f"{region}县政府", code=code, kind=Organisation.Kind.GOVERNMENT
    )
    department = Organisation.objects.create(
        name=f"{region}县教育局", short_name=f"{region}教育局", code=f"{code}教", parent=government
    )
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=PortalHomePage(
            title=f"{region}县人民政府网", slug=hostname.replace(".", "-"), organisation=government, region_name=region
        )
    )
    # Wagtail's initial migration leaves a default site on its welcome page; the first portal replaces it.
    Site.objects.filter(root_page__depth=2, root_page__content_type__model="page").delete()
    site = Site.objects.create(
        hostname=hostname,
        port=80,
        root_page=home,
        site_name=home.title,
        is_default_site=not Site.objects.filter(is_default_site=True).exists(),
    )
    info = home.add_child(instance=SectionPage(title="信息公开", slug="xxgk", show_in_menus=True))
    home.add_child(instance=SectionPage(title="政民互动", slug="zmhd", show_in_menus=True))
    news = home.add_child(instance=ColumnPage(title=f"今日{region}", slug="news"))
    dept_news_column = home.add_child(instance=ColumnPage(title="部门动态", slug="bmdt"))
    policies = info.add_child(instance=ColumnPage(title="政策文件", slug="zcwj"))
    section = home.add_child(instance=DepartmentPage(title=department.name, slug="jyj", organisation=department))
    section_news = section.add_child(instance=ColumnPage(title="工作动态", slug="gzdt"))
    ensure_review_workflow(home)
    return SimpleNamespace(
        site=site,
        home=home,
        government=government,
        department=department,
        info=info,
        news=news,
        dept_news_column=dept_news_column,
        policies=policies,
        section=section,
        section_news=section_news,
    )


TEST_PASSWORD = "Zt-test-pass-2026"  # noqa: S105 - test accounts only


def make_staff(username: str, organisation: Organisation, *group_names: str, password: str = TEST_PASSWORD) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username, password=password, organisation=organisation)
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def role(portal: SimpleNamespace, name: str) -> str:
    """The portal's group for role ``name`` (roles.REVIEWER …)."""
    return roles.portal_group_name(name, portal.home.region_name)


def department_editor(portal: SimpleNamespace, username: str = "dept_editor") -> User:
    return make_staff(username, portal.department, roles.department_editor_group_name(portal.department.short_name))


def publish_article(column: ColumnPage, title: str, body: str = "<p>正文</p>", **fields) -> ArticlePage:
    article = column.add_child(instance=ArticlePage(title=title, body=body, **fields))
    article.save_revision().publish()
    article.refresh_from_db()
    return article
