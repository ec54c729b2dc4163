"""Load test of the online contests: N participants each start an attempt and save answers twice; then, as at a
weekly deadline, all of them submit at once.

Served by gunicorn (2 workers, production settings) on the PostgreSQL and Redis of this machine; a minimal Django
view is measured in the same run with the same concurrency. Prints the sustained submissions per second, p50/p95/p99
latency of start and submit, the errors, the ratio to the minimal view (goal: 0.25 or more) and whether p99 is under
250 ms; then checks in the database that every submitted attempt is stored and scored exactly once. Finally it
times the ranking of 1,000,000 counted entries (first page and one rank lookup, goal: under 5 s).

    .venv/bin/python bench/contests_load.py [--participants 400] [--concurrency 8] [--skip-million] [--keep]
    .venv/bin/python bench/contests_load.py --quick      # 60 participants, 100,000 ranking rows

It creates (and afterwards drops, unless --keep) the database `tuyengiao_bench_contests`.
"""

import argparse
import http.client
import json
import os
import platform
import queue
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import HOST, PYTHON, ROOT, child, manage, psql  # bench/common.py (the script's folder is on the path)

DATABASE = "tuyengiao_bench_contests"
SLUG = "tim-hieu-nghi-quyet-27-nq-tw"  # the demo contest (tuyengiao/contests/demo.py); its round 1 is open
UNIT = "HG"
PHONE_PREFIX = "03"  # the participants of the load phase (the demo's own entries use 09…)
MILLION_PREFIX = "07"  # the participants of the ranking rows
APP_PORT, MINIMAL_PORT = 8093, 8094
REQUEST_TIMEOUT = 30


def environment(static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": HOST,
        "SECURE_HTTPS": "0",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://{HOST}:6379/13",
        "CACHE_KEY_PREFIX": "bench-contests",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "CONTESTS_START_RATE": "100000/m",
    }


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def gunicorn(env, app: str, port: int, probe: str, log) -> subprocess.Popen:
    if not port_free(port):
        raise RuntimeError(f"port {port} is already in use")
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", app],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "1"},
        stdout=subprocess.DEVNULL,  # the access log
        stderr=log,
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", probe)
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))]


# ---------------------------------------------------------------------------------------------------------------
# Load


