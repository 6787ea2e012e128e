"""`make bench`: the student path under gunicorn, loaded by Locust, against a ceiling.

1. a database: PostgreSQL when DATABASE_URL is set, otherwise a fresh SQLite file in
   bench/results/; migrated, with the lesson and N students (bench/setup_data.py);
2. gunicorn on 127.0.0.1 and a free port, production settings (DEBUG off) with plain HTTP;
3. saturation runs, one step at a time back to back: the trivial view (the ceiling), the
   lesson page, the question page, the answer save, the result page;
4. the whole path by N students with think time;
5. a table: requests/s, p50/p95/p99 per step, and each step's throughput over the
   ceiling's. Every Locust run is bounded in time and request count; gunicorn is stopped
   at the end whatever happens. Only 127.0.0.1 is ever contacted.
"""

import argparse
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
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
SATURATION = ["ceiling", "lesson", "question", "answer", "result"]
WRK_SATURATION = ["ceiling", "question", "answer"]
SATURATION_HEADER = (
    "| step | requests | failures | req/s | p50 ms | p95 ms | p99 ms | throughput / ceiling |"
)
WRK_NAMES = {
    "ceiling": "ceiling (trivial view)",
    "question": "question page",
    "answer": "answer save",
}
# wrk's Lua: each request a logged-in student's question page or answer in turn (every
# thread its own offset); at the end, one JSON line of counts and exact percentiles.
WRK_SCRIPT = """
local scenario = %(scenario)s
local students = %(students)s
local counter = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
request = function()
  counter = counter + 1
  if scenario == "ceiling" then
    return wrk.format("GET", "/bench/ceiling/")
  end
  local k = counter * 16 + (offset or 0)
  local s = students[(k %% #students) + 1]
  local n = (math.floor(k / #students) %% #s.answers) + 1
  local path = "/attempts/" .. s.attempt .. "/questions/" .. n .. "/"
  if scenario == "question" then
    return wrk.format("GET", path, {["Cookie"] = s.cookie})
  end
  return wrk.format("POST", path, {
    ["Cookie"] = s.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, s.answers[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"failures\\": %%d, " ..
    "\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n",
    summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""
LOGIN_STEP = "02 log in (PBKDF2)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values: list, p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(round(p / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(samples: list, seconds: float) -> dict:
    by_step: dict = {}
    for name, ms, failed, *_at in samples:
        step = by_step.setdefault(name, {"times": [], "failures": 0})
        step["times"].append(ms)
        step["failures"] += bool(failed)
    rows = {}
    for name, step in sorted(by_step.items()):
        times = sorted(step["times"])
        rows[name] = {
            "requests": len(times),
            "failures": step["failures"],
            "rps": len(times) / seconds if seconds else 0.0,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }
    return rows


def together(samples: list, seconds: float, excluded: str | None = None) -> dict:
    """One row for every step but `excluded`, taken together."""
    kept = [("all", ms, failed) for name, ms, failed, *_at in samples if name != excluded]
    return summarise(kept, seconds)["all"] if kept else {}


def lua(value) -> str:
    """A Lua literal of strings, integers, lists and string-keyed tables."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))  # ASCII here: cookies, paths, url-encoded bodies


