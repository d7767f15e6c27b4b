"""Staff security pages under /admin/security/: password change, own sessions, lockouts, roles."""

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from zhengtong.accounts import lockout, passwords, sessions
from zhengtong.accounts.forms import RolesForm
from zhengtong.accounts.models import UserSession
from zhengtong.audit.services import record
from zhengtong.core import roles

User = get_user_model()


class PermissionRequiredMixin:
    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.has_perm(self.permission)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeView(WagtailAdminTemplateMixin, FormView):
    """Change one's own password; the page every admin request is sent to while a change is required."""

    template_name = "accounts/password_change.html"
    page_title = _("修改密码")
    header_icon = "key"
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = passwords.state_for(self.request.user)
        context.update(
            state=state,
            expires_at=passwords.expires_at(state),
            change_required=passwords.change_required(state),
            next=self.request.GET.get("next", ""),
        )
        return context

    def form_valid(self, form):
        form.save()  # the post_save receiver keeps the history, ends other sessions and audits the change
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改，您在其他设备上的登录已全部结束。"))
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            target = reverse("wagtailadmin_home")
        return redirect(target)


class SessionsView(WagtailAdminTemplateMixin, TemplateView):
    """The user's own active sessions; end one, or all but this one ("在其他设备上退出")."""

    template_name = "accounts/sessions.html"
    page_title = _("我的登录会话")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = sessions.current(self.request)
        context["current"] = current
        context["sessions"] = list(sessions.active_for(self.request.user))
        return context

    def post(self, request, *args, **kwargs):
        current = sessions.current(request)
        if "end_others" in request.POST:
            count = sessions.end_others(request.user, current, "ended_by_user")
            record("auth.session_end", request=request, obj=request.user, detail={"others": True, "count": count})
            messages.success(request, _("已结束其他 %(n)s 个会话。") % {"n": count})
        elif request.POST.get("session"):
            entry = get_object_or_404(UserSession, pk=request.POST["session"], user=request.user)
            if current is not None and entry.pk == current.pk:
                return redirect("wagtailadmin_logout")
            sessions.end(entry, "ended_by_user")
            record("auth.session_end", request=request, obj=request.user, detail={"session": entry.pk})
            messages.success(request, _("已结束该会话。"))
        return redirect("zt_accounts:sessions")


class LockoutsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Accounts and addresses locked after repeated failures; the security administrator unlocks them."""

    permission = "zt_accounts.unlock_account"
    template_name = "accounts/lockouts.html"
    page_title = _("锁定的账号与地址")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accounts"] = lockout.locked("username")
        context["addresses"] = lockout.locked("ip_address")
        context["minutes"] = lockout.cooloff_minutes()
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip()
        address = request.POST.get("address", "").strip()
        count = lockout.unlock(username=username or None, address=address or None)
        if username or address:
            detail = {"username": username} if username else {"address": address}
            record("auth.unlock", request=request, detail={**detail, "records": count})
            messages.success(request, _("已解锁：%(what)s") % {"what": username or address})
        return redirect("zt_accounts:lockouts")


class RolesIndexView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Users and their roles, for the security administrator (who may not edit their profiles)."""

    permission = "zt_accounts.assign_roles"
    template_name = "accounts/roles_index.html"
    page_title = _("角色分配")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["users"] = User.objects.filter(is_active=True).prefetch_related("groups").order_by("username")
        context["administrator_roles"] = roles.ADMINISTRATOR_ROLES
        return context


class RolesEditView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission = "zt_accounts.assign_roles"
    template_name = "accounts/roles_edit.html"
    page_title = _("分配角色")
    header_icon = "group"
    form_class = RolesForm

    def dispatch(self, request, *args, **kwargs):
        self.target = get_object_or_404(User, pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.target)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.target
        kwargs["initial"] = {"groups": self.target.groups.all()}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        return context

    def form_valid(self, form):
        self.target.groups.set(form.cleaned_data["groups"])
        messages.success(self.request, _("已更新 %(user)s 的角色。") % {"user": self.target})
        return redirect("zt_accounts:roles")
