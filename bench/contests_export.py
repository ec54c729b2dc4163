"""The XLSX export of all entries of a contest, on PostgreSQL: rows per second and memory, beside reading the same
rows with a plain cursor.

It creates (and afterwards drops, unless --keep) the database `tuyengiao_bench_contests_export`, migrates it,
makes a contest with one closed round, and inserts --rows participants each with one scored entry in one
statement (INSERT … SELECT generate_series, as bench/contests_load.py does). Each measurement then runs in a
fresh Python process, so that its peak resident memory (getrusage maxrss) is its own:

- plain cursor: the same rows (entry, person, unit) read in the ranking's order with Django's ordinary cursor,
  which holds the whole result in memory;
- server-side cursor: the same, fetched 2,000 at a time;
- export: tuyengiao.contests.exports.entries_xlsx_write, the function the background task runs, writing to a
  temporary file; its memory is sampled after a tenth of the rows and at the end, to show it does not grow.

    .venv/bin/python bench/contests_export.py [--rows 1000000] [--keep]
"""

import argparse
import os
import platform
import tempfile
import time

from common import HOST, child, manage, psql  # bench/common.py (the script's folder is on the path)

DATABASE = "tuyengiao_bench_contests_export"
SLUG = "bench-export"


def environment(private_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": HOST,
        "SECURE_HTTPS": "0",
        "STATICFILES_MANIFEST": "0",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE}",
        "REDIS_URL": "",
        "TASKS_BACKEND": "immediate",
        "PRIVATE_MEDIA_ROOT": private_root,
        "LOG_LEVEL": "WARNING",
    }


SETUP = r"""
import datetime, json
from django.utils import timezone
from tuyengiao.contests.models import Contest, Round
from tuyengiao.orgs.models import UnitKind
from tuyengiao.orgs.services import unit_create

province = unit_create(code="HG", name="Tỉnh Hà Giang", kind=UnitKind.PROVINCE)
for number in range(1, 11):
    unit_create(code=f"HG-{number:02d}", name=f"Huyện thứ {number}", kind=UnitKind.DISTRICT, parent=province)
contest = Contest.objects.create(title="Tìm hiểu Nghị quyết 27-NQ/TW", slug=sys.argv[-1], unit=province)
now = timezone.now()
round_ = Round.objects.create(
    contest=contest, number=1, opens_at=now - datetime.timedelta(days=8), closes_at=now - datetime.timedelta(days=1),
    prediction_answer=54321,
)
print("RESULT " + json.dumps({"contest": contest.pk, "round": round_.pk}))
"""

# What each measuring process shares: its memory now (maxrss, kB on Linux) and a clock.
MEASURE = r"""
import json, resource, sys, time
import openpyxl  # loaded before the first measure, as a running worker has it
from tuyengiao.contests import exports
from tuyengiao.contests.models import Attempt, Contest
from tuyengiao.contests.selectors import round_ranking

def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

mode, slug = sys.argv[-2], sys.argv[-1]
contest = Contest.objects.get(slug=slug)
round_ = contest.rounds.select_related("contest").get()
# the same rows as the export, in its order: the ranking, then the entries that do not count
queries = [
    round_ranking(round_).values_list(*exports.FIELDS),
    Attempt.objects.filter(round=round_, counts=False).order_by("pk").values_list(*exports.FIELDS),
]
before = maxrss_mb()
samples = []
started = time.perf_counter()
rows = 0
if mode == "plain":
    from django.db import connection
    for query in queries:
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for _row in cursor.fetchall():
                rows += 1
elif mode == "server":
    for query in queries:
        for _row in query.iterator(chunk_size=exports.CHUNK):
            rows += 1
else:
    import tempfile
    tenth = max(exports.CHUNK, int(sys.argv[-3]) // 10 // exports.CHUNK * exports.CHUNK)
    def progress(done):
        if done == tenth:
            samples.append((done, round(maxrss_mb() - before, 1)))
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        rows = exports.entries_xlsx_write(handle, contest, progress=progress)
        handle.seek(0, 2)
        size = handle.tell()
seconds = time.perf_counter() - started
result = {"rows": rows, "seconds": seconds, "rss_before_mb": round(before, 1),
          "rss_delta_mb": round(maxrss_mb() - before, 1), "samples": samples}
if mode == "export":
    result["file_mb"] = round(size / 1024 / 1024, 1)
print("RESULT " + json.dumps(result))
"""


