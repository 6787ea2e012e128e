"""`make bench`: the student path under gunicorn, loaded by Locust, against a ceiling.

1. a database: PostgreSQL when DATABASE_URL is set, otherwise a fresh SQLite file in
   bench/results/; migrated, with the lesson and N students (bench/setup_data.py);
2. gunicorn on 127.0.0.1 and a free port, production settings (DEBUG off), plain HTTP;
3. saturation, one step at a time: the trivial view (the ceiling), the least logged-in
   page (the floor: session, user, one query, a tiny template), the lesson page, the
   question page, the answer save, the result page; with Locust, and with wrk (when
   installed);
4. the whole path by N students with think time (Locust), for --duration seconds.

Locust and wrk measure; this script adds what they cannot: the scenario, the ceiling, the
floor and each step's throughput over both. Their own output stays in bench/results/ (Locust's
--csv files, wrk's summary in the log). Runs are bounded in time (and Locust's in request
count); gunicorn is stopped at the end whatever happens. Only 127.0.0.1 is contacted.
"""

import argparse
import csv
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
SATURATION = ["ceiling", "floor", "lesson", "question", "answer", "result"]
WRK_SATURATION = SATURATION
NAMES = {
    "ceiling": "ceiling (trivial view)",
    "floor": "floor (session, user, 1 query)",
    "lesson": "lesson page",
    "question": "question page",
    "answer": "answer save",
    "result": "result page",
}
HEADER = "| step | requests | failures | req/s | p50 ms | p95 ms | p99 ms |"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--students", type=int, default=int(os.environ.get("BENCH_STUDENTS", 100)))
    add("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    add("--threads", type=int, default=0, help="gthread workers with this many threads; 0: sync")
    add("--saturation-users", type=int, default=50)
    add("--saturation-seconds", type=int, default=20)
    add(
        "--duration",
        "--path-seconds",
        dest="path_seconds",
        type=int,
        default=240,
        help="seconds of the whole path; the run stops itself",
    )
    add("--saturation", action=argparse.BooleanOptionalAction, default=True)
    add(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--no-cache: no default cache (the reading rendered on every request)",
    )
    add(
        "--gunicorn-max-requests",
        type=int,
        default=None,
        help="override config/gunicorn.py's max_requests (to measure worker recycling)",
    )
    add("--spawn-rate", type=float, default=2, help="students arriving per second")
    add("--think", default="1,3", help="think time between steps, min,max seconds")
    add("--wrk", action=argparse.BooleanOptionalAction, default=True, help="use wrk if installed")
    add("--wrk-connections", type=int, default=50)
    add("--wrk-threads", type=int, default=2)
    add("--max-requests", type=int, default=300_000, help="per Locust run")
    return parser.parse_args()


def run(cmd: list, env: dict, log: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run a command, its output appended to the log (and returned)."""
    done = subprocess.run(
        list(map(str, cmd)), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    with open(log, "a") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n{done.stdout}{done.stderr}")
    if done.returncode:
        raise SystemExit(f"{Path(str(cmd[0])).name} failed; see {log}")
    return done


@contextmanager
def gunicorn(env: dict, args, log: Path):
    """The app under gunicorn on a free port of 127.0.0.1, until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    threads = ["--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "5"]
    with open(log, "a") as server_log:
        server = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
            + (threads if args.threads else [])
            + (
                ["--max-requests", str(args.gunicorn_max_requests)]
                + ["--max-requests-jitter", str(args.gunicorn_max_requests // 10)]
                if args.gunicorn_max_requests is not None
                else []
            ),
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=server_log,
            start_new_session=True,
        )
        host = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while not healthy(host):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"gunicorn did not become healthy; see {log}")
                time.sleep(0.3)
            yield host
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def healthy(host: str) -> bool:
    try:
        with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def locust(scenario: str, users: int, rate: float, seconds: int, *, host, env, args, prefix, log):
    """One Locust run; its rows from Locust's own statistics (--csv), Aggregated last."""
    print(f"-- locust {scenario}: {users} users for {seconds} s")
    env = {**env, "BENCH_SCENARIO": scenario, "BENCH_MAX_REQUESTS": str(args.max_requests)}
    run(
        [BIN / "locust", "-f", "bench/locustfile.py", "--headless", "--only-summary"]
        + ["-u", users, "-r", rate, "-t", f"{seconds}s", "--stop-timeout", "30"]
        + ["--host", host, "--csv", prefix, "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        env,
        log,
        seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return [
            {
                "step": "**all steps**" if row["Name"] == "Aggregated" else row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                **{f"p{p}": row[f"{p}%"] for p in (50, 95, 99)},
            }
            for row in csv.DictReader(stats)
        ]


def wrk(scenario: str, *, host: str, data: dict, args, prefix: Path, log: Path) -> dict:
    """One step saturated by wrk (C, keep-alive): far less CPU per request than Locust on
    the same cores. bench/wrk.lua sends the requests written here, one a line."""
    lines = ["GET /bench/ceiling/ -"]
    if scenario != "ceiling":
        lines = []
        for s in data["students"]:
            cookie = f"sessionid={s['session']};csrftoken={s['csrf']}"
            if scenario == "floor":
                lines.append(f"GET /bench/floor/ {cookie}")
            elif scenario == "lesson":
                lines.append(f"GET /lessons/{data['lesson']}/ {cookie}")
            elif scenario == "result":
                lines.append(f"GET /attempts/{s['result']}/result/ {cookie}")
            else:
                for number, answer in enumerate(s["answers"], start=1):
                    path = f"/attempts/{s['attempt']}/questions/{number}/"
                    if scenario == "question":
                        lines.append(f"GET {path} {cookie}")
                        continue
                    # The first choice, then the second: each post changes the stored
                    # answer, so the step measures writes (the same answer writes nothing).
                    for picks in (answer, {name: "2" for name in answer}):
                        body = {**picks, "go": "next", "csrfmiddlewaretoken": s["csrf"]}
                        lines.append(f"POST {path} {cookie} {urllib.parse.urlencode(body)}")
    requests = Path(f"{prefix}-requests.txt")
    requests.write_text("\n".join(lines) + "\n")
    seconds = args.saturation_seconds
    print(f"-- wrk {scenario}: {args.wrk_connections} connections for {seconds} s")
    done = run(
        [shutil.which("wrk"), "-t", args.wrk_threads, "-c", args.wrk_connections]
        + ["-d", f"{seconds}s", "--timeout", "10s", "-s", "bench/wrk.lua", host],
        {**os.environ, "BENCH_WRK_REQUESTS": str(requests)},
        log,
        seconds + 60,
    )
    row = json.loads(re.search(r"^WRKJSON (.*)$", done.stdout, re.M)[1])
    return {"step": NAMES[scenario], **row}


def table(rows: list, ceiling: float | None = None, floor: float | None = None) -> list:
    """Markdown rows; with a ceiling and a floor, each step's throughput over both."""
    ratios = bool(ceiling and floor)
    lines = [HEADER + (" / ceiling | / floor |" if ratios else "")]
    lines.append("| --- |" + " ---: |" * (6 + 2 * ratios))
    for r in rows:
        ratio = f" {r['rps'] / ceiling:.3f} | {r['rps'] / floor:.2f} |" if ratios else ""
        lines.append(
            f"| {r['step']} | {r['requests']} | {r['failures']} | {r['rps']:.1f} | "
            f"{r['p50']} | {r['p95']} | {r['p99']} |{ratio}"
        )
    return lines


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    found = re.search(
        r"^model name\s*:\s*(.*)$", cpuinfo.read_text() if cpuinfo.exists() else "", re.M
    )
    cpu = found[1] if found else "unknown CPU"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def environment(args, config: Path) -> tuple[dict, str]:
    """The server's and the load generators' environment, and the database's name."""
    database_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if database_url.startswith(("postgres", "pgsql", "psql")) else "SQLite"
    if not database_url:
        for leftover in RESULTS.glob("bench.sqlite3*"):
            leftover.unlink()
        database_url = f"sqlite:///{RESULTS / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "HTTPS": "0",  # plain HTTP on 127.0.0.1; everything else as in production
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        "BENCH_CONFIG": str(config),
        "BENCH_THINK": args.think,
        "BENCH_NO_CACHE": "0" if args.cache else "1",
    }
    return env, database


def measure(host: str, data: dict, args, common: dict, results: Path) -> list:
    """The scenario: saturation step by step (Locust, then wrk), then the whole path."""
    users, seconds = args.saturation_users, args.saturation_seconds
    report = []
    if args.saturation:
        rows = [
            locust(s, users, users, seconds, prefix=f"{results}-{s}", **common)[0]
            for s in SATURATION
        ]
        report += ["", f"Saturation with Locust: {users} users back to back, {seconds} s a step."]
        report += [""] + table(rows, ceiling=rows[0]["rps"], floor=rows[1]["rps"])
    if args.saturation and args.wrk and shutil.which("wrk"):
        rows = [
            wrk(s, host=host, data=data, args=args, prefix=f"{results}-wrk-{s}", log=common["log"])
            for s in WRK_SATURATION
        ]
        report += ["", f"Saturation with wrk: {args.wrk_connections} keep-alive connections, "]
        report[-1] += f"{args.wrk_threads} threads, {seconds} s per step."
        report += [""] + table(rows, ceiling=rows[0]["rps"], floor=rows[1]["rps"])
    elif args.saturation and args.wrk:
        print("   wrk not found: no saturation run with wrk (apt-get install wrk)")
    if not args.path_seconds:
        return report
    students, rate, think = args.students, args.spawn_rate, args.think.replace(",", "–")
    rows = locust("path", students, rate, args.path_seconds, prefix=f"{results}-path", **common)
    report += ["", f"Whole path: {students} students arriving {rate:g} per second, think time "]
    report[-1] += f"{think} s, {args.path_seconds} s."
    return report + [""] + table(rows) + failures(f"{results}-path")


def failures(prefix: str) -> list:
    """What failed in a Locust run, from its failures CSV: each kind with its count."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as found:
        rows = sorted(csv.DictReader(found), key=lambda r: -int(r["Occurrences"]))
    if not rows:
        return ["", "No failures."]
    lines = ["", "Failures:", ""]
    lines += [f"- {r['Occurrences']} × {r['Name']}: {r['Error'][:200]}" for r in rows[:10]]
    return lines


def main() -> int:
    args = arguments()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log, config = RESULTS / f"{stamp}.log", RESULTS / f"{stamp}-data.json"
    env, database = environment(args, config)
    load_before = os.getloadavg()[0]
    print(f"== bench on {database}, {args.workers} gunicorn workers, {args.students} students")
    print(f"   log: {log}")
    run([BIN / "python", "manage.py", "migrate", "--noinput", "-v", "0"], env, log, 300)
    run([BIN / "python", "-m", "bench.setup_data", config, args.students], env, log, 600)
    data = json.loads(config.read_text())
    kind = f"gthread × {args.threads} threads" if args.threads else "sync"
    if args.gunicorn_max_requests is not None:
        kind += f", max_requests {args.gunicorn_max_requests}"
    if not args.cache:
        kind += ", no cache"
    report = [
        f"### {database}: {args.workers} gunicorn {kind} workers, {machine()}",
        f"{args.students} students, {data['questions']} questions; "
        f"load average before {load_before:.2f}.",
    ]
    with gunicorn(env, args, log) as host:
        common = {"host": host, "env": env, "args": args, "log": log}
        report += measure(host, data, args, common, RESULTS / stamp)
    report += ["", f"Load average after: {os.getloadavg()[0]:.2f}."]
    text = "\n".join(report)
    (RESULTS / f"{stamp}-report.md").write_text(text + "\n")
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
