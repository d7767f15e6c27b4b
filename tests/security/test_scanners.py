"""sqlmap and wapiti against every public form (targets.TARGETS) on the live server; any finding fails.

GB/T 22239-2019 8.1.4.4 入侵防范: 应提供数据有效性检验功能，保证输入内容符合系统设定要求; the platform is
tested the way an attacker would probe it, on every run of ``./zt test``.
"""

import urllib.error
import urllib.request

import pytest
from scanners import run_sqlmap, run_wapiti
from targets import TARGETS

pytestmark = pytest.mark.security

IDS = [t.name for t in TARGETS]


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_target_answers_its_sample(scan_server, target):
    """A target that answers its valid sample with an error would be scanned for nothing."""
    url = scan_server.url + target.path
    data = None
    headers = {}
    if target.method == "GET":
        url += "?" + target.query()
    elif not target.csrf:
        data = target.body().encode()
        headers["Content-Type"] = "application/json" if target.json else "application/x-www-form-urlencoded"
    else:
        pytest.skip("CSRF 令牌由扫描工具从表单页取得")
    cookie = scan_server.cookie_for(target)
    if cookie:
        headers["Cookie"] = cookie
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, headers=headers, method=target.method)  # noqa: S310
    try:
        with opener.open(request, timeout=20) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # a redirect not followed arrives as an "error"
        status = exc.code
    assert status in (200, 201, 302), f"{target.name}: HTTP {status}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("target", [t for t in TARGETS if t.csrf], ids=[t.name for t in TARGETS if t.csrf])
def test_csrf_token_is_enforced(scan_server, target):
    """The form is refused without a valid token (wapiti 3.0.4 does not recognise Django's token by name)."""
    cookie = scan_server.cookie_for(target)
    request = urllib.request.Request(  # noqa: S310 - our loopback server
        scan_server.url + target.path,
        data=(target.query() + "&csrfmiddlewaretoken=forged").encode(),
        headers={"Cookie": cookie} if cookie else {},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)  # noqa: S310 - our loopback server
    assert refused.value.code == 403


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_sqlmap_finds_no_injection(scan_server, target, tmp_path):
    result = run_sqlmap(target, scan_server.url, tmp_path, scan_server.cookie_for(target))
    print(result.summary())
    assert not result.findings and not result.problems, result.summary()


FORMS = [t for t in TARGETS if not t.json]


@pytest.mark.parametrize("target", FORMS, ids=[t.name for t in FORMS])
def test_wapiti_finds_nothing(scan_server, target, tmp_path):
    result = run_wapiti(target, scan_server.url, tmp_path, scan_server.cookie_for(target))
    print(result.summary())
    assert not result.findings and not result.problems, result.summary()
