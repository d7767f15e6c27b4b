"""The public side of the interaction channels: the mailbox / consultation page and published letters.

A letter is a ``casework.Case``; this app adds where citizens write and look up (``InteractionPage``) and
the public version of a letter staff chose to publish (``Publication``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from zhengtong.portal.models import OneQueryRestrictionsMixin

DEFAULT_OUT_OF_SCOPE = _(
    "一封信只写一件事。涉及信访事项（如对行政机关处理决定不服、反映工作人员违法失职等）请按《信访工作条例》"
    "向县信访局反映，本信箱会将此类来信转信访部门处理。涉及诉讼、仲裁、行政复议的事项，请通过相应法定途径办理。"
    "请勿提交涉及国家秘密、商业秘密或他人隐私的内容。"
)


class InteractionPage(OneQueryRestrictionsMixin, RoutablePageMixin, Page):
    """县长信箱, a department's mailbox or 政务咨询: write, look up, published letters and monthly figures."""

    class Channel(models.TextChoices):
        MAILBOX = "mailbox", _("信箱（县长信箱、部门信箱）")
        CONSULTATION = "consultation", _("政务咨询")

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.MAILBOX)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("受理单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("县长信箱选县人民政府（或县政府办公室）；部门信箱选该部门。"),
    )
    intro = models.TextField(_("简介"), blank=True)
    out_of_scope = models.TextField(_("受理范围说明"), blank=True, default=DEFAULT_OUT_OF_SCOPE)

    content_panels = Page.content_panels + [
        FieldPanel("channel"),
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("out_of_scope"),
    ]
    parent_page_types = ["portal.SectionPage", "portal.DepartmentPage"]
    subpage_types: list[str] = []
    template = "interaction/interaction_page.html"

    class Meta:
        verbose_name = _("政民互动渠道（信箱/咨询）")

    # Routes: the handlers live in ``views`` (one module for the public pages).

    @path("")
    def index(self, request):
        from zhengtong.interaction import views

        return views.index(self, request)

    @path("write/", name="write")
    def write(self, request):
        from zhengtong.interaction import views

        return views.write(self, request)

    @path("receipt/", name="receipt")
    def receipt(self, request):
        from zhengtong.interaction import views

        return views.receipt(self, request)

    @path("lookup/", name="lookup")
    def lookup(self, request):
        from zhengtong.interaction import views

        return views.lookup(self, request)

    @path("track/<int:pk>/", name="track")
    def track(self, request, pk):
        from zhengtong.interaction import views

        return views.track(self, request, pk)

    @path("letters/", name="letters")
    def letters(self, request):
        from zhengtong.interaction import views

        return views.letters(self, request)

    @path("letters/<int:pk>/", name="letter")
    def letter(self, request, pk):
        from zhengtong.interaction import views

        return views.letter(self, request, pk)

    @path("figures/", name="figures")
    def figures(self, request):
        from zhengtong.interaction import views

        return views.figures(self, request)


class Publication(models.Model):
    """The public version of a replied letter whose writer consented and that staff chose to publish.

    The texts are what the public sees, edited by staff from the originals with personal data masked;
    the case itself is never shown.
    """

    case = models.OneToOneField("zt_casework.Case", on_delete=models.CASCADE, related_name="publication")
    subject = models.CharField(_("公开标题"), max_length=200)
    content = models.TextField(_("公开的来信内容"))
    reply = models.TextField(_("公开的答复内容"))
    published = models.BooleanField(_("已公开"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("公开信件")
        verbose_name_plural = _("公开信件")
        permissions = [("publish_letter", _("公开或撤销公开来信"))]

    def __str__(self) -> str:
        return self.subject
