"""Page types of the government website cluster, its site settings and review models."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, PageViewRestriction
from wagtail.search import index

from zhengtong.portal.forms import ArticleAdminPageForm

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image"]
PAGE_SIZE = 20


# --- Serving -----------------------------------------------------------------


class OneQueryRestrictionsMixin:
    """View restrictions of a page and its ancestors in one query instead of Wagtail's two.

    Wagtail reads the ancestors (for their ``alias_of``) and then the restrictions; this resolves the
    ancestors' alias sources inside the restriction query. Same rows as ``Page.get_view_restrictions()``: each
    of the page and its ancestors counts as the page it is an alias of, followed to the end of the chain.
    """

    def get_view_restrictions(self):
        steps = range(Page.steplen, len(self.path) + 1, Page.steplen)
        paths = [self.path[:end] for end in steps]
        table = Page._meta.db_table
        placeholders = ", ".join(["%s"] * len(paths))
        # An alias of an alias is possible (Wagtail copies whatever page it is given), hence the recursion.
        # Only the table name and placeholders are formatted in; the paths are parameters.
        sql = (
            f"WITH RECURSIVE checked (id, alias_of_id) AS ("  # noqa: S608  # nosec B608
            f" SELECT id, alias_of_id FROM {table} WHERE path IN ({placeholders})"
            f" UNION SELECT p.id, p.alias_of_id FROM {table} p JOIN checked c ON p.id = c.alias_of_id"
            f") SELECT id FROM checked WHERE alias_of_id IS NULL"
        )
        sources = RawSQL(sql, paths)  # noqa: S611  # nosec B611
        return PageViewRestriction.objects.filter(page_id__in=sources)


class PrefetchedRouteMixin:
    """Routes a whole URL path with one query; Wagtail's ``Page.route`` takes two per path segment.

    The first page that routes reads every page that could lie on the remaining path, as specific instances
    (``queries.pages_on_path``), and hands them down; each page then finds its child among them. The result is
    Wagtail's: the child with that slug, routed by its own ``route()`` (a column's RSS route still comes first),
    with its parent set on it, so breadcrumbs need no query either.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        from zhengtong.portal.queries import pages_on_path

        pages = self.__dict__.get("_pages_on_path")
        if pages is None:
            pages = pages_on_path(self, path_components)
        key = (self.path, path_components[0])
        if key not in pages:
            raise Http404
        child = pages[key]
        if child is None:  # siblings sharing a slug: Wagtail's own lookup, with its own error
            return super().route(request, path_components)
        child._cached_parent_obj = self
        child.__dict__["_pages_on_path"] = pages
        return child.route(request, path_components[1:])


# --- Structure --------------------------------------------------------------