def run_wrk(wrk: str, scenario: str, host: str, data: dict, args, script: Path, log) -> dict:
    """One step saturated by wrk (keep-alive, a few threads in C): a load generator that
    needs far less CPU per request than Locust, on the same two cores."""
    students = [
        {
            "attempt": s["attempt"],
            "cookie": f"sessionid={s['session']}; csrftoken={s['csrf']}",
            "answers": [
                urllib.parse.urlencode({**a, "go": "next", "csrfmiddlewaretoken": s["csrf"]})
                for a in s["answers"]
            ],
        }
        for s in data["students"]
    ]
    script.write_text(WRK_SCRIPT % {"scenario": lua(scenario), "students": lua(students)})
    seconds = args.saturation_seconds
    print(f"-- wrk {scenario}: {args.wrk_connections} connections for {seconds} s")
    cmd = [
        wrk,
        "-t",
        str(args.wrk_threads),
        "-c",
        str(args.wrk_connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        host,
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 60)
    with open(log, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    found = re.search(r"^WRKJSON (.*)$", done.stdout, re.M)
    if done.returncode or not found:
        raise SystemExit(f"wrk failed; see {log}")
    row = json.loads(found.group(1))
    row["rps"] = row["requests"] / row["seconds"]
    return {WRK_NAMES[scenario]: row}


def run(cmd, env, log, timeout):
    with open(log, "a") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n")
        out.flush()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=out, timeout=timeout, check=True)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "load_average": os.getloadavg(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=int(os.environ.get("BENCH_STUDENTS", 100)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="gunicorn gthread workers with this many threads each (keep-alive); 0: sync",
    )
    parser.add_argument("--saturation-users", type=int, default=50)
    parser.add_argument("--saturation-seconds", type=int, default=20)
    parser.add_argument("--path-seconds", type=int, default=240)
    parser.add_argument("--spawn-rate", type=float, default=2, help="students arriving per second")
    parser.add_argument("--think", default="1,3", help="think time between steps, min,max s")
    parser.add_argument(
        "--wrk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also saturate the ceiling, question page and answer save with wrk, when installed",
    )
    parser.add_argument("--wrk-connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=300_000, help="per Locust run")
    args = parser.parse_args()

    load_before = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log = RESULTS / f"{stamp}.log"
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url:
        database = (
            "PostgreSQL"
            if database_url.startswith(("postgres", "pgsql"))
            else database_url.split(":")[0]
        )
    else:
        sqlite = RESULTS / "bench.sqlite3"
        for leftover in RESULTS.glob("bench.sqlite3*"):
            leftover.unlink()
        database_url = f"sqlite:///{sqlite}"
        database = "SQLite"
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
    }
    print(f"== bench on {database}, {args.workers} gunicorn workers, {args.students} students")
    print(f"   log: {log}")
    run([VENV_BIN / "python", "manage.py", "migrate", "--noinput", "-v", "0"], env, log, 300)
    config = RESULTS / f"{stamp}-data.json"
    run([VENV_BIN / "python", "-m", "bench.setup_data", config, str(args.students)], env, log, 600)
    data = json.loads(config.read_text())
    print(f"   quiz of {data['questions']} questions; lesson {data['lesson']}")

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server_log = open(log, "a")  # noqa: SIM115 - open for the server's whole life
    server = subprocess.Popen(
        [
            VENV_BIN / "gunicorn",
            "config.wsgi:application",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            *(
                ["--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "5"]
                if args.threads
                else []
            ),
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=server_log,
        start_new_session=True,
    )
    results: dict = {}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{host}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not become healthy; see {log}")
            time.sleep(0.3)

        def locust(scenario, users, spawn_rate, seconds):
            samples = RESULTS / f"{stamp}-{scenario}.json"
            locust_env = {
                **env,
                "BENCH_CONFIG": str(config),
                "BENCH_SCENARIO": scenario,
                "BENCH_SAMPLES": str(samples),
                "BENCH_MAX_REQUESTS": str(args.max_requests),
                "BENCH_THINK": args.think,
            }
            print(f"-- {scenario}: {users} users for {seconds} s")
            run(
                [
                    VENV_BIN / "locust",
                    "-f",
                    "bench/locustfile.py",
                    "--headless",
                    "--only-summary",
                    "-u",
                    str(users),
                    "-r",
                    str(spawn_rate),
                    "-t",
                    f"{seconds}s",
                    "--stop-timeout",
                    "30",
                    "--host",
                    host,
                    "--exit-code-on-error",
                    "0",
                    "--loglevel",
                    "WARNING",
                ],
                locust_env,
                log,
                seconds + 120,
            )
            raw = json.loads(samples.read_text())
            return raw

        for scenario in SATURATION:
            raw = locust(
                scenario, args.saturation_users, args.saturation_users, args.saturation_seconds
            )
            results[scenario] = summarise(raw["samples"], raw["seconds"])
        wrk = shutil.which("wrk") if args.wrk else None
        if wrk:
            for scenario in WRK_SATURATION:
                results[f"wrk-{scenario}"] = run_wrk(
                    wrk, scenario, host, data, args, RESULTS / f"{stamp}-wrk-{scenario}.lua", log
                )
        elif args.wrk:
            print("   wrk not found: no saturation run with wrk (apt-get install wrk)")
        raw = locust("path", args.students, args.spawn_rate, args.path_seconds)
        results["path"] = summarise(raw["samples"], raw["seconds"])
        results["path_all_but_login"] = together(raw["samples"], raw["seconds"], LOGIN_STEP)
        results["path_all"] = together(raw["samples"], raw["seconds"])
        # Once every student is in (logins done), the steady state of a class at work.
        steady = [s for s in raw["samples"] if s[3] >= raw["spawned"]]
        results["path_steady_but_login"] = together(
            steady, raw["seconds"] - raw["spawned"], LOGIN_STEP
        )
        results["spawned_after"] = raw["spawned"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()

    report = {
        "when": stamp,
        "database": database,
        "workers": args.workers,
        "threads": args.threads,
        "students": args.students,
        "questions": data["questions"],
        "think": args.think,
        "saturation_users": args.saturation_users,
        "saturation_seconds": args.saturation_seconds,
        "wrk_connections": args.wrk_connections,
        "wrk_threads": args.wrk_threads,
        "path_seconds": args.path_seconds,
        "spawn_rate": args.spawn_rate,
        "load_before": load_before,
        "machine": machine(),
        "results": results,
    }
    (RESULTS / f"{stamp}-report.json").write_text(json.dumps(report, indent=2))
    print(render(report))
    return 0


def render(report: dict) -> str:
    r = report["results"]
    ceiling = next(iter(r["ceiling"].values()))["rps"]
    m = report["machine"]
    lines = [
        "",
        f"### {report['database']} — {report['workers']} gunicorn "
        + (
            f"gthread workers × {report['threads']} threads, "
            if report.get("threads")
            else "sync workers, "
        )
        + f"{m['cores']} cores ({m['cpu']}), Python {m['python']}",
        "",
        f"Saturation: {report['saturation_users']} users back to back, "
        f"{report['saturation_seconds']} s per step, no think time.",
        "",
        SATURATION_HEADER,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario in SATURATION:
        for name, row in r[scenario].items():
            lines.append(
                f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.0f} | "
                f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | "
                f"{row['rps'] / ceiling:.2f} |"
            )
    if "wrk-ceiling" in r:
        wrk_ceiling = r["wrk-ceiling"][WRK_NAMES["ceiling"]]["rps"]
        lines += [
            "",
            f"Saturation with wrk: {report.get('wrk_connections', 50)} keep-alive connections, "
            f"{report.get('wrk_threads', 2)} threads, {report['saturation_seconds']} s per step, "
            "in the same run and setup.",
            "",
            SATURATION_HEADER,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for scenario in WRK_SATURATION:
            for name, row in r[f"wrk-{scenario}"].items():
                lines.append(
                    f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.0f} | "
                    f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | "
                    f"{row['rps'] / wrk_ceiling:.2f} |"
                )
    lines += [
        "",
        f"Whole path: {report['students']} students, {report['questions']} questions, think time "
        f"{report['think'].replace(',', '–')} s between steps, arriving "
        f"{report['spawn_rate']:g} per second, {report['path_seconds']} s.",
        "",
        "| step | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = list(r["path"].items()) + [
        ("**all steps but log in**", r["path_all_but_login"]),
        ("**all steps**", r["path_all"]),
        (
            f"**all but log in, once all students are in (after {r['spawned_after']:.0f} s)**",
            r["path_steady_but_login"],
        ),
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
            f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
