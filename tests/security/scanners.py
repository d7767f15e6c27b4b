"""Running sqlmap and wapiti against one target and reading what they found.

Both are Debian's packages (``./zt test`` installs them). They run on loopback only: the target is the lane's own
server on 127.0.0.1, any proxy-aware request elsewhere goes to a closed local port, wapiti's automatic bug
reports are off and its technology database is never downloaded. Each run is bounded by the tool's own limits and
by a hard timeout; a run that does not finish fails the test, since an unfinished scan proves nothing.
"""

import csv
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from targets import ACCEPTED_FINDINGS, Target

WAPITI = "/usr/bin/wapiti"  # Debian's package; started through wapiti_launcher.py with Debian's python3
DEBIAN_PYTHON = "/usr/bin/python3"  # the one with wapitiCore, whatever python the tests run under
WAPITI_LAUNCHER = Path(__file__).with_name("wapiti_launcher.py")
SQLMAP = "/usr/bin/sqlmap"

# Budgets (seconds). On the quiet 2-core test machine the longest run (sqlmap on the search page) takes about a
# minute; the limits leave room for a machine busy with other work and catch a scan that hangs.
SQLMAP_TIMEOUT = 600
WAPITI_SCAN_SECONDS = 300
WAPITI_TIMEOUT = 420

# Injection and script modules that act on form parameters and never leave loopback (ssrf and xxe call an
# external endpoint; nikto, buster and backup guess files rather than test forms). Time-based blind SQL
# injection is left to sqlmap, whose tests of it are stricter.
WAPITI_MODULES = "sql,exec,file,xss,permanentxss,crlf,redirect,csrf"

CSRF = "Cross Site Request Forgery"

# Requests a scanner's helper libraries might make off the machine fail at once on this closed port.
NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}


@dataclass
class ScanResult:
    tool: str
    target: str
    findings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the scan did not run to the end
    seconds: float = 0.0
    log: Path | None = None

    def summary(self) -> str:
        lines = [f"{self.tool} {self.target}（{self.seconds:.0f} 秒，日志 {self.log}）"]
        lines += [f"  发现：{f}" for f in self.findings]
        lines += [f"  扫描未完成：{p}" for p in self.problems]
        return "\n".join(lines)