class PortalHomePage(OneQueryRestrictionsMixin, PrefetchedRouteMixin, Page):
    """Home page of one government portal (the root of one Wagtail Site)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("主办机关"),
        on_delete=models.PROTECT,
        related_name="portals",
    )
    region_name = models.CharField(
        _("地区简称"), max_length=20, help_text=_("如“木垒”，用于“今日木垒”“特色木垒”等栏目名称。")
    )
    intro = models.TextField(_("网站简介"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        FieldPanel("region_name"),
        FieldPanel("intro"),
    ]
    subpage_types = ["portal.SectionPage", "portal.ColumnPage", "portal.DepartmentPage", "portal.TopicPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("门户首页")

    def clean(self):
        super().clean()
        # Role groups and the workflow are named after the region, so two portals must not share one.
        others = PortalHomePage.objects.filter(region_name=self.region_name).exclude(pk=self.pk)
        if self.region_name and others.exists():
            raise ValidationError(
                {"region_name": _("已有门户使用“%(name)s”作地区简称，请换一个。") % {"name": self.region_name}}
            )

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal.queries import home_blocks

        context = super().get_context(request, *args, **kwargs)
        context.update(home_blocks(self, request))
        return context


class SectionPage(OneQueryRestrictionsMixin, PrefetchedRouteMixin, Page):
    """A top section such as 信息公开 or 政民互动: a landing page over its columns."""

    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.PortalHomePage", "portal.SectionPage"]
    subpage_types = [
        "portal.SectionPage",
        "portal.ColumnPage",
        "portal.DepartmentPage",
        "portal.TopicPage",
        "zt_interaction.InteractionPage",
        "zt_disclosure.DisclosureSectionPage",
    ]

    class Meta:
        verbose_name = _("版块")

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal.queries import section_blocks

        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = section_blocks(self)
        return context


class DepartmentPage(OneQueryRestrictionsMixin, PrefetchedRouteMixin, Page):
    """A department's or township's sub-section of the county portal (集约化: no separate site).

    Creating one gives the organisation an editor group that may edit only
    inside this subtree (see ``zhengtong.portal.sections``).
    """

    organisation = models.OneToOneField(
        "core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="section_page",
    )
    intro = models.TextField(_("机构简介"), blank=True)
    duties = RichTextField(_("主要职责"), blank=True, features=RICH_TEXT_FEATURES)
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("duties"),
        MultiFieldPanel(
            [FieldPanel("leader"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("office_hours")],
            heading=_("联系方式"),
        ),
    ]
    parent_page_types = ["portal.PortalHomePage", "portal.SectionPage"]
    subpage_types = [
        "portal.ColumnPage",
        "portal.TopicPage",
        "zt_interaction.InteractionPage",
        "zt_disclosure.DisclosureSectionPage",
    ]

    class Meta:
        verbose_name = _("部门/乡镇子站")

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal.queries import section_blocks

        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = section_blocks(self)
        return context


class ColumnPage(OneQueryRestrictionsMixin, RoutablePageMixin, PrefetchedRouteMixin, Page):
    """A news column (今日木垒, 通知公告, 政策文件 …): a paged list of items with an RSS feed."""

    intro = models.TextField(_("栏目说明"), blank=True)
    show_images = models.BooleanField(_("以图片列表显示"), default=False, help_text=_("图片新闻栏目勾选。"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("show_images")]
    parent_page_types = ["portal.PortalHomePage", "portal.SectionPage", "portal.DepartmentPage"]
    subpage_types = ["portal.ArticlePage", "portal.PolicyPage", "portal.InterpretationPage", "portal.TopicPage"]

    class Meta:
        verbose_name = _("栏目")

    def items(self):
        """Live public items of this column, newest first (aliases of submitted items included)."""
        from zhengtong.portal.queries import public_filter

        return (
            ArticlePage.objects.live()
            .filter(public_filter())
            .child_of(self)
            .select_related("cover_image")
            .order_by("-published_date", "-pk")
        )

    @path("")
    def index(self, request):
        from zhengtong.portal.queries import paginate, public_filter

        items = paginate(request, self.items())
        topics = TopicPage.objects.live().filter(public_filter()).child_of(self)
        return self.render(request, context_overrides={"items": items, "topics": topics})

    @path("rss/", name="rss")
    def rss(self, request):
        from zhengtong.portal.feeds import ColumnFeed

        return ColumnFeed()(request, column=self)


# --- Items ------------------------------------------------------------------


class ArticlePage(OneQueryRestrictionsMixin, Page):
    """A published item: news, notice or picture news. Policies and interpretations extend it."""

    published_date = models.DateTimeField(
        _("发布日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("留空则取首次发布的时间。"),
    )
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("发布机构；留空则取所在部门。"))
    author = models.CharField(_("作者"), max_length=100, blank=True)
    editor = models.CharField(_("责任编辑"), max_length=100, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    body = RichTextField(_("正文"), features=RICH_TEXT_FEATURES)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The id the item had on the old website, when it came from ``./zt import`` (not in the editor panels).
    source_id = models.CharField(_("导入编号"), max_length=100, blank=True, db_index=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("published_date"),
    ]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("published_date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("author"), FieldPanel("editor")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        InlinePanel("images", label=_("组图")),
        InlinePanel("attachments", label=_("附件")),
    ]
    base_form_class = ArticleAdminPageForm
    # A copy is a new item, not the legacy one: re-importing must find the original only.
    exclude_fields_in_copy = ["source_id"]
    parent_page_types = ["portal.ColumnPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("信息")

    @property
    def display_date(self):
        return self.published_date or self.first_published_at or self.latest_revision_created_at

    def display_source(self) -> str:
        if self.source:
            return self.source
        from zhengtong.portal.sections import organisation_for_page

        organisation = self._routed_owner_organisation() or organisation_for_page(self)
        return organisation.name if organisation else ""

    def _routed_owner_organisation(self):
        """``organisation_for_page(self)`` from the parents routing set on the page, without reading the tree.

        The nearest department sub-site owns the item, else the portal; ``None`` when the page was not routed
        down from its portal (a preview), and ``organisation_for_page`` reads the ancestors instead.
        """
        node = self
        while (parent := node.__dict__.get("_cached_parent_obj")) is not None:
            if isinstance(parent, DepartmentPage | PortalHomePage):
                return parent.organisation
            node = parent
        return None

    def gallery(self):
        """The item's pictures with their images (one query for all of them)."""
        return self.images.select_related("image")

    def attachment_list(self):
        """The item's attachments with their documents (one query for all of them)."""
        return self.attachments.select_related("document")

    def wording_text(self) -> dict[str, str]:
        """The texts the pre-publish wording check reads, by field label."""
        from django.utils.html import strip_tags

        return {
            str(_("标题")): self.title,
            str(_("摘要")): self.summary,
            str(_("正文")): strip_tags(self.body or ""),
        }