def rows_insert(rows: int) -> float:
    """`rows` participants of the contest (every field filled), each with one scored, counted entry in round 1."""
    contest = f"(SELECT id FROM contests_contest WHERE slug = '{SLUG}')"
    round_ = f"(SELECT id FROM contests_round WHERE contest_id = {contest} AND number = 1)"
    sql = f"""
SET synchronous_commit = off;
WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM orgs_unit),
people AS (
  INSERT INTO contests_participant (contest_id, user_id, full_name, birth_year, phone, cccd, unit_id, occupation,
                                   address, created_at)
  SELECT {contest}, NULL, 'Nguyễn Thị Ánh ' || g, 1960 + g % 45, '07' || lpad(g::text, 8, '0'),
         '0' || lpad(g::text, 11, '0'), units.ids[1 + g % array_length(units.ids, 1)], 'Giáo viên',
         'Số ' || g || ', tổ 3, thị trấn Yên Phú', now() - interval '5 days' + g * interval '300 ms'
  FROM generate_series(1, {rows}) AS g, units
  RETURNING id, created_at
)
INSERT INTO contests_attempt (round_id, participant_id, token_hash, paper, answers, prediction, started_at,
                              expires_at, submitted_at, status, score, max_score, time_ms, correct_questions, counts,
                              disqualified_reason, ip, device)
SELECT {round_}, people.id, md5('a' || people.id) || md5('b' || people.id), '[]'::jsonb, '{{}}'::jsonb,
       (people.id * 7919) % 100000, people.created_at, people.created_at + interval '900 s',
       people.created_at + ((people.id * 104729) % 840000 + 60000) * interval '1 ms', 'submitted',
       (hashtext(people.id::text) & 2147483647) % 21, 20, (people.id * 104729) % 840000 + 60000, '[]'::jsonb,
       people.id % 50 <> 0, CASE WHEN people.id % 100 = 0 THEN 'Làm bài quá nhanh' ELSE '' END, '127.0.0.1', ''
FROM people;
"""
    started = time.monotonic()
    psql(sql, DATABASE, timeout=1800)
    took = time.monotonic() - started
    psql("ANALYZE contests_participant; ANALYZE contests_attempt;", DATABASE)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    options = parser.parse_args()
    if not 10_000 <= options.rows <= 2_000_000:
        parser.error("--rows: 10,000 to 2,000,000")

    private_root = tempfile.mkdtemp(prefix="tuyengiao-bench-export-")
    env = environment(private_root)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    say = print
    try:
        say(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {psql('SHOW server_version')} PostgreSQL"
        )
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        child(env, SETUP, SLUG)
        took = rows_insert(options.rows)
        say(
            f"setup {time.monotonic() - started:.0f} s; inserted {options.rows:,} participants and entries in "
            f"{took:.1f} s (2% not counted, half of those disqualified)"
        )
        results = {}
        for mode, label in (
            ("plain", "plain cursor (whole result in memory)"),
            ("server", "server-side cursor, 2,000 a fetch"),
            ("export", "export to XLSX (entries_xlsx_write)"),
        ):
            result = child(env, MEASURE, str(options.rows), mode, SLUG)
            results[mode] = result
            rate = result["rows"] / result["seconds"]
            line = (
                f"{label:42} {result['rows']:>9,} rows in {result['seconds']:7.1f} s = {rate:9,.0f} rows/s; "
                f"peak RSS +{result['rss_delta_mb']:.1f} MB (over {result['rss_before_mb']:.0f} MB after start-up)"
            )
            if mode == "export":
                line += f"; file {result['file_mb']} MB"
            say(line)
            for done, delta in result["samples"]:
                say(
                    f"{'':42} peak RSS after the first {done:,} rows: +{delta:.1f} MB; after all "
                    f"{result['rows']:,}: +{result['rss_delta_mb']:.1f} MB"
                )
        say(
            f"export / plain cursor: {results['export']['seconds'] / results['plain']['seconds']:.1f}x the time, "
            f"{results['export']['rss_delta_mb']:.1f} MB vs {results['plain']['rss_delta_mb']:.1f} MB of memory"
        )
    finally:
        if options.keep:
            say(f"database {DATABASE} kept")
        else:
            psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
