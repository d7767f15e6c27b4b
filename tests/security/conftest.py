"""The security lane's server: the platform with the demo county, served by granian on loopback.

It runs in its own process and data directory (like ``./zt serve``), so the scanners meet the production
server, middleware and error pages, not the test client; the settings are ``scan_settings`` (limits that would
stop a scanner raised, nothing else changed). The server is started once per pytest-xdist worker: ``./zt test``
runs the lane on two workers, each scanning its share of the targets against its own server.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scanners import server_errors, tools_missing
from targets import SCAN_SETTINGS, SCAN_USER, SCAN_USER_PASSWORD, SERVER_ENV, Target

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


@dataclass
class ScanServer:
    url: str
    data_dir: Path

    @property
    def error_log(self) -> Path:
        return self.data_dir / "logs" / "zhengtong.log"

    def cookie_for(self, target: Target) -> str | None:
        """The Cookie header a target is scanned with (a fresh session each time), or None."""
        if target.session is None:
            return None
        if target.session == "password":
            return self.password_session()
        raise ValueError(f"unknown session kind {target.session!r}")

    def password_session(self) -> str:
        """Log the scan account in with its password only: the session then stands at the code page."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        with opener.open(self.url + "/admin/login/", timeout=20) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": SCAN_USER, "password": SCAN_USER_PASSWORD, "next": "/admin/"}
        )
        request = urllib.request.Request(self.url + "/admin/login/", data=form.encode(), method="POST")  # noqa: S310
        try:
            opener.open(request, timeout=20)
        except urllib.error.HTTPError as redirect:  # the redirect after a good password, not followed
            assert redirect.code == 302, redirect.code
        cookies = {cookie.name: cookie.value for cookie in jar}
        assert "sessionid" in cookies, "扫描账号没有登录成功"
        with opener.open(self.url + "/admin/security/2fa/verify/", timeout=20) as response:
            assert 'name="code"' in response.read().decode(), "登录后没有停在验证码页"
        return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ZT_ENV", "ZT_DEBUG")}
    env.update(SERVER_ENV)
    env["ZT_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = SCAN_SETTINGS
    env["PYTHONPATH"] = str(ROOT)
    return env


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"扫描用的服务器没有启动（退出码 {process.returncode}）", pytrace=False)
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310 (our own loopback URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"扫描用的服务器 {START_TIMEOUT} 秒内没有响应", pytrace=False)


@pytest.fixture(scope="session")
def scan_server(tmp_path_factory) -> Iterator[ScanServer]:
    missing = tools_missing()
    if missing:
        pytest.fail(
            f"安全测试需要 Debian 的 {'、'.join(missing)}：请用 ./zt test 运行（会自动安装），"
            f"或以 root 执行 apt-get install {' '.join(missing)}",
            pytrace=False,
        )
    data_dir = tmp_path_factory.mktemp("scan-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env(data_dir)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["load_demo", "--base-url", url, "--quiet"],
    ):
        subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    fixtures = [sys.executable, str(Path(__file__).with_name("scan_fixtures.py"))]
    subprocess.run(fixtures, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server_log = (data_dir / "server.log").open("w")
    web = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", "127.0.0.1",  # loopback only
        "--port", str(port),
        "--workers", "1",
        "--blocking-threads", "4",
        "--no-access-log",
        "zhengtong.wsgi:application",
    ]  # fmt: skip
    process = subprocess.Popen(web, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    server = ScanServer(url, data_dir)
    try:
        wait_until_up(url, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        server_log.close()
    # After every scan of this server (one per xdist worker): no request made the application fail. A 500 is an
    # input the code did not expect; it fails the lane here, at the end, whichever worker saw it.
    errors = server_errors(server.error_log)
    if errors:
        pytest.fail("扫描期间服务器出错：\n" + "\n".join(errors[:20]), pytrace=False)