class ArticleImage(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文件"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("附件名称"), max_length=200, blank=True, help_text=_("留空则用文件标题。"))

    panels = [FieldPanel("document"), FieldPanel("title")]

    def display_title(self) -> str:
        return self.title or self.document.title


class PolicyPage(ArticlePage):
    """A policy document (政策文件) with its number, dates and validity."""

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        AMENDED = "amended", _("已修订")
        REPEALED = "repealed", _("已废止")

    document_number = models.CharField(_("文号"), max_length=100, blank=True, db_index=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID)

    search_fields = ArticlePage.search_fields + [index.SearchField("document_number")]
    content_panels = (
        ArticlePage.content_panels[:1]
        + [
            FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_date"), FieldPanel("validity")]),
        ]
        + ArticlePage.content_panels[1:]
    )
    template = "portal/policy_page.html"

    class Meta:
        verbose_name = _("政策文件")

    def interpretations(self):
        return InterpretationPage.objects.live().public().filter(policy=self).order_by("-published_date")


class InterpretationPage(ArticlePage):
    """An interpretation (政策解读) of one policy; listed on the policy's page."""

    policy = models.ForeignKey(
        PolicyPage,
        verbose_name=_("解读的政策"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = ArticlePage.content_panels[:1] + [FieldPanel("policy")] + ArticlePage.content_panels[1:]
    template = "portal/interpretation_page.html"

    class Meta:
        verbose_name = _("政策解读")


class TopicPage(OneQueryRestrictionsMixin, Page):
    """A special topic (专题) collecting items from several columns."""

    intro = RichTextField(_("专题简介"), blank=True, features=RICH_TEXT_FEATURES)
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("专题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("banner"),
        InlinePanel("items", label=_("专题内容")),
    ]
    parent_page_types = ["portal.PortalHomePage", "portal.SectionPage", "portal.ColumnPage", "portal.DepartmentPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("专题")

    @property
    def display_date(self):
        return self.first_published_at

    def live_items(self):
        ids = [item.page_id for item in self.items.all()]
        pages = ArticlePage.objects.live().public().filter(pk__in=ids).in_bulk()
        return [pages[i] for i in ids if i in pages]


class TopicItem(Orderable):
    topic = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(ArticlePage, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="topic_items")

    panels = [FieldPanel("page")]


# --- Site settings ----------------------------------------------------------


@register_setting(icon="site")
class FooterSettings(BaseSiteSetting):
    """Footer facts a government site must show (政府网站发展指引 2017; 网站标识码)."""

    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    icp_url = models.URLField(_("ICP备案查询链接"), blank=True, default="https://beian.miit.gov.cn/")
    psb_number = models.CharField(_("公安机关备案号"), max_length=50, blank=True)
    psb_url = models.URLField(_("公安备案查询链接"), blank=True, default="https://beian.mps.gov.cn/")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    is_example = models.BooleanField(
        _("示例数据"),
        default=False,
        help_text=_("勾选时页脚标注“示例”，上线前请填写真实信息并取消勾选。"),
    )

    panels = [
        FieldPanel("sponsor"),
        FieldPanel("organiser"),
        FieldPanel("site_code"),
        FieldRowPanel([FieldPanel("icp_number"), FieldPanel("icp_url")]),
        FieldRowPanel([FieldPanel("psb_number"), FieldPanel("psb_url")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("is_example"),
    ]

    class Meta:
        verbose_name = _("页脚信息")


# --- Pre-publish wording check ---------------------------------------------


class WordingRule(models.Model):
    """An entry of the sensitive-word and wording-error list (editable by site administrators)."""

    class Kind(models.TextChoices):
        SENSITIVE = "sensitive", _("敏感词")
        ERROR = "error", _("严重表述错误")

    class Action(models.TextChoices):
        BLOCK = "block", _("禁止提交")
        WARN = "warn", _("提示，须审核人确认")

    phrase = models.CharField(_("词语"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.ERROR)
    correct_form = models.CharField(_("正确表述"), max_length=100, blank=True)
    action = models.CharField(_("处理方式"), max_length=10, choices=Action.choices, default=Action.WARN)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    panels = [
        FieldPanel("phrase"),
        FieldPanel("kind"),
        FieldPanel("correct_form"),
        FieldPanel("action"),
        FieldPanel("note"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["kind", "phrase"]
        verbose_name = _("敏感词与错误表述")
        verbose_name_plural = _("敏感词与错误表述")

    def __str__(self) -> str:
        return self.phrase


class WordingAcknowledgement(models.Model):
    """A reviewer confirmed the wording warnings of one revision."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)
    hits = models.JSONField(default=list)

    class Meta:
        verbose_name = _("表述提示确认")
        verbose_name_plural = _("表述提示确认")

    def __str__(self) -> str:
        return f"{self.revision_id} / {self.user}"


# --- Review workflow --------------------------------------------------------


class ReviewTask(AbstractGroupApprovalTask):
    """A review step (初审 or 终审) by members of the chosen groups.

    With ``same_organisation`` the reviewer must also belong to the
    organisation that owns the page's section, or to an organisation above it
    (the county office reviews everything). Approval waits until the
    reviewer has confirmed any wording warnings of the revision.
    """

    same_organisation = models.BooleanField(
        _("限本单位审核"),
        default=False,
        help_text=_("勾选后，只有信息所属单位（或其上级）的审核人可以审核。"),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["same_organisation"]

    class Meta:
        verbose_name = _("审核步骤")
        verbose_name_plural = _("审核步骤")

    def user_can_review(self, obj, user) -> bool:
        from zhengtong.portal.sections import user_can_review_page

        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        return not self.same_organisation or user_can_review_page(user, obj)

    def user_can_access_editor(self, obj, user):
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_review(obj, user)

    def get_actions(self, obj, user):
        from zhengtong.portal.wording import pending_warnings

        if not self.user_can_review(obj, user):
            return []
        actions = [("reject", _("退回修改"), True)]
        if pending_warnings(obj):
            actions.append(("acknowledge", _("确认表述提示"), True))
        else:
            actions += [("approve", _("通过"), False), ("approve", _("通过并留言"), True)]
        return actions

    def get_form_for_action(self, action):
        from zhengtong.portal.forms import AcknowledgeWordingForm

        if action == "acknowledge":
            return AcknowledgeWordingForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action == "acknowledge":
            return "portal/workflow/acknowledge_wording.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from django.core.exceptions import PermissionDenied

        from zhengtong.portal.wording import acknowledge, pending_warnings

        obj = task_state.revision.as_object()
        if not self.user_can_review(obj, user):
            raise PermissionDenied
        if action_name == "acknowledge":
            acknowledge(task_state.revision, user)
            return None
        if action_name == "approve" and pending_warnings(obj):
            # The buttons hide approval until warnings are confirmed; a forged POST must not skip it.
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from zhengtong.portal.sections import review_root_paths

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if not self.same_organisation or user.is_superuser:
            return states
        # Few items are under review at a time: look up their pages' paths rather than every page a reviewer covers.
        roots = review_root_paths(user)
        object_ids = list(states.values_list("workflow_state__object_id", flat=True))
        paths = Page.objects.filter(pk__in=[int(i) for i in object_ids if i.isdigit()]).values_list("pk", "path")
        allowed = [str(pk) for pk, path in paths if any(path.startswith(root) for root in roots)]
        return states.filter(workflow_state__object_id__in=allowed)

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员审核；可限定为信息所属单位的审核人。")


# --- Submission of department items to portal columns (报送) -----------------


class ColumnSubmission(models.Model):
    """A department editor offers one of its items to a column of the county portal."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采用")
        REJECTED = "rejected", _("未采用")
        WITHDRAWN = "withdrawn", _("已撤回")

    page = models.ForeignKey(
        ArticlePage, verbose_name=_("报送的信息"), on_delete=models.CASCADE, related_name="submissions"
    )
    column = models.ForeignKey(
        ColumnPage, verbose_name=_("报送栏目"), on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    note = models.CharField(_("报送说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("未采用原因"), blank=True)
    alias = models.ForeignKey(
        Page, verbose_name=_("门户中的信息"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "column"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_submission_per_column",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page.title} → {self.column.title}"


# --- Import of legacy websites ---------------------------------------------


class ImportRecord(models.Model):
    """One legacy item brought in by ``./zt import``: the page it became and a hash of its line.

    Kept beside the page rather than as a page field: the hash then is not copied into every
    revision; an editor's later change to the page does not make the line look changed (the
    import overwrites it only when the line itself changes); the importer reads all records of a
    site in one query; and the database enforces one item per source_id and site.
    """

    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    source_id = models.CharField(_("导入编号"), max_length=100)
    page = models.OneToOneField(
        ArticlePage, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="import_record"
    )
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    imported_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        constraints = [models.UniqueConstraint(fields=["site", "source_id"], name="one_import_record_per_site_item")]

    def __str__(self) -> str:
        return self.source_id
