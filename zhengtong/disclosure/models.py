"""信息公开: each organisation's disclosure office, catalog and section, and the disclosure items on the portal."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from zhengtong.disclosure.forms import DisclosureItemForm
from zhengtong.portal.models import (
    RICH_TEXT_FEATURES,
    ArticlePage,
    OneQueryRestrictionsMixin,
    PrefetchedRouteMixin,
)

ITEMS_PER_PAGE = 20


class DisclosureOffice(models.Model):
    """An organisation's 政府信息公开工作机构: what the guide (第12条) and the reply letters name."""

    organisation = models.OneToOneField(
        "core.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="disclosure_office"
    )
    name = models.CharField(_("信息公开工作机构"), max_length=100, help_text=_("如“县人民政府办公室”。"))
    address = models.CharField(_("办公地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=50)
    fax = models.CharField(_("传真号码"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    index_prefix = models.CharField(
        _("索引号前缀"),
        max_length=30,
        blank=True,
        help_text=_("一般用本机关的统一社会信用代码或组织机构代码；留空则用机关代字。已编的索引号不会随之改变。"),
    )
    review_authority = models.CharField(
        _("行政复议机关"), max_length=100, blank=True, help_text=_("答复书救济途径中写明的复议机关。")
    )
    court = models.CharField(_("管辖人民法院"), max_length=100, blank=True, help_text=_("答复书救济途径中写明的法院。"))
    access_text = RichTextField(
        _("主动公开的获取方式"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("留空则使用标准说明（门户网站、政府信息公开查阅点等）。"),
    )
    application_text = RichTextField(
        _("依申请公开的办理说明"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("留空则使用标准说明（申请方式、答复期限、收费等）。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("address"), FieldPanel("postcode")]),
        FieldPanel("office_hours"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("fax"), FieldPanel("email")]),
        FieldPanel("index_prefix"),
        MultiFieldPanel([FieldPanel("review_authority"), FieldPanel("court")], heading=_("救济途径")),
        MultiFieldPanel([FieldPanel("access_text"), FieldPanel("application_text")], heading=_("公开指南正文")),
    ]

    class Meta:
        ordering = ["organisation__sort_order", "organisation__name"]
        verbose_name = _("信息公开工作机构")
        verbose_name_plural = _("信息公开工作机构")

    def __str__(self) -> str:
        return f"{self.organisation.short_name}·{self.name}"


class DisclosureCategory(models.Model):
    """A category of the disclosure catalog (目录); ``organisation`` empty: the platform preset (``catalog.py``)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="disclosure_categories",
        help_text=_("留空为全平台预设目录，各机构首次使用时复制。"),
    )
    code = models.CharField(_("类别代码"), max_length=10, help_text=_("编入索引号，只能用字母和数字。"))
    name = models.CharField(_("类别名称"), max_length=50)
    description = models.CharField(_("内容说明"), max_length=200, blank=True)
    basis = models.CharField(
        _("依据"), max_length=100, blank=True, help_text=_("如：政府信息公开条例 第二十条第（一）项")
    )
    applies_to = models.CharField(
        _("适用机构"),
        max_length=10,
        choices=[("all", _("全部")), ("county", _("县级政府及部门")), ("township", _("乡镇"))],
        default="all",
        help_text=_("仅预设目录使用：复制给哪类机构。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后不能再选，已有信息仍在目录中显示。"))

    panels = [
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("description"),
        FieldPanel("basis"),
        FieldRowPanel([FieldPanel("applies_to"), FieldPanel("sort_order"), FieldPanel("is_active")]),
    ]

    class Meta:
        ordering = ["organisation__sort_order", "organisation__name", "sort_order", "code"]
        verbose_name = _("公开目录类别")
        verbose_name_plural = _("公开目录")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="disclosure_category_code_per_org"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(organisation__isnull=True), name="disclosure_preset_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.code and not self.code.isalnum():
            raise ValidationError({"code": _("类别代码只能用字母和数字。")})
        if self.pk:
            before = DisclosureCategory.objects.filter(pk=self.pk).values_list("code", "organisation_id").first()
            if before and (before[0] != self.code or before[1] != self.organisation_id) and self.items.exists():
                # Index numbers already carry the old code; a renamed code would make the catalog disagree with them.
                raise ValidationError(_("该类别已有公开信息，不能修改类别代码或所属机构；可以修改名称、排序或停用。"))


class SubjectTopic(models.Model):
    """A 主题分类 (国务院公文主题分类, top level); platform-wide and editable."""

    name = models.CharField(_("主题分类"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("sort_order"), FieldPanel("is_active")])]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self) -> str:
        return self.name


class IndexCounter(models.Model):
    """The last index-number sequence given out per organisation and year; only ever counts up (never reused)."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数")
        verbose_name_plural = _("索引号计数")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_index_counter_per_org_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class DisclosureSectionPage(OneQueryRestrictionsMixin, RoutablePageMixin, PrefetchedRouteMixin, Page):
    """An organisation's 信息公开 section: guide, catalog, annual reports and the application entry.

    Its disclosure items are its children. Other page types may live below it too (the annual report pages):
    ``subpage_types`` is left open so they can name this page in their ``parent_page_types``.
    """

    organisation = models.OneToOneField(
        "core.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="disclosure_section"
    )
    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("organisation"), FieldPanel("intro")]
    parent_page_types = ["portal.PortalHomePage", "portal.SectionPage", "portal.DepartmentPage"]
    template = "disclosure/disclosure_section_page.html"

    class Meta:
        verbose_name = _("信息公开专栏")

    def get_context(self, request, *args, **kwargs):
        from zhengtong.disclosure import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.section_context(self, request))
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("zhinan/", name="guide")
    def guide(self, request):
        from zhengtong.disclosure.guide import guide_for

        return self.render(
            request,
            template="disclosure/guide_page.html",
            context_overrides={"guide": guide_for(self.organisation, self)},
        )


class DisclosureItemPage(ArticlePage):
    """A piece of proactively disclosed government information (主动公开) with its 信息公开 metadata.

    The index number (索引号) is given on first publication and never changes afterwards (``numbering.py``).
    """

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        REPEALED = "repealed", _("废止")
        EXPIRED = "expired", _("失效")

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="disclosure_items",
        editable=False,
    )
    category = models.ForeignKey(
        DisclosureCategory, verbose_name=_("目录类别"), on_delete=models.PROTECT, related_name="items"
    )
    topic = models.ForeignKey(
        SubjectTopic, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True, db_index=True)
    written_date = models.DateField(_("成文日期"))
    formed_on = models.DateField(
        _("信息形成或变更日期"),
        null=True,
        blank=True,
        help_text=_("主动公开时限（20个工作日）从这一天起算；留空则取成文日期。信息变更时填写变更日期。"),
    )
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_changed_on = models.DateField(_("废止或失效日期"), null=True, blank=True)
    index_number = models.CharField(_("索引号"), max_length=100, blank=True, editable=False)
    index_year = models.PositiveSmallIntegerField(_("索引号年份"), null=True, blank=True, editable=False)
    index_sequence = models.PositiveIntegerField(_("索引号顺序号"), null=True, blank=True, editable=False)

    search_fields = ArticlePage.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.FilterField("category"),
    ]
    content_panels = [
        FieldPanel("title"),
        # Plain selects, not snippet choosers: the choices are this organisation's active categories only.
        FieldRowPanel([FieldPanel("category", widget=forms.Select), FieldPanel("topic", widget=forms.Select)]),
        FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_date"), FieldPanel("formed_on")]),
        FieldRowPanel([FieldPanel("published_date"), FieldPanel("validity"), FieldPanel("validity_changed_on")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
    ]
    base_form_class = DisclosureItemForm
    exclude_fields_in_copy = [*ArticlePage.exclude_fields_in_copy, "index_number", "index_year", "index_sequence"]
    parent_page_types = ["zt_disclosure.DisclosureSectionPage"]
    subpage_types: list[str] = []
    template = "disclosure/disclosure_item_page.html"

    class Meta:
        verbose_name = _("主动公开信息")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "index_year", "index_sequence"],
                condition=models.Q(index_sequence__isnull=False),
                name="disclosure_index_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "index_number"],
                condition=~models.Q(index_number=""),
                name="disclosure_index_number_unique",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        organisation_id = self.organisation_id or self._section_organisation_id()
        if self.category_id and organisation_id and self.category.organisation_id != organisation_id:
            errors["category"] = _("请选择本机构公开目录中的类别。")
        if self.validity != self.Validity.VALID and not self.validity_changed_on:
            errors["validity_changed_on"] = _("信息已废止或失效时，请填写废止或失效日期。")
        if self.formed_on and self.written_date and self.formed_on < self.written_date:
            errors["formed_on"] = _("信息形成或变更日期不能早于成文日期。")
        if errors:
            raise ValidationError(errors)

    def _section_organisation_id(self) -> int | None:
        parent = self.get_parent() if self.path else None
        if parent is None:
            return None
        section = parent.specific
        return getattr(section, "organisation_id", None)

    def save(self, *args, **kwargs):
        if not self.organisation_id:
            self.organisation_id = self._section_organisation_id()
        if self.live and not self.index_number:
            from zhengtong.disclosure.numbering import assign_index_number

            assign_index_number(self)
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # The number and the organisation belong to the item, not to a revision: publishing an older revision
        # must not take them away.
        obj = super().with_content_json(content)
        obj.organisation_id = self.organisation_id or obj.organisation_id
        for name in ("index_number", "index_year", "index_sequence"):
            setattr(obj, name, getattr(self, name))
        return obj

    def display_source(self) -> str:
        return self.organisation.name if self.organisation_id else super().display_source()

    @property
    def clock_start(self) -> date:
        """The day the 20-working-day clock of 政府信息公开条例 第26条 starts."""
        return self.formed_on or self.written_date

    def wording_text(self) -> dict[str, str]:
        texts = super().wording_text()
        texts[str(_("文号"))] = self.document_number
        return texts