def get_rate(port: int, path: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """GET requests per second over keep-alive connections (the same loop as bench/news_rps.py)."""
    stop = time.monotonic() + seconds
    counts = [0] * concurrency
    errors = [0] * concurrency

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection = http.client.HTTPConnection(HOST, port, timeout=10)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.error_samples: dict[tuple, str] = {}
        self.submitted: dict[int, int] = {}  # attempt id → score returned by a 200 submit
        self.started: dict[int, int] = {}  # participant index → attempt id (201 start)

    def ok(self, kind: str, ms: float) -> None:
        with self.lock:
            self.latency[kind].append(ms)

    def error(self, kind: str, status, body: str = "") -> None:
        with self.lock:
            self.errors[(kind, status)] += 1
            self.error_samples.setdefault((kind, status), body[:300])


def participants_run(
    port: int, count: int, concurrency: int, deadline: float, seed: int
) -> tuple[Recorder, float, float]:
    """(recorder, seconds of starting and saving, seconds of the submissions)."""
    recorder = Recorder()
    ready: list[tuple] = []  # (attempt id, auth header, answers, prediction) of attempts saved and due
    work: queue.Queue = queue.Queue()
    for index in range(count):
        work.put(index)

    def call(connection, kind, method, path, body, headers):
        """(connection, status, parsed body or None); reconnects after a transport error."""
        payload = json.dumps(body).encode()
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **headers})
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            recorder.error(kind, f"connection: {type(exc).__name__}", str(exc))
            connection.close()
            return http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT), None, None
        elapsed = (time.perf_counter() - started) * 1000
        if 200 <= response.status < 300:
            recorder.ok(kind, elapsed)
            try:
                return connection, response.status, json.loads(raw)
            except ValueError:
                recorder.error(kind, f"{response.status} (not JSON)", raw.decode(errors="replace"))
                return connection, None, None
        recorder.error(kind, response.status, raw.decode(errors="replace"))
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        return connection, response.status, None

    def worker(worker_index: int) -> None:
        rng = random.Random(seed * 1000 + worker_index)
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline:
            try:
                index = work.get_nowait()
            except queue.Empty:
                return
            registration = {
                "full_name": f"Người Thi Thử {index}",
                "phone": f"{PHONE_PREFIX}{index:08d}",
                "unit": UNIT,
                "birth_year": 1960 + index % 45,
                "device": f"bench-{index}",
            }
            connection, status, start = call(
                connection, "start", "POST", f"/api/v1/contests/{SLUG}/attempts", registration, {}
            )
            if start is None:
                continue
            if status != 201:
                recorder.error("start", f"{status} (expected 201)", json.dumps(start)[:300])
            attempt_id = start["attempt_id"]
            with recorder.lock:
                recorder.started[index] = attempt_id
            auth = {"Authorization": f"Bearer {start['token']}"}
            answers = {
                str(question["id"]): [rng.choice(question["options"])["id"]]
                for question in start["questions"]
                if question["options"]
            }
            keys = list(answers)
            half = len(keys) // 2
            path = f"/api/v1/attempts/{attempt_id}"
            failed = False
            for part in (keys[:half], keys[half:]):
                connection, status, saved = call(
                    connection, "save", "PUT", f"{path}/answers", {"answers": {k: answers[k] for k in part}}, auth
                )
                if saved is None:
                    failed = True
                    break
            if failed:
                continue
            with recorder.lock:
                ready.append((attempt_id, auth, answers, rng.randint(100, 100_000)))

    def submitter(worker_index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while True:
            with recorder.lock:
                if not ready:
                    return
                attempt_id, auth, answers, prediction = ready.pop()
            connection, status, result = call(
                connection,
                "submit",
                "POST",
                f"/api/v1/attempts/{attempt_id}/submit",
                {"answers": answers, "prediction": prediction},
                auth,
            )
            if result is not None and status == 200:
                with recorder.lock:
                    recorder.submitted[attempt_id] = result.get("score")

    # Phase 1: everyone starts and saves twice. Phase 2, the deadline rush: everyone submits at once.
    walls = []
    for target in (worker, submitter):
        threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(concurrency)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + REQUEST_TIMEOUT + 5))
        walls.append(time.monotonic() - started)
    return recorder, walls[0], walls[1]


def integrity_check(recorder: Recorder, participants: int) -> tuple[bool, list[str]]:
    """Every 200 submit is stored as submitted with its score, once; each participant has one attempt."""
    lines = []
    like = f"{PHONE_PREFIX}%"
    contest = f"(SELECT id FROM contests_contest WHERE slug = '{SLUG}')"
    rows = psql(
        "SELECT a.id, a.status, coalesce(a.score::text, ''), a.counts, a.participant_id "
        "FROM contests_attempt a JOIN contests_participant p ON p.id = a.participant_id "
        f"WHERE p.contest_id = {contest} AND p.phone LIKE '{like}'",
        DATABASE,
    ).splitlines()
    stored = {}
    per_person = Counter()
    for row in rows:
        pk, status, score, counts, person = row.split("|")
        stored[int(pk)] = (status, int(score) if score else None, counts == "t")
        per_person[int(person)] += 1
    people = int(
        psql(
            f"SELECT count(*) FROM contests_participant WHERE contest_id = {contest} AND phone LIKE '{like}'", DATABASE
        )
    )
    submitted = [pk for pk, (status, score, _c) in stored.items() if status == "submitted"]
    scored = [pk for pk, (status, score, _c) in stored.items() if score is not None]
    missing = [pk for pk in recorder.submitted if pk not in stored or stored[pk][0] != "submitted"]
    wrong_score = [pk for pk, score in recorder.submitted.items() if pk in stored and stored[pk][1] != score]
    not_counted = [pk for pk in recorder.submitted if pk in stored and not stored[pk][2]]
    extra = [pk for pk in submitted if pk not in recorder.submitted]
    several = [person for person, n in per_person.items() if n != 1]
    checks = [
        (
            len(submitted) == len(recorder.submitted),
            f"submitted attempts in the database {len(submitted)} == 200 submits {len(recorder.submitted)}",
        ),
        (len(scored) == len(submitted), f"scored attempts {len(scored)} == submitted attempts {len(submitted)}"),
        (not missing, f"200 submits not stored as submitted: {len(missing)} {missing[:5]}"),
        (not wrong_score, f"stored score differs from the score returned: {len(wrong_score)} {wrong_score[:5]}"),
        (not not_counted, f"submitted attempts not marked as the one that counts: {len(not_counted)}"),
        (not extra, f"submitted attempts without a 200 submit: {len(extra)} {extra[:5]}"),
        (not several, f"participants with other than exactly one attempt: {len(several)}"),
        (
            people == len(recorder.started) == len(stored),
            f"participants {people} == 201 starts {len(recorder.started)} == attempts {len(stored)}"
            f" (of {participants} simulated)",
        ),
    ]
    ok = all(passed for passed, _line in checks)
    for passed, line in checks:
        lines.append(f"  [{'ok' if passed else 'FAILED'}] {line}")
    return ok, lines