def server_errors(log: Path) -> list[str]:
    """Error lines of the scanned server's platform log (a request the code did not expect)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if " ERROR " in line]


def tools_missing() -> list[str]:
    return [name for name, path in (("sqlmap", SQLMAP), ("wapiti", WAPITI)) if not shutil.which(path)]


def _run(command: list[str], workdir: Path, timeout: int, log: Path) -> tuple[bool, float]:
    """Run ``command`` with its output in ``log``; (finished in time, seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(NO_NETWORK)
    env["HOME"] = str(workdir)  # sqlmap and wapiti keep state under ~: keep it in the test's directory
    env["LC_ALL"] = env["LANG"] = "C.UTF-8"  # English messages, which read_sqlmap and read_wapiti parse
    env.pop("LANGUAGE", None)
    start = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return False, time.monotonic() - start
    return True, time.monotonic() - start


# --- sqlmap -----------------------------------------------------------------

SQLMAP_FOUND = re.compile(
    r"(sqlmap identified the following injection point"
    r"|parameter '[^']+' is vulnerable"
    r"|parameter '[^']+' appears to be '[^']+' injectable)",
    re.IGNORECASE,
)


def sqlmap_command(target: Target, base_url: str, output: Path, cookie: str | None = None) -> list[str]:
    command = [
        SQLMAP,
        "--batch",  # never ask; take the default answers
        "--level=2",  # cookies too
        "--risk=1",  # no payloads that could change data
        "--time-sec=2",
        "--timeout=15",
        "--retries=1",
        "--disable-coloring",
        "--flush-session",
        f"--output-dir={output}",
        "--answers=follow=N",  # stay on the target: do not follow redirects elsewhere
    ]
    url = base_url + target.path
    if cookie:
        command.append(f"--cookie={cookie}")
    if not target.csrf:
        command.append("--threads=2")  # sqlmap fetches CSRF tokens one request at a time
    if target.method == "GET":
        command.append(f"--url={url}?{target.query()}")
    else:
        data = target.body()  # sqlmap sees a JSON body and injects into its values
        if target.csrf:
            # A fresh token from the form page for every request, as a browser would send it.
            data = "csrfmiddlewaretoken=token&" + data
            command += [
                "--csrf-token=csrfmiddlewaretoken",
                f"--csrf-url={base_url}{target.form_page or target.path}",
                "--skip=csrfmiddlewaretoken",
            ]
        command += [f"--url={url}", f"--data={data}"]
    return command


def read_sqlmap(result: ScanResult, text: str, output: Path) -> None:
    for match in sorted(set(m.group(0) for m in SQLMAP_FOUND.finditer(text))):
        result.findings.append(f"sqlmap: {match}")
    for csv_file in output.glob("results-*.csv"):
        with csv_file.open(newline="") as f:
            for row in csv.DictReader(f):
                if row.get("Parameter"):
                    result.findings.append(
                        f"sqlmap: {row.get('Place')} 参数 {row['Parameter']}：{row.get('Technique(s)', '')}"
                    )
    if "[*] ending @" not in text:
        result.problems.append("sqlmap 没有正常结束")
    for line in text.splitlines():
        if "[CRITICAL]" in line and "do not appear to be injectable" not in line:
            result.problems.append(line.strip())


def run_sqlmap(target: Target, base_url: str, workdir: Path, cookie: str | None = None) -> ScanResult:
    output = workdir / "sqlmap"
    output.mkdir(parents=True, exist_ok=True)
    log = workdir / "sqlmap.log"
    result = ScanResult("sqlmap", target.name, log=log)
    finished, result.seconds = _run(sqlmap_command(target, base_url, output, cookie), workdir, SQLMAP_TIMEOUT, log)
    if not finished:
        result.problems.append(f"超过 {SQLMAP_TIMEOUT} 秒未完成")
    read_sqlmap(result, log.read_text(errors="replace"), output)
    return result


# --- wapiti -----------------------------------------------------------------


def wapiti_command(target: Target, base_url: str, workdir: Path, report: Path, cookie: str | None = None) -> list[str]:
    config = workdir / "wapiti-config"
    config.mkdir(parents=True, exist_ok=True)
    # Every module is loaded, even unused ones; the technology module downloads its database from GitHub when
    # this file is missing. An empty database keeps wapiti on loopback.
    (config / "apps.json").write_text("{}")
    url = base_url + target.path
    if target.method == "GET":
        # Exactly this address with its parameters (links to other result pages would multiply the work).
        url += "?" + target.query()
        scope, start = "url", None
    else:
        # The form's action, found on the page that shows the form.
        scope, start = "page", target.form_page
    command = [
        DEBIAN_PYTHON,
        str(WAPITI_LAUNCHER),
        f"--url={url}",
        f"--scope={scope}",
        "--depth=1",  # the start pages and the forms on them
        f"--module={WAPITI_MODULES}",
        f"--max-scan-time={WAPITI_SCAN_SECONDS}",
        f"--max-attack-time={WAPITI_SCAN_SECONDS}",
        "--timeout=15",
        "--format=json",
        f"--output={report}",
        f"--store-session={workdir / 'wapiti-session'}",
        f"--store-config={config}",
        "--flush-session",
        "--no-bugreport",
        "--verbose=1",
    ]
    if start:
        command.append(f"--start={base_url}{start}")
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    return command


WAPITI_FOUND = re.compile(r"Wapiti found (\d+) URLs and forms")


def read_wapiti(result: ScanResult, report: dict, log: str) -> None:
    # wapiti ends normally, with an empty report, when it could not reach the target: that proves nothing.
    found = WAPITI_FOUND.search(log)
    if found is None or int(found.group(1)) == 0 or "[!] Connection error" in log:
        result.problems.append("wapiti 没有找到可测试的网址或表单（连接失败？）")
    for line in log.splitlines():
        if line.startswith(("Max scan time was reached", "Max attack time was reached")):
            result.problems.append(f"wapiti 被时限截断：{line.strip()}")
    for section in ("vulnerabilities", "anomalies"):
        for category, entries in (report.get(section) or {}).items():
            for entry in entries or []:
                if (category, entry.get("path")) in ACCEPTED_FINDINGS:
                    continue
                if category == CSRF and "csrfmiddlewaretoken=" in (entry.get("http_request") or ""):
                    # wapiti 3.0.4 does not know Django's token name; test_csrf_token_is_enforced checks it.
                    continue
                parameter = entry.get("parameter") or ""
                result.findings.append(
                    f"wapiti: {category}：{entry.get('method')} {entry.get('path')} {parameter} {entry.get('info')}"
                    f"\n    {entry.get('curl_command', '')}"
                )


def run_wapiti(target: Target, base_url: str, workdir: Path, cookie: str | None = None) -> ScanResult:
    report_path = workdir / "wapiti.json"
    log = workdir / "wapiti.log"
    result = ScanResult("wapiti", target.name, log=log)
    command = wapiti_command(target, base_url, workdir, report_path, cookie)
    finished, result.seconds = _run(command, workdir, WAPITI_TIMEOUT, log)
    if not finished:
        result.problems.append(f"超过 {WAPITI_TIMEOUT} 秒未完成")
    if not report_path.exists():
        result.problems.append("wapiti 没有写出报告")
        return result
    read_wapiti(result, json.loads(report_path.read_text()), log.read_text(errors="replace"))
    return result
