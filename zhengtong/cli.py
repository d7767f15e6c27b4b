"""The ``./zt`` commands. The shell script has already prepared .venv.

Every operation of the county's technical staffer is one command here:
``demo``, ``serve``, ``worker``, ``upgrade``, ``import``, ``reindex``, ``audit``, ``breakglass``, ``backup``,
``restore``, ``calendar``, ``check``, ``keys``, ``test``, ``manage``.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from defusedxml import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/zhengtong"


def say(message: str) -> None:
    print(f"zt: {message}", file=sys.stderr, flush=True)


def manage(*args: str, env: dict | None = None, check: bool = True) -> int:
    completed = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env)
    if check and completed.returncode != 0:
        sys.exit(completed.returncode)
    return completed.returncode


# --- Serving ----------------------------------------------------------------


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_services(host: str, port: int, workers: int, with_worker: bool = True) -> int:
    """Run the web server (and, unless told otherwise, the background worker); stop all when one stops."""
    web = [
        PYTHON, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", "4",
        "--respawn-failed-workers",
        "--no-access-log",
        "zhengtong.wsgi:application",
    ]  # fmt: skip
    worker = [PYTHON, str(ROOT / "manage.py"), "zt_worker"]
    procs = [subprocess.Popen(web, cwd=ROOT)]
    if with_worker:
        procs.append(subprocess.Popen(worker, cwd=ROOT))
    say(f"网站已启动：http://{host}:{port}/  管理后台：http://{host}:{port}/admin/  （Ctrl+C 停止）")

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    finally:
        stop()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
    return max(p.returncode or 0 for p in procs)


def cmd_serve(args) -> int:
    if manage("migrate", "--check", check=False) != 0:
        say("数据库有未执行的迁移，请先运行 ./zt upgrade。")
    return run_services(args.host, args.port, args.workers, with_worker=not args.no_worker)


def cmd_demo(args) -> int:
    say("准备演示县（迁移数据库、收集静态文件、载入演示数据）…")
    ensure_debian_packages(CJK_FONTS, "生成 PDF（答复告知书、年度报告）", required=False)
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("load_demo", "--base-url", f"http://{args.host}:{args.port}")
    return run_services(args.host, args.port, args.workers)


def cmd_upgrade(args) -> int:
    manage("migrate", "--noinput")
    # A release that changes how search stores its index empties it in a migration; rebuild it here.
    manage("reindex", "--if-empty", "--no-progress")
    # The admin's own search index (zhengtong.search.backend) is rebuilt every time, so it follows any change
    # of the analyzer or of search_fields; Wagtail indexes some hundreds of pages a second.
    manage("update_index", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    # No default accounts: on a new installation the three administrators are created here (zhengtong.accounts).
    manage("create_first_admins")
    return manage("check", check=False)


def exec_manage(*args: str) -> None:
    """Become ``manage.py ARGS`` so signals (systemd's SIGTERM, Ctrl+C) reach it directly."""
    os.chdir(ROOT)
    os.execv(PYTHON, [PYTHON, str(ROOT / "manage.py"), *args])


def cmd_worker(args) -> int:
    exec_manage("zt_worker", *(["--burst"] if args.burst else []))
    return 1


def cmd_reindex(args) -> int:
    exec_manage("reindex", *(["--no-progress"] if args.no_progress else []))
    return 1


def cmd_import(args) -> int:
    options = ["--site", args.site]
    options += ["--dry-run"] if args.dry_run else []
    options += ["--no-progress"] if args.no_progress else []
    exec_manage("import_items", str(Path(args.file).resolve()), *options)
    return 1


def cmd_portal(args) -> int:
    options = ["--title", args.title, "--region", args.region, "--host", args.host, "--port", str(args.port)]
    options += ["--org-code", args.org_code, "--org-name", args.org_name, "--org-short-name", args.org_short_name]
    exec_manage("create_portal", *options)
    return 1


def cmd_check(args) -> int:
    """Security self-check as the server will run: production settings unless --current is given."""
    env = dict(os.environ)
    if not args.current:
        env["ZT_ENV"] = "production"
    return manage("zt_check", env=env, check=False)


def cmd_audit(args) -> int:
    if args.audit_command == "archive":
        exec_manage("audit_archive", *(["--before", args.before] if args.before else []))
    options = ["--last", str(args.last)] if args.last else []
    options += ["--archive", str(Path(args.archive).resolve())] if args.archive else []
    exec_manage("audit_verify", *options)
    return 1


def cmd_calendar(args) -> int:
    if args.calendar_command == "add-workdays":
        exec_manage("workcalendar", "add-workdays", args.start, str(args.days))
    elif args.calendar_command == "import-year":
        notice = ["--notice", args.notice] if args.notice else []
        exec_manage("workcalendar", "import-year", str(args.year), str(Path(args.file).resolve()), *notice)
    exec_manage("workcalendar", "status")


def cmd_disclosure(args) -> int:
    options = ["--org", args.org, "--year", str(args.year), "--format", args.format]
    options += ["--output", str(Path(args.output).resolve())] if args.output else []
    exec_manage("disclosure_annual_report", *options)
    return 1


# --- Personal-data keys (zhengtong.privacy) ------------------------------------


def cmd_keys(args) -> int:
    options = ["--batch-size", str(args.batch_size)] if args.keys_command == "rotate" else []
    options += ["--no-progress"] if getattr(args, "no_progress", False) else []
    options += ["--reencrypt-only"] if getattr(args, "reencrypt_only", False) else []
    exec_manage("personal_data_keys", args.keys_command, *options)
    return 1


# --- Backup and restore (zhengtong.backup) ------------------------------------


def cmd_backup(args) -> int:
    options = ["--output", str(Path(args.output).resolve())] if args.output else []
    options += ["--verify", str(Path(args.verify).resolve())] if args.verify else []
    options += ["--passphrase-file", str(Path(args.passphrase_file).resolve())] if args.passphrase_file else []
    options += ["--show-passphrase"] if args.show_passphrase else []
    exec_manage("zt_backup", *options)
    return 1


def cmd_restore(args) -> int:
    """Restore into an empty data directory, then finish inside the restored installation.

    Emptiness is judged here, before Django starts: starting Django in a data directory writes a new secret
    key and a log file into it. The restore itself runs with a throw-away ZT_DATA_DIR for the same reason.
    """
    from zhengtong.backup.datadir import nonempty_entries

    target = Path(args.data_dir or os.environ.get("ZT_DATA_DIR") or ROOT / "var").resolve()
    archive = str(Path(args.file).resolve())
    leftovers = nonempty_entries(target)
    if leftovers:
        say(
            f"数据目录 {target} 不是空的（有 {'、'.join(leftovers[:5])}）。恢复只写入空目录，以免覆盖现有数据："
            "请用 --data-dir 指定一个新目录，或先把这个目录移走（mv）。"
        )
        return 1
    options = ["--passphrase-file", str(Path(args.passphrase_file).resolve())] if args.passphrase_file else []
    with tempfile.TemporaryDirectory(prefix="zt-restore-") as scratch:
        env = {**os.environ, "ZT_DATA_DIR": scratch}
        if manage("zt_restore", archive, "--data-dir", str(target), *options, env=env, check=False) != 0:
            return 1
    env = {**os.environ, "ZT_DATA_DIR": str(target)}
    say("完成恢复：迁移数据库（程序比备份新时）、收集静态文件、校验审计记录链…")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    rc = manage("zt_restore", archive, "--finish", env=env, check=False)
    if rc == 0:
        say(f"恢复完成。数据目录：{target}。以 ZT_DATA_DIR={target} 启动服务（./zt serve 或 systemctl start）。")
    return rc


# --- Accounts (zhengtong.accounts) ---------------------------------------------


def cmd_breakglass(args) -> int:
    options = ["--reason", args.reason] if args.reason else []
    options += ["--hours", str(args.hours)] if args.hours else []
    options += ["--revoke"] if args.revoke else []
    exec_manage("breakglass", args.username, *options)
    return 1


def add_accounts_commands(sub) -> None:
    p = sub.add_parser("breakglass", help="应急：临时授予某账号超级用户权限，记入审计，到期自动收回")
    p.add_argument("username", help="账号")
    p.add_argument("--reason", default="", help="原因（必填，记入审计）")
    p.add_argument("--hours", type=int, default=None, help="时长（小时，默认 2，最多 24）")
    p.add_argument("--revoke", action="store_true", help="立即收回")
    p.set_defaults(func=cmd_breakglass)


# --- Tests --------------------------------------------------------------------


def _present(thing: str) -> bool:
    return Path(thing).exists() if thing.startswith("/") else shutil.which(thing) is not None


def ensure_debian_packages(wanted: dict[str, str], purpose: str, *, required: bool = True) -> None:
    """Install the Debian packages whose command or path (key) is missing; as root only.

    Browsers, scanners and fonts come from Debian, never downloaded by the tools themselves. Without root
    the missing packages are named; ``required`` decides whether that stops the command.
    """
    missing = sorted({package for thing, package in wanted.items() if not _present(thing)})
    if not missing:
        return
    if os.geteuid() != 0:
        say(f"{purpose}需要 Debian 的 {'、'.join(missing)}：请以 root 运行 apt-get install {' '.join(missing)}。")
        if required:
            sys.exit(1)
        return
    say(f"安装 {'、'.join(missing)}（{purpose}用）…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]  # another apt-get may be running
    subprocess.run(["apt-get", *lock, "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", *lock, "install", "-y", "-qq", *missing], check=True, env=env)


# Chinese fonts for PDFs (zhengtong.core.pdf) and for the browser tests' screenshots and checks.
CJK_FONTS = {"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc": "fonts-noto-cjk"}
# Browser tests drive Debian's chromium (never a downloaded browser).
BROWSER_PACKAGES = {"chromium": "chromium", **CJK_FONTS}
# The security lane's scanners: Debian's packages, run against the lane's own server on loopback.
SCANNER_PACKAGES = {"sqlmap": "sqlmap", "wapiti": "wapiti"}


def postgres_ready(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
    except psycopg.Error:
        return False
    return True


def junit_counts(path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a pytest JUnit XML report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


SECURITY_TESTS = "tests/security"


def cmd_test(args) -> int:
    lanes = ["sqlite", "postgresql", "security"] if args.lane == "all" else [args.lane]
    if args.lane == "all" and args.pytest_args:
        # A focused run (a path, -k …): the security lane's scans belong to full runs or --lane security.
        lanes.remove("security")
        say("指定了测试范围，跳过安全测试通道（需要时用 --lane security）。")
    if set(lanes) & {"sqlite", "postgresql"}:
        ensure_debian_packages(BROWSER_PACKAGES, "浏览器测试和 PDF 测试")
    if "security" in lanes:
        ensure_debian_packages(SCANNER_PACKAGES, "安全测试")
    say("ruff 检查…")
    if subprocess.run([PYTHON, "-m", "ruff", "check", "."], cwd=ROOT).returncode != 0:
        say("ruff 发现问题，测试中止。")
        return 1
    pg_url = os.environ.get("ZT_TEST_DATABASE_URL", DEFAULT_PG_URL)
    totals = [0, 0, 0]
    failed_lanes = []
    for lane in lanes:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ZT_ENV")}
        data_dir = tempfile.mkdtemp(prefix=f"zt-test-{lane}-")
        env["ZT_DATA_DIR"] = data_dir
        if lane == "postgresql":
            if not postgres_ready(pg_url):
                say(f"连接不上 PostgreSQL（{pg_url}），PostgreSQL 测试无法运行。")
                failed_lanes.append(lane)
                continue
            env["DATABASE_URL"] = pg_url
        report = Path(data_dir) / "junit.xml"
        say(f"测试（{lane}）…")
        if lane == "security":
            # Once, on SQLite. The scanners are CPU-bound: two workers, each with its own scanned server, share
            # the targets (about 10 minutes on the 2-core machine instead of 18 in one process).
            selection = [SECURITY_TESTS, "-n", "2"]
        else:
            parallel = [] if any(a.startswith(("-n", "--numprocesses")) for a in args.pytest_args) else ["-n", "auto"]
            selection = [f"--ignore={SECURITY_TESTS}", *parallel]
        command = [
            PYTHON,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            *selection,
            f"--junitxml={report}",
            *args.pytest_args,
        ]
        rc = subprocess.run(command, cwd=ROOT, env=env).returncode
        if report.exists():
            for i, n in enumerate(junit_counts(report)):
                totals[i] += n
        if rc != 0:
            failed_lanes.append(lane)
        shutil.rmtree(data_dir, ignore_errors=True)
    passed, failed, skipped = totals
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    if failed_lanes:
        say("失败的测试通道：" + "、".join(failed_lanes))
        return 1
    return 0


# --- Entry point --------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
    parser = argparse.ArgumentParser(prog="zt", description="政通 电子政务平台")
    sub = parser.add_subparsers(dest="command", required=True)

    for name, func, text in (
        ("demo", cmd_demo, "建库、载入演示县并启动网站"),
        ("serve", cmd_serve, "启动网站（生产级服务器）和后台任务"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--workers", type=int, default=default_workers())
        p.set_defaults(func=func)
        if name == "serve":
            p.add_argument("--no-worker", action="store_true", help="只启动网站，后台任务另行运行（多台应用服务器时）")

    p = sub.add_parser("worker", help="只运行后台任务")
    p.add_argument("--burst", action="store_true", help="执行完队列中的任务后退出")
    p.set_defaults(func=cmd_worker)
    sub.add_parser("upgrade", help="升级后执行：迁移数据库、收集静态文件、自检").set_defaults(func=cmd_upgrade)

    p = sub.add_parser("import", help="导入旧网站的内容（JSON Lines 文件，每行一条信息）")
    p.add_argument("file", help="要导入的 .jsonl 文件")
    p.add_argument("--site", required=True, help="导入到哪个站点（主机名）")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入任何数据")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("portal", help="门户：./zt portal create 建立一个县的门户（首页、版块、站点、角色、工作流）")
    portal_sub = p.add_subparsers(dest="portal_command", required=True)
    p = portal_sub.add_parser("create", help="建立门户；在服务器上执行，不需要超级用户")
    p.add_argument("--title", required=True, help="门户名称，如“××县人民政府”")
    p.add_argument("--region", required=True, help="地区简称，如“木垒”（本安装中唯一）")
    p.add_argument("--host", required=True, help="正式域名，如 www.example.gov.cn")
    p.add_argument("--port", type=int, default=443, help="对外端口（默认 443）")
    p.add_argument("--org-code", required=True, help="主办机关的机关代字")
    p.add_argument("--org-name", default="", help="主办机关全称（机构不存在时建立）")
    p.add_argument("--org-short-name", default="", help="主办机关简称")
    p.set_defaults(func=cmd_portal)

    p = sub.add_parser("reindex", help="重建全文检索索引（带进度条，可中断后重跑）")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("audit", help="审计记录：verify 校验记录链，archive 归档保存期以前的记录")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    p = audit_sub.add_parser("verify", help="校验审计记录链；链被破坏时报告第一条有问题的记录并以非零状态退出")
    p.add_argument("--last", type=int, default=None, help="只校验最新的 N 条记录")
    p.add_argument("--archive", metavar="FILE", default=None, help="改为校验一个审计归档文件")
    p.set_defaults(func=cmd_audit)
    p = audit_sub.add_parser(
        "archive", help="把保存期（至少 180 天）以前的记录写入签名的归档文件（DATA_DIR/audit-archive），校验后删除"
    )
    p.add_argument("--before", metavar="DATE", default=None, help="只归档这一天（年-月-日）之前的记录")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("calendar", help="工作日历：计算期限、载入一年的节假日安排、查看已录入的年份")
    calendar_sub = p.add_subparsers(dest="calendar_command", required=True)
    c = calendar_sub.add_parser("add-workdays", help="从 DATE（第 0 天）数 N 个工作日，打印日期（暂定加 provisional）")
    c.add_argument("start", metavar="DATE")
    c.add_argument("days", metavar="N", type=int)
    c = calendar_sub.add_parser("import-year", help="从文本文件载入一年的节假日安排（每行：日期 休/班 名称）")
    c.add_argument("year", metavar="YEAR", type=int)
    c.add_argument("file", metavar="FILE")
    c.add_argument("--notice", default="", help="依据（国务院办公厅通知文号）")
    calendar_sub.add_parser("status", help="列出已录入和缺少的年份")
    p.set_defaults(func=cmd_calendar)

    p = sub.add_parser("disclosure", help="政府信息公开：./zt disclosure annual-report 输出年度报告")
    disclosure_sub = p.add_subparsers(dest="disclosure_command", required=True)
    d = disclosure_sub.add_parser("annual-report", help="输出一个机关某年度的年度报告（json、html 或 pdf）")
    d.add_argument("--org", required=True, metavar="CODE", help="机关代字")
    d.add_argument("--year", required=True, type=int, metavar="YYYY")
    d.add_argument("--format", choices=["json", "html", "pdf"], default="json")
    d.add_argument("--output", metavar="FILE", default="", help="写到文件（PDF 必须指定）")
    p.set_defaults(func=cmd_disclosure)

    p = sub.add_parser("check", help="安全自检：Django 部署检查加平台检查，有错误时非零退出")
    p.add_argument("--current", action="store_true", help="按当前环境的设置检查（默认按正式模式 ZT_ENV=production）")
    p.set_defaults(func=cmd_check)

    # Personal-data keys (zhengtong.privacy): ./zt keys status | ./zt keys rotate
    p = sub.add_parser("keys", help="个人信息加密密钥：./zt keys status 查看，./zt keys rotate 轮换")
    keys_sub = p.add_subparsers(dest="keys_command", required=True)
    p = keys_sub.add_parser("status", help="显示密钥、生成时间，以及每个个人信息字段用各密钥加密的条数")
    p.set_defaults(func=cmd_keys)
    p = keys_sub.add_parser("rotate", help="生成新密钥，重新加密全部个人信息（分批、可中断后继续），然后停用旧密钥")
    p.add_argument("--batch-size", type=int, default=500, help="每批重新加密的行数（默认 500）")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.add_argument("--reencrypt-only", action="store_true", help="不生成新密钥，只把旧密钥加密的值换成当前密钥")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("backup", help="备份数据库、上传文件和（加密的）密钥到一个归档；--verify 检验一份备份")
    p.add_argument("--output", help="备份文件写到哪个目录（默认 ZT_BACKUP_DIR，即数据目录下的 backups/）")
    p.add_argument("--verify", metavar="FILE", help="把 FILE 恢复到临时位置，与清单核对记录数和文件校验值")
    p.add_argument("--passphrase-file", help="从这个文件读备份口令（检验别处的备份时）")
    p.add_argument("--show-passphrase", action="store_true", help="显示本服务器的备份口令（抄下来，离开服务器保管）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="把一份备份恢复到空的数据目录（PostgreSQL 时还要一个空库）")
    p.add_argument("file", help="备份文件 zhengtong-backup-….tar.gz（同目录下要有它的 .sha256 文件）")
    p.add_argument("--data-dir", help="恢复到哪个空目录（默认 ZT_DATA_DIR）")
    p.add_argument("--passphrase-file", help="从这个文件读备份口令（默认在终端输入）")
    p.set_defaults(func=cmd_restore)

    add_accounts_commands(sub)

    p = sub.add_parser(
        "test",
        help="运行全部测试：SQLite、PostgreSQL 各一遍，加安全测试（bandit、sqlmap、wapiti）；其余参数交给 pytest",
    )
    p.add_argument("--lane", choices=["all", "sqlite", "postgresql", "security"], default="all")
    p.set_defaults(func=cmd_test)

    sub.add_parser("manage", help="Django 管理命令，如 ./zt manage createsuperuser", add_help=False)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        exec_manage(*argv[1:])  # everything after "manage" belongs to Django, --help included
    args, rest = parser.parse_known_args(argv)
    if args.command != "test" and rest:
        parser.error("无法识别的参数：" + " ".join(rest))
    args.pytest_args = rest
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