# ---------------------------------------------------------------------------------------------------------------
# Ranking of a million entries

RANKING_TIMER = r"""
import json, sys, time
from django.db import connection
from tuyengiao.contests.models import Attempt, Round
from tuyengiao.contests.selectors import ranking_position, round_ranking

slug, target, explain = sys.argv[-3], int(sys.argv[-2]), sys.argv[-1] == "1"
round_ = Round.objects.select_related("contest").get(contest__slug=slug, number=1)

def timed(function, repeat=3):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, value

def first_page():
    rows = list(round_ranking(round_)[:50])
    return [
        (a.score, a.time_ms, a.participant.full_name, a.participant.unit.name if a.participant.unit_id else "")
        for a in rows
    ]

def rank_lookup():
    attempt = Attempt.objects.select_related("round__contest").get(pk=target)
    return ranking_position(attempt)

out = {}
out["first_page_ms"], page = timed(first_page)
out["first_row"] = page[0][:2] if page else None
out["rank_lookup_ms"], out["rank"] = timed(rank_lookup)
out["count_ms"], out["count"] = timed(lambda: round_ranking(round_).count())
if explain:
    out["plan_first_page"] = round_ranking(round_)[:50].explain(analyze=True)
    attempt = Attempt.objects.select_related("round__contest").get(pk=target)
    connection.queries_log.clear()
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        ranking_position(attempt)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + queries.captured_queries[-1]["sql"])
        out["plan_rank_lookup"] = "\n".join(row[0] for row in cursor.fetchall())
print("RESULT " + json.dumps(out))
"""


def million_insert(rows: int) -> float:
    """`rows` participants (phones 07…) of the demo contest, each with one scored, counted attempt in round 1."""
    contest = f"(SELECT id FROM contests_contest WHERE slug = '{SLUG}')"
    round_ = f"(SELECT id FROM contests_round WHERE contest_id = {contest} AND number = 1)"
    sample = f"(SELECT %s FROM contests_attempt WHERE round_id = {round_} AND status = 'submitted' ORDER BY id LIMIT 1)"
    sql = f"""
SET synchronous_commit = off;
WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM orgs_unit),
people AS (
  INSERT INTO contests_participant (contest_id, user_id, full_name, birth_year, phone, cccd, unit_id, occupation,
                                   address, created_at)
  SELECT {contest}, NULL, 'Thí sinh ' || g, 1960 + g % 45, '{MILLION_PREFIX}' || lpad(g::text, 8, '0'), '',
         units.ids[1 + g % array_length(units.ids, 1)], '', '', now() - interval '5 days' + g * interval '300 ms'
  FROM generate_series(1, {rows}) AS g, units
  RETURNING id, created_at
)
INSERT INTO contests_attempt (round_id, participant_id, token_hash, paper, answers, prediction, started_at,
                              expires_at, submitted_at, status, score, max_score, time_ms, correct_questions, counts,
                              disqualified_reason, ip, device)
SELECT {round_}, people.id, md5('a' || people.id) || md5('b' || people.id),
       coalesce({sample % "paper"}, '[]'::jsonb), coalesce({sample % "answers"}, '{{}}'::jsonb),
       (people.id * 7919) % 100000, people.created_at, people.created_at + interval '900 s',
       people.created_at + ((people.id * 104729) % 840000 + 60000) * interval '1 ms', 'submitted',
       (hashtext(people.id::text) & 2147483647) % 21, 20, (people.id * 104729) % 840000 + 60000,
       coalesce({sample % "correct_questions"}, '[]'::jsonb), true, '', '127.0.0.1', ''
FROM people;
"""
    started = time.monotonic()
    psql(sql, DATABASE, timeout=900)
    took = time.monotonic() - started
    psql("ANALYZE contests_participant; ANALYZE contests_attempt;", DATABASE, timeout=600)
    return took


