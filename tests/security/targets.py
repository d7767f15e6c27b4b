"""Every public form the security lane attacks, in one list, and how the scanned server is set up.

A new public form (a mailbox letter, a disclosure application, a step of the admin login) is added here as one
``Target``; the scanners (sqlmap, wapiti) then attack it on every run. Paths refer to the demo county that
``load_demo`` creates, so the forms have real content behind them.
"""

from dataclasses import dataclass, field

from zhengtong.casework.codes import format_code, with_check


@dataclass(frozen=True)
class Target:
    """One form: where it is sent, how, and a valid sample of every parameter."""

    name: str
    path: str  # where the form is sent (its action)
    method: str = "GET"
    params: dict = field(default_factory=dict)
    # The page showing the form (wapiti starts there to find it; sqlmap reads the CSRF token there).
    form_page: str | None = None
    csrf: bool = False  # the form carries Django's csrfmiddlewaretoken
    json: bool = False  # an API taking a JSON body (sqlmap only: wapiti 3.0.4 attacks forms and query strings)
    # Sent with a session cookie: "password" = logged in with the password, the second factor not yet given.
    session: str | None = None

    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.params)

    def body(self) -> str:
        """The request body of a POST target: JSON or form-encoded."""
        import json

        return json.dumps(self.params, ensure_ascii=False) if self.json else self.query()


# Made by scan_fixtures.py after load_demo: a staff account with an authenticator, and a case to look up.
SCAN_USER = "scanner-2fa"
SCAN_USER_PASSWORD = "Scan-lane-2fa-Passw0rd"  # the throw-away scanned server's account
SCAN_CASE_CODE = with_check("SCAN2FAKE7Q")
SCAN_CASE_PHONE = "13912345678"
DISCLOSURE_PAGE = "/xxgk/zfxxgk/ysqgk/"  # load_demo: the county government's 依申请公开 page

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
    Target(
        "admin-login-code",
        "/admin/security/2fa/verify/",
        method="POST",
        params={"code": "123456", "next": "/admin/"},
        form_page="/admin/security/2fa/verify/",
        csrf=True,
        session="password",
    ),
    Target(
        "case-submit-api",
        "/api/v1/cases",
        method="POST",
        json=True,
        params={
            "kind": "mailbox",
            "category": "consult",
            "organisation": "木政办",
            "subject": "咨询供暖时间",
            "content": "请问今年县城集中供暖从哪一天开始？",
            "applicant": {"kind": "natural", "name": "王五", "phone": "13800001234"},
        },
    ),
    Target("case-lookup-api", f"/api/v1/cases/{format_code(SCAN_CASE_CODE)}", params={"check": SCAN_CASE_PHONE[-4:]}),
    # 政民互动: the letter form and the lookup of the 县长信箱 page (zhengtong.interaction).
    Target(
        "letter-write",
        "/zmhd/xzxx/write/",
        method="POST",
        params={
            "category": "help",
            "subject": "楼道灯不亮",
            "content": "幸福路小区3号楼楼道灯坏了，请尽快维修。",
            "kind": "natural",
            "name": "王五",
            "phone": "13800001234",
            "email": "",
            "address": "",
            "id_number": "",
            "lookup_password": "",
        },
        form_page="/zmhd/xzxx/write/",
        csrf=True,
    ),
    Target(
        "letter-lookup",
        "/zmhd/xzxx/lookup/",
        method="POST",
        params={"tracking_code": format_code(SCAN_CASE_CODE), "check_secret": SCAN_CASE_PHONE[-4:]},
        form_page="/zmhd/xzxx/lookup/",
        csrf=True,
    ),
    Target("letters-search", "/zmhd/xzxx/letters/", params={"q": "公交", "page": "1"}),
    # 信息公开: the catalog filter of a disclosure section and the kiosk's search (zhengtong.disclosure).
    Target("disclosure-catalog", "/xxgk/zfxxgk/", params={"category": "01", "year": "2015", "page": "1"}),
    Target("kiosk-search", "/kiosk/search/", params={"q": "公开", "page": "1"}),
    # 依申请公开 (issue #6): the county government's application page in its 信息公开 section, and the API.
    Target(
        "disclosure-apply",
        f"{DISCLOSURE_PAGE}apply/",
        method="POST",
        params={
            "category": "apply",
            "kind": "natural",
            "name": "王五",
            "id_number": "11010519491231002X",
            "credit_code": "",
            "contact": "",
            "phone": "13800001234",
            "email": "",
            "address": "",
            "lookup_password": "",
            "description": "县城供水管网改造工程的招标文件",
            "provision_form": "email",
            "obtain_method": "download",
        },
        form_page=f"{DISCLOSURE_PAGE}apply/",
        csrf=True,
    ),
    Target(
        "disclosure-apply-api",
        "/api/v1/disclosure/applications",
        method="POST",
        json=True,
        params={
            "organisation": "木政",
            "description": "县城供水管网改造工程的招标文件",
            "provision_form": "email",
            "obtain_method": "download",
            "applicant": {"kind": "natural", "name": "王五", "id_number": "11010519491231002X", "phone": "13800001234"},
        },
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
    "ZT_2FA_MAX_FAILURES": "1000000",  # zhengtong.twofactor: wrong codes in a row before the session ends
    "ZT_FORM_QUESTION": "0",  # the anti-spam question of public forms (tested in the hardening app)
}
