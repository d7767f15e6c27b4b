"""Every public form the security lane attacks, in one list, and how the scanned server is set up.

A new public form (a mailbox letter, a disclosure application, a step of the admin login) is added here as one
``Target``; the scanners (sqlmap, wapiti) then attack it on every run. Paths refer to the demo county that
``load_demo`` creates, so the forms have real content behind them.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """One form: where it is sent, how, and a valid sample of every parameter."""

    name: str
    path: str  # where the form is sent (its action)
    method: str = "GET"
    params: dict[str, str] = field(default_factory=dict)
    # The page showing the form (wapiti starts there to find it; sqlmap reads the CSRF token there).
    form_page: str | None = None
    csrf: bool = False  # the form carries Django's csrfmiddlewaretoken

    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.params)


TARGETS: list[Target] = [
    Target(
        "search",
        "/search/",
        params={"q": "公告", "section": "", "type": "", "date_from": "", "date_to": "", "page": "1"},
        form_page="/search/",
    ),
    Target(
        "search-api",
        "/api/v1/search",
        params={"q": "公告", "type": "信息", "from": "2014-01-01", "to": "2030-12-31", "limit": "5", "offset": "0"},
    ),
    Target("column-paging", "/xxgk/tzgg/", params={"page": "1"}),
    Target("display-mode", "/display-mode/", method="POST", params={"next": "/", "elder": "1"}, form_page="/"),
    Target(
        "admin-login",
        "/admin/login/",
        method="POST",
        params={"username": "scanner", "password": "not-a-password", "next": "/admin/"},
        form_page="/admin/login/",
        csrf=True,
    ),
]

# Findings looked at and accepted, each with the reason: (wapiti category, path) -> why.
ACCEPTED_FINDINGS: dict[tuple[str, str], str] = {
    (
        "Cross Site Request Forgery",
        "/display-mode/",
    ): "长者模式开关只改本浏览器的显示偏好 cookie，不涉及任何数据或权限；为了让公开页面可以整页缓存，"
    "表单中不放 CSRF 令牌（zhengtong/portal/views.py display_mode）。",
}

# Settings module of the scanned server: the platform's settings with the limits that would stop a scanner raised.
SCAN_SETTINGS = "tests.security.scan_settings"

# Environment of the scanned server. Rate limits and lockout are raised, not removed, so the scanners reach the
# code behind them (scan_settings.py raises them too, whatever their names). A new limit read from the
# environment gets its high value here.
SERVER_ENV: dict[str, str] = {
    "ZT_ENV": "development",
    "ZT_DEBUG": "0",  # error pages as in production: no tracebacks for the scanners to read
    "ZT_PAGE_CACHE_SECONDS": "0",  # every request reaches the application
    "ZT_LOCKOUT_FAILURES": "1000000",  # zhengtong.accounts (django-axes)
    "ZT_RATE_LIMIT_LOGIN": "100000",  # zhengtong.hardening, per address and window
    "ZT_RATE_LIMIT_SUBMISSION": "100000",
    "ZT_RATE_LIMIT_PUBLIC": "100000",
    "ZT_RATE_LIMIT_LOOKUP": "100000",
}
