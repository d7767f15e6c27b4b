"""Security headers: Content-Security-Policy (django-csp 4) and the headers Django does not set itself.

Two policies (GB/T 22239-2019 8.1.4.4 入侵防范 — the site must not run script injected into it):

- the public site: ``settings.CONTENT_SECURITY_POLICY`` — only our own origin, no inline script or style, no
  plugins, no framing;
- the Wagtail admin (``/admin/``): ``settings.ZT_ADMIN_CONTENT_SECURITY_POLICY`` — still only our own origin,
  but Wagtail 8's admin writes inline ``<script>`` (date pickers, inline panels) and ``style`` attributes, and
  shows previews of pages in a frame of itself, so those are allowed there.

Both middlewares come right after the page cache in ``MIDDLEWARE`` so a cached public page is stored with,
and sent again with, exactly these headers (no nonce is used on the public site: a nonce in a cached page
would be replayed to every visitor).
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse

ADMIN_PREFIX = "/admin/"


def is_admin_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy under ``/admin/``.

    Wagtail renders a page preview by running a simulated request for the page's public URL through the whole
    middleware chain (``Page.make_preview_request``), so the preview arrives here already carrying the public
    policy (``frame-ancestors 'none'``) and could not be shown in the admin's preview frame: under ``/admin/``
    the admin policy replaces whatever an inner request set.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_admin_path(request) and HEADER in response:
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request: HttpRequest, response: HttpResponse, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request):
            parts.config = settings.ZT_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere, and frame protection by area.

    X-Frame-Options is DENY on the public site (``settings.X_FRAME_OPTIONS``) and SAMEORIGIN in the admin,
    whose page previews are frames of the admin itself; CSP ``frame-ancestors`` says the same for newer
    browsers. HSTS, nosniff, the referrer policy and COOP come from Django's ``SecurityMiddleware``.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.ZT_PERMISSIONS_POLICY)
        if is_admin_path(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
