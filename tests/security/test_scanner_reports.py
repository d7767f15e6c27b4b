"""The lane fails on what the scanners report: their output read on known samples, without running them."""

import pytest
from scanners import ScanResult, read_sqlmap, read_wapiti

pytestmark = pytest.mark.security

SQLMAP_CLEAN = """[03:46:23] [WARNING] GET parameter 'offset' does not seem to be injectable
[03:46:23] [CRITICAL] all tested parameters do not appear to be injectable. Try to increase values
[*] ending @ 03:46:23 /2026-11-28/
"""
SQLMAP_VULNERABLE = """[10:01:02] [INFO] GET parameter 'q' appears to be 'SQLite > 2.0 AND time-based blind' injectable
GET parameter 'q' is vulnerable. Do you want to keep testing the others (if any)? [y/N] N
sqlmap identified the following injection point(s) with a total of 80 HTTP(s) requests:
[*] ending @ 10:01:09 /2026-11-28/
"""
WAPITI_LOG = "[*] Wapiti found 3 URLs and forms during the scan\n"


def test_sqlmap_clean_run_passes(tmp_path):
    result = ScanResult("sqlmap", "t")
    read_sqlmap(result, SQLMAP_CLEAN, tmp_path)
    assert not result.findings and not result.problems


def test_sqlmap_injection_fails(tmp_path):
    (tmp_path / "results-1.csv").write_text(
        "Target URL,Place,Parameter,Technique(s),Note(s)\nhttp://127.0.0.1/search/?q=1,GET,q,T,\n"
    )
    result = ScanResult("sqlmap", "t")
    read_sqlmap(result, SQLMAP_VULNERABLE, tmp_path)
    assert len(result.findings) >= 3
    assert any("参数 q" in f for f in result.findings)


def test_sqlmap_unfinished_or_unreachable_run_fails(tmp_path):
    result = ScanResult("sqlmap", "t")
    read_sqlmap(result, "[10:00:00] [CRITICAL] unable to connect to the target URL\n", tmp_path)
    assert len(result.problems) == 2


def _entry(path: str, request: str = "") -> dict:
    return {"method": "POST", "path": path, "info": "x", "parameter": "q", "http_request": request}


def test_wapiti_vulnerability_and_anomaly_fail():
    result = ScanResult("wapiti", "t")
    report = {
        "vulnerabilities": {"Cross Site Scripting": [_entry("/search/")], "SQL Injection": []},
        "anomalies": {"Internal Server Error": [_entry("/search/")]},
    }
    read_wapiti(result, report, WAPITI_LOG)
    assert len(result.findings) == 2 and not result.problems


def test_wapiti_accepted_and_django_csrf_false_positive_are_skipped():
    result = ScanResult("wapiti", "t")
    report = {
        "vulnerabilities": {
            "Cross Site Request Forgery": [
                _entry("/display-mode/"),  # accepted, with its reason, in targets.ACCEPTED_FINDINGS
                _entry("/admin/login/", "csrfmiddlewaretoken=abc&username=x"),  # wapiti 3.0.4 misses Django's token
                _entry("/mailbox/"),  # a form really without a token
            ]
        }
    }
    read_wapiti(result, report, WAPITI_LOG)
    assert [f.split("：")[1].split()[1] for f in result.findings] == ["/mailbox/"]


def test_wapiti_that_reached_nothing_fails():
    result = ScanResult("wapiti", "t")
    read_wapiti(result, {}, "[!] Connection error with URL http://127.0.0.1:1/\n[*] Wapiti found 0 URLs and forms\n")
    assert result.problems


def test_server_errors_are_found_in_the_scanned_servers_log(tmp_path):
    """What the lane checks at the end, for each worker's server: error lines of the platform's log."""
    from scanners import server_errors

    log = tmp_path / "logs" / "zhengtong.log"
    assert server_errors(log) == []  # no log yet
    log.parent.mkdir()
    log.write_text(
        "2026-11-28 00:00:01 INFO zhengtong.portal 页面\n"
        "2026-11-28 00:00:02 ERROR django.request Internal Server Error: /zmhd/xzxx/write/\n"
    )
    assert server_errors(log) == ["2026-11-28 00:00:02 ERROR django.request Internal Server Error: /zmhd/xzxx/write/"]