def ranking_time(env, explain: bool) -> dict:
    round_ = (
        "(SELECT r.id FROM contests_round r JOIN contests_contest c ON c.id = r.contest_id"
        f" WHERE c.slug = '{SLUG}' AND r.number = 1)"
    )
    # the worst case: the last place (every other entry is ahead of it)
    target = int(
        psql(
            f"SELECT id FROM contests_attempt WHERE round_id = {round_} AND counts "
            "ORDER BY score, time_ms DESC, submitted_at DESC, id DESC LIMIT 1",
            DATABASE,
        )
    )
    return child(env, RANKING_TIMER, SLUG, str(target), "1" if explain else "0", timeout=600)


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--minimal-seconds", type=float, default=5.0)
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop starting participants after this")
    parser.add_argument("--ranking-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-million", action="store_true", help="skip the ranking of 1,000,000 entries")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the ranking")
    parser.add_argument("--quick", action="store_true", help="smoke run: 60 participants, 100,000 ranking rows")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    parser.add_argument("--seed", type=int, default=27)
    options = parser.parse_args()
    if options.quick:
        options.participants = min(options.participants, 60)
        options.ranking_rows = min(options.ranking_rows, 100_000)
        options.minimal_seconds = min(options.minimal_seconds, 3.0)
    if not 1 <= options.participants <= 20_000:
        parser.error("--participants: 1 to 20,000")
    if not 1 <= options.concurrency <= 64:
        parser.error("--concurrency: 1 to 64")
    if not 1_000 <= options.ranking_rows <= 2_000_000:
        parser.error("--ranking-rows: 1,000 to 2,000,000")
    options.max_seconds = min(max(options.max_seconds, 10.0), 1800.0)

    static_root = tempfile.mkdtemp(prefix="tuyengiao-bench-static-")
    env = environment(static_root)
    log_path = Path(tempfile.mkstemp(prefix="tuyengiao-bench-contests-", suffix=".log")[1])
    log = log_path.open("w")
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    processes: list[subprocess.Popen] = []
    report: list[str] = []
    say = report.append
    failed = False
    try:
        setup_started = time.monotonic()
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--without-documents")
        contest = f"(SELECT id FROM contests_contest WHERE slug = '{SLUG}')"
        psql(
            "UPDATE contests_round SET attempts_allowed = 1, time_limit = 900, question_count = 20, "
            "opens_at = least(opens_at, now() - interval '1 day'), "
            "closes_at = greatest(closes_at, now() + interval '1 day') "
            f"WHERE contest_id = {contest} AND number = 1; "
            f"UPDATE contests_contest SET published = true WHERE id = {contest}",
            DATABASE,
        )
        bank = psql(f"SELECT count(*) FROM contests_question WHERE contest_id = {contest}", DATABASE)
        round_row = psql(
            "SELECT question_count, time_limit, attempts_allowed, quotas::text, opens_at < now() AND closes_at > now() "
            f"FROM contests_round WHERE contest_id = {contest} AND number = 1",
            DATABASE,
        )
        demo_entries = psql(
            "SELECT count(*) FROM contests_attempt a JOIN contests_round r ON r.id = a.round_id "
            f"WHERE r.contest_id = {contest}",
            DATABASE,
        )
        say(
            f"setup: {time.monotonic() - setup_started:.0f} s; contest {SLUG}: {bank} questions, round 1 "
            f"(question_count|time_limit|attempts_allowed|quotas|open) = {round_row}; {demo_entries} demo entries"
        )

        processes.append(gunicorn(env, "config.wsgi", APP_PORT, "/api/v1/contests", log))
        processes.append(gunicorn(env, "bench.minimal_wsgi", MINIMAL_PORT, "/minimal/", log))
        get_rate(MINIMAL_PORT, "/minimal/", 1.0, options.concurrency)  # warm up
        get_rate(APP_PORT, f"/api/v1/contests/{SLUG}", 1.0, options.concurrency)
        minimal_rate, minimal_errors = get_rate(MINIMAL_PORT, "/minimal/", options.minimal_seconds, options.concurrency)

        deadline = time.monotonic() + options.max_seconds
        recorder, answering, rush = participants_run(
            APP_PORT, options.participants, options.concurrency, deadline, options.seed
        )
        wall = answering + rush
        submits = len(recorder.latency["submit"])
        submit_rate = submits / rush
        requests = sum(len(values) for values in recorder.latency.values())

        say(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        say(
            "gunicorn 2 workers x 1 thread, production settings, PostgreSQL + Redis, "
            f"{options.concurrency} keep-alive clients"
        )
        say(f"minimal view: {minimal_rate:8.1f} req/s over {options.minimal_seconds:.0f} s (non-200: {minimal_errors})")
        say(
            f"participants: {options.participants} simulated, {len(recorder.started)} started, {submits} submitted "
            f"in {wall:.1f} s ({requests} successful requests, {requests / wall:.1f} req/s)"
        )
        say(
            f"starting and saving: {len(recorder.started)} participants in {answering:.1f} s "
            f"({len(recorder.started) / answering:.1f} participants/s, each a start and two saves)"
        )
        say(f"sustained submissions (the deadline rush, all at once): {submit_rate:8.2f} /s over {rush:.1f} s")
        ratio = submit_rate / minimal_rate if minimal_rate else 0.0
        say(
            f"ratio submit rate / minimal view rate: {ratio:.3f}  "
            f"(goal >= 0.25: {'met' if ratio >= 0.25 else 'NOT met'})"
        )
        say(f"  for comparison, all contest API requests / minimal view rate: {requests / wall / minimal_rate:.3f}")
        for kind in ("start", "save", "submit"):
            values = recorder.latency[kind]
            say(
                f"latency {kind:6} n={len(values):5}  p50 {percentile(values, 0.50):7.1f} ms  p95 "
                f"{percentile(values, 0.95):7.1f} ms  p99 {percentile(values, 0.99):7.1f} ms  "
                f"max {max(values, default=float('nan')):7.1f} ms"
            )
        p99 = max(percentile(recorder.latency["start"], 0.99), percentile(recorder.latency["submit"], 0.99))
        say(f"p99 of start and submit under 250 ms: {'yes' if p99 < 250 else 'NO'} ({p99:.1f} ms)")
        if recorder.errors:
            say("errors:")
            for (kind, status), count in sorted(recorder.errors.items(), key=str):
                say(f"  {kind:6} {status}: {count}   e.g. {recorder.error_samples[(kind, status)]}")
        else:
            say("errors: none")
        ok, lines = integrity_check(recorder, options.participants)
        say(f"stored and scored exactly once: {'OK' if ok else 'FAILED'}")
        report.extend(lines)
        failed = failed or not ok or bool(recorder.errors)

        if not options.skip_million:
            rows = options.ranking_rows
            took = million_insert(rows)
            say(f"ranking: inserted {rows:,} participants + scored, counted attempts in {took:.1f} s (then ANALYZE)")
            result = ranking_time(env, options.explain)
            for key, label in (
                ("first_page_ms", "round_ranking(round)[:50]"),
                ("rank_lookup_ms", "ranking_position(last place)"),
                ("count_ms", "round_ranking(round).count()"),
            ):
                times = result[key]
                verdict = "under 5 s" if max(times) < 5000 else "OVER 5 s"
                say(
                    f"  {label:30} first {times[0]:8.1f} ms, "
                    f"then {', '.join(f'{t:.1f}' for t in times[1:])} ms  ({verdict})"
                )
            say(
                f"  counted entries {result['count']:,}; the last place's rank {result['rank']:,}; "
                f"first row (score, time_ms) {result['first_row']}"
            )
            if options.explain:
                say("  plan of the first page:\n" + result["plan_first_page"])
                say("  plan of the rank lookup:\n" + result["plan_rank_lookup"])
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if options.keep:
            report.append(f"database {DATABASE} kept")
        else:
            psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        print("\n".join(report))
        server_log = log_path.read_text(errors="replace").strip()
        problems = [
            line for line in server_log.splitlines() if "Traceback" in line or "ERROR" in line or "Error" in line
        ]
        print(f"server log {log_path}: {len(server_log.splitlines())} lines, {len(problems)} with errors")
        for line in problems[:20]:
            print("  " + line[:300])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
