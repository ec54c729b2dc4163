"""Search of the documents store at scale: document_search beside the bare full-text query, and indexing speed.

It fills a fresh database with N generated Party documents (Vietnamese text of 2–20 KB, mean about 5 KB,
fixed seed), timing the bulk insert that the database triggers index (the "indexing throughput"), then runs a
fixed mix of queries R times each through `document_search(AnonymousUser(), …)` (the whole call: facets,
count, page, excerpts) and through the "raw" query on the same table, and prints medians, p50 and p95.

    .venv/bin/python bench/documents_search.py [--count 100000] [--db postgres|sqlite|both] [--repeat 5]

PostgreSQL: it drops and creates the database `bench_documents` (left in place afterwards, for inspection).
SQLite: a file under /tmp. Each database runs in its own subprocess (django.setup() once per process).

Raw, PostgreSQL: `SELECT id … WHERE search_vector @@ websearch_to_tsquery('simple', q) [AND access = 'public'
AND the same filters] ORDER BY ts_rank(search_vector, …) DESC LIMIT 20 OFFSET o` (by `issued_on DESC NULLS LAST,
id DESC` for the date sort, as the search reads it: undated last) plus `SELECT count(*)` with the same WHERE.
Raw, SQLite: `SELECT rowid FROM documents_fts WHERE documents_fts MATCH q ORDER BY rank LIMIT 20 OFFSET o` (joined
to documents_document for access and filters) plus the count. q is made from the folded terms
(core.search.query_terms → core.text.search_text), the same terms document_search matches. That "raw ids" reads
ids only: no facets, tiers, listing columns or excerpts.
"Raw page" makes what the results page shows, the straightforward way: the same ranked page with, for its hits
only, number, title, type, issuer, date, status and an excerpt with the words marked (PostgreSQL's ts_headline over
folded_text, FTS5's snippet()); then the facets with their counts and the count, in one GROUP BY over the matches.
That is what document_search returns.

"Ours" is a query asked again with no document changed, as the next reader asks it: what document_search keeps
until a document changes is served from the cache (the count and facets of many matches; for anonymous readers, the
order, facets and page of hits of few). "Cold" is its first ask after a document changed (documents_changed()),
before any other search: nothing that is kept until a change is left; what steers a search and is kept through
changes stays (the words' statistics: PostgreSQL's from ANALYZE and its "these rare words stand together",
SQLite's counts of the words that documents hold).
"First" is its first ask after a change once another query with the same filters was asked (NEIGHBOUR): a query
no one has asked since the change. It reads what that other query kept for every search (the counts of the
documents the filters leave), nothing kept for this query. Both are the median of three such asks. Raw ids and raw
page are asked cold and first too, in the same way (after the same change, and the same other query): a raw query
timed right after itself reads pages that its own last run left in the database's caches, which the other query
has pushed out before a first ask. Both comparisons are printed: with the raw queries asked again, and asked the
same way.

Each round times ours, then raw ids, then raw page, query after query; on PostgreSQL the raw queries of common words
read the whole TOAST table through the shared buffers between two of ours. The mix is also timed "as served": after
one round to warm up, R more rounds of the whole mix through document_search only, one query after the other, nothing
else between (the "served" column and line).

"A page without words" times what such a page counts (the facets of the documents the filters leave, which a
search of many matches also scales its estimate to), from the tallies of migration 0013, beside counting the
documents themselves, for each filter set of the mix; it checks that both give the same counts.

With PostgreSQL, every query whose document_search median is over 50 ms or over a raw median is run once more
with its statements captured, and the slowest ones get EXPLAIN (ANALYZE, BUFFERS), written to
/tmp/bench_documents_explain_postgres.txt.
"""

import argparse
import datetime
import functools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "bench_documents"
SQLITE_PATH = Path(tempfile.gettempdir()) / "bench_documents.sqlite3"
EXPLAIN_PATH = Path(tempfile.gettempdir()) / "bench_documents_explain_postgres.txt"
SEED = 20260101
BATCH = 250
SLOW_MS = 50.0
NEIGHBOUR = "nhân dân"  # the other query asked before the "first" ask of each: words of no query of the mix

# ---------------------------------------------------------------------------------------------------------------
# Vocabulary of Party documents. Weights make the common words stand in nearly every document.

COMMON = [
    ("Nghị quyết", 30),
    ("Đảng", 25),
    ("cán bộ, đảng viên", 30),
    ("Ban Chấp hành Đảng bộ tỉnh", 12),
    ("công tác tuyên giáo", 8),
    ("nâng cao chất lượng", 10),
    ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 6),
    ("đồng bào dân tộc thiểu số", 8),
    ("cấp ủy, tổ chức đảng", 12),
    ("các cấp, các ngành", 12),
    ("Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội", 6),
    ("tổ chức thực hiện", 10),
    ("quán triệt, triển khai", 8),
    ("phát triển kinh tế - xã hội", 10),
    ("bảo đảm quốc phòng, an ninh", 6),
    ("xây dựng, chỉnh đốn Đảng", 8),
    ("hệ thống chính trị", 10),
    ("trong sạch, vững mạnh", 6),
    ("nhân dân", 14),
    ("Nhà nước", 8),
    ("chủ nghĩa Mác - Lênin", 3),
    ("đấu tranh phản bác các quan điểm sai trái, thù địch", 3),
    ("bảo vệ nền tảng tư tưởng của Đảng", 3),
    ("sinh hoạt chi bộ", 4),
    ("kiểm tra, giám sát", 6),
    ("đánh giá, xếp loại", 3),
    ("nhiệm vụ trọng tâm", 6),
    ("giải pháp chủ yếu", 5),
    ("mục tiêu", 8),
    ("quan điểm chỉ đạo", 4),
    ("thường xuyên", 8),
    ("kịp thời", 8),
    ("có hiệu quả", 10),
    ("đồng thời", 6),
    ("tăng cường", 12),
    ("đẩy mạnh", 12),
    ("tiếp tục", 12),
    ("lãnh đạo, chỉ đạo", 10),
    ("trách nhiệm của người đứng đầu", 4),
    ("công tác dân vận", 4),
    ("báo cáo kết quả", 5),
    ("sơ kết, tổng kết", 4),
    ("ủy ban nhân dân các huyện, thành phố", 5),
    ("Ban Tuyên giáo Tỉnh ủy", 4),
    ("Ban Thường vụ Tỉnh ủy", 6),
    ("Ban Thường vụ các huyện ủy, thành ủy, đảng ủy trực thuộc", 4),
    ("chi bộ", 6),
    ("đảng viên", 10),
    ("cơ sở", 10),
    ("thôn, bản", 5),
    ("xóa đói, giảm nghèo", 4),
    ("nông thôn mới", 4),
    ("văn hóa", 5),
    ("giáo dục và đào tạo", 4),
    ("y tế", 3),
    ("du lịch", 3),
    ("biên giới", 3),
    ("cải cách hành chính", 3),
    ("thực hành tiết kiệm, chống lãng phí", 3),
    ("phòng, chống tham nhũng, tiêu cực", 3),
    ("ý thức trách nhiệm", 4),
    ("phẩm chất chính trị", 3),
    ("tinh thần đoàn kết", 3),
    ("trên địa bàn tỉnh", 8),
    ("trong thời gian tới", 5),
    ("theo quy định", 6),
    ("của Ban Chấp hành Trung ương", 4),
    ("của Bộ Chính trị", 4),
    ("của Ban Bí thư", 3),
    ("đổi mới nội dung, phương thức", 3),
    ("nâng cao năng lực lãnh đạo và sức chiến đấu", 3),
    ("củng cố niềm tin của nhân dân", 2),
    ("phát huy vai trò", 5),
    ("tuyên truyền, vận động", 6),
    ("báo chí, xuất bản", 2),
    ("dư luận xã hội", 2),
    ("lý luận chính trị", 2),
    ("khoa giáo", 1),
    ("công tác tư tưởng", 3),
    ("an sinh xã hội", 3),
    ("hộ nghèo", 2),
    ("kết cấu hạ tầng", 3),
    ("sản xuất nông nghiệp", 3),
    ("hợp tác xã", 2),
    ("thanh niên", 2),
    ("phụ nữ", 2),
    ("cựu chiến binh", 1),
    ("hội nông dân", 1),
]
PLACES = [
    ("Hà Giang", 20),
    ("Vị Xuyên", 3),
    ("Bắc Quang", 3),
    ("Quang Bình", 2),
    ("Hoàng Su Phì", 2),
    ("Xín Mần", 2),
    ("Bắc Mê", 2),
    ("Yên Minh", 2),
    ("Quản Bạ", 2),
    ("Đồng Văn", 2),
    ("Mèo Vạc", 2),
    ("thành phố Hà Giang", 3),
    ("Tuyên Quang", 1),
    ("Lào Cai", 1),
    ("Cao Bằng", 1),
]
CONNECTORS = [
    ("và", 10),
    ("để", 4),
    ("nhằm", 4),
    ("góp phần", 3),
    ("gắn với", 3),
    ("trong", 6),
    ("của", 8),
    ("các", 8),
    ("những", 4),
    ("về", 5),
    ("cho", 4),
    ("với", 4),
    ("theo", 3),
    ("bảo đảm", 3),
]
# Rarer phrases: (phrase, share of documents that hold it once or a few times).
OCCASIONAL = [
    ("thông tin cơ sở", 0.08),
    ("chuyển đổi số", 0.10),
    ("cao nguyên đá Đồng Văn", 0.04),
    ("chè Shan tuyết", 0.02),
    ("cột cờ Lũng Cú", 0.004),
    ("di sản văn hóa phi vật thể", 0.01),
    ("khèn Mông", 0.002),
    ("tam giác mạch", 0.003),
    ("chợ tình Khâu Vai", 0.001),
    ("dinh thự họ Vương", 0.0001),
]
TOPICS = [
    "nâng cao chất lượng công tác tuyên giáo trong tình hình mới",
    "phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số",
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    "công tác cán bộ và nâng cao chất lượng đội ngũ cán bộ, đảng viên",
    "bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "xây dựng nông thôn mới gắn với giảm nghèo bền vững",
    "phát triển du lịch trên địa bàn tỉnh Hà Giang",
    "đổi mới, nâng cao chất lượng hoạt động của hệ thống thông tin cơ sở",
    "chuyển đổi số trong cơ quan đảng, Mặt trận Tổ quốc và các đoàn thể",
    "công tác dân vận trong tình hình mới",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "phát triển giáo dục và đào tạo vùng cao",
    "bảo đảm quốc phòng, an ninh khu vực biên giới",
    "công tác phát triển đảng viên ở thôn, bản",
    "tổ chức đại hội đảng bộ các cấp nhiệm kỳ",
    "bảo tồn và phát huy giá trị di sản văn hóa các dân tộc",
    "công tác lý luận chính trị và khoa giáo",
    "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
]
# (type name as in migration 0003, code) and the share of documents of that type.
TYPES = [
    ("Nghị quyết", "NQ", 25),
    ("Chỉ thị", "CT", 15),
    ("Kế hoạch", "KH", 25),
    ("Hướng dẫn", "HD", 12),
    ("Thông báo", "TB", 13),
    ("Quyết định", "QĐ", 10),
]
# (issuer name, term, code in numbers, level, weight).
ISSUERS = [
    ("Ban Chấp hành Trung ương Đảng", "XI", "TW", "central", 2),
    ("Ban Chấp hành Trung ương Đảng", "XII", "TW", "central", 2),
    ("Ban Chấp hành Trung ương Đảng", "XIII", "TW", "central", 2),
    ("Bộ Chính trị", "XIII", "TW", "central", 2),
    ("Ban Bí thư", "XIII", "TW", "central", 2),
    ("Tỉnh ủy Hà Giang", "", "TU", "province", 12),
    ("Ban Thường vụ Tỉnh ủy Hà Giang", "", "TU", "province", 8),
    ("Huyện ủy Vị Xuyên", "", "HU", "district", 3),
    ("Huyện ủy Bắc Quang", "", "HU", "district", 3),
    ("Huyện ủy Đồng Văn", "", "HU", "district", 3),
    ("Huyện ủy Mèo Vạc", "", "HU", "district", 3),
    ("Huyện ủy Xín Mần", "", "HU", "district", 3),
    ("Huyện ủy Hoàng Su Phì", "", "HU", "district", 3),
]
HEADINGS = [
    "Mục tiêu",
    "Nhiệm vụ, giải pháp",
    "Tổ chức thực hiện",
    "Quan điểm",
    "Kết quả đạt được",
    "Hạn chế, nguyên nhân",
]
SIGNERS = ["Nguyễn Văn Sơn", "Đặng Quốc Khánh", "Triệu Tài Vinh", "Thào Hồng Sơn", "Hầu Văn Lý", "Lò Thị Mai"]

# The mix: (label, query, filters, sort, page). Filters name a type by its code, resolved to its id.
MIX = [
    ("nghị quyết đảng", "nghị quyết đảng", {}, "relevance", 1),
    ("nghi quyet dang", "nghi quyet dang", {}, "relevance", 1),
    ("cán bộ đảng viên", "cán bộ đảng viên", {}, "relevance", 1),
    ("can bo dang vien", "can bo dang vien", {}, "relevance", 1),
    ("tuyên giáo", "tuyên giáo", {}, "relevance", 1),
    ("tuyen giao", "tuyen giao", {}, "relevance", 1),
    ("Lũng Cú (rare)", "Lũng Cú", {}, "relevance", 1),
    ("khen mong (rare)", "khen mong", {}, "relevance", 1),
    ("dinh thự họ Vương (rarest)", "dinh thự họ Vương", {}, "relevance", 1),
    ("chè Shan tuyết", "chè Shan tuyết", {}, "relevance", 1),
    ('"thông tin cơ sở"', '"thông tin cơ sở"', {}, "relevance", 1),
    ("05-NQ/TU", "05-NQ/TU", {}, "relevance", 1),
    ("19/CT-TW", "19/CT-TW", {}, "relevance", 1),
    ("chi thi 19", "chi thi 19", {}, "relevance", 1),
    ("học tập … Hồ Chí Minh", "học tập và làm theo tư tưởng đạo đức phong cách Hồ Chí Minh", {}, "relevance", 1),
    ("cán bộ +2015-2020 +NQ", "cán bộ", {"year_from": 2015, "year_to": 2020, "type": "NQ"}, "relevance", 1),
    ("đảng viên +province +in_force", "đảng viên", {"level": "province", "status": "in_force"}, "relevance", 1),
    ("chuyen doi so +2020- date", "chuyen doi so", {"year_from": 2020}, "date", 1),
    ("chuyển đổi số +2020-", "chuyển đổi số", {"year_from": 2020}, "relevance", 1),  # 912 of 4,567 in heads
    ("nghị quyết đảng, date", "nghị quyết đảng", {}, "date", 1),
    ("can bo dang vien p50", "can bo dang vien", {}, "relevance", 50),
    ("tuyên giáo p50 date", "tuyên giáo", {}, "date", 50),
    ("xyzzy (no match)", "xyzzy", {}, "relevance", 1),
]

# ---------------------------------------------------------------------------------------------------------------
# The parent: databases, subprocesses, the summary.


def environment(db: str) -> dict:
    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": "x",
        "STATICFILES_MANIFEST": "0",
        "SECURE_HTTPS": "0",
        "ALLOWED_HOSTS": "*",
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    return env


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def fresh_database(db: str) -> None:
    if db == "postgres":
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def ms(value: float) -> str:
    """A time in ms to a tenth, or to a hundredth below 1 ms (a word no document holds: tens of microseconds)."""
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = share * (len(ordered) - 1)
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="query the documents of a previous run (no generation, no indexing figure)"
    )
    parser.add_argument("--worker", choices=["postgres", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options)
        return

    databases = ["postgres", "sqlite"] if options.db == "both" else [options.db]
    results = {}
    for db in databases:
        if not options.reuse:
            fresh_database(db)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            out_path = out.name
        command = [
            PYTHON,
            __file__,
            "--worker",
            db,
            "--count",
            str(options.count),
            "--repeat",
            str(options.repeat),
            "--out",
            out_path,
            *(["--reuse"] if options.reuse else []),
        ]
        subprocess.run(command, cwd=ROOT, env=environment(db), check=True)
        results[db] = json.loads(Path(out_path).read_text())
        os.unlink(out_path)

    print()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{options.count} documents, seed {SEED}, {len(MIX)} queries × {options.repeat} runs after one warm-up")
    names = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
    for db, result in results.items():
        print()
        print(f"== {names[db]} ({result['server']}) ==")
        index = result["indexing"]
        if index.get("reused"):
            print(f"reused the {index['count']} documents of an earlier run; {index['after']} {index['after_s']:.1f} s")
        else:
            print(
                f"generated {index['count']} documents, {index['mb']:.0f} MB of full_text "
                f"(mean {index['mean_kb']:.1f} KB, min {index['min_kb']:.1f}, max {index['max_kb']:.1f}) "
                f"in {index['generate_s']:.0f} s of Python (text, fold_aligned, head_text)"
            )
            print(
                f"bulk insert with trigger indexing: {index['insert_s']:.1f} s; afterwards {index['after']} "
                f"{index['after_s']:.1f} s"
            )
        width = max(len(label) for label, *_ in MIX)
        print(
            f"{'query':{width}} | {'cold ms':>8} | {'first ms':>8} | {'ours ms':>8} | {'served':>8} | "
            f"{'raw ids':>8} | {'raw page':>8} | "
            f"{'count':>7} | {'raw count':>9}"
        )
        print("-" * (width + 90))
        for row in result["queries"]:
            marker = "  <ids" if row["ours_ms"] > row["raw_ms"] else ""
            marker += "  <page" if row["ours_ms"] > row["page_ms"] else ""
            marker += "  first<page" if row["first_ms"] > row["page_ms"] else ""
            if row["ours_ms"] > SLOW_MS:
                marker += "  >50"
            times = " | ".join(
                f"{ms(row[key]):>8}" for key in ("cold_ms", "first_ms", "ours_ms", "served_ms", "raw_ms", "page_ms")
            )
            print(f"{row['label']:{width}} | {times} | {row['count']:7} | {row['raw_count']:9}{marker}")
        print()
        print("cold and first asks, each beside the raw queries asked the same way (after the same change and query):")
        print(
            f"{'query':{width}} | {'cold ms':>8} | {'raw ids':>8} | {'raw page':>8} | "
            f"{'first ms':>8} | {'raw ids':>8} | {'raw page':>8}"
        )
        print("-" * (width + 66))
        for row in result["queries"]:
            times = " | ".join(
                f"{ms(row[key]):>8}"
                for key in ("cold_ms", "raw_cold_ms", "page_cold_ms", "first_ms", "raw_first_ms", "page_first_ms")
            )
            marker = "".join(
                f"  {kind}<{name}"
                for kind in ("cold", "first")
                for name, key in (("ids", "raw"), ("page", "page"))
                if row[f"{kind}_ms"] > row[f"{key}_{kind}_ms"]
            )
            print(f"{row['label']:{width}} | {times}{marker}")
    print()
    for db, result in results.items():
        print(f"{names[db]}, a page without words (its facets and count, for a citizen), median of {options.repeat}:")
        for row in result["tallies"]:
            print(
                f"  {row['label']:28} from the tallies {ms(row['tallied_ms']):>6} ms, from the documents "
                f"{ms(row['read_ms']):>6} ms, {row['total']:6} documents, {'the same' if row['equal'] else 'DIFFERENT'}"
            )
    print()
    for db, result in results.items():
        ours = [t for row in result["queries"] for t in row["ours_all"]]
        raw = [t for row in result["queries"] for t in row["raw_all"]]
        shown = [t for row in result["queries"] for t in row["page_all"]]
        cold = [row["cold_ms"] for row in result["queries"]]
        first = [row["first_ms"] for row in result["queries"]]
        print(
            f"{names[db]}: search p50 {percentile(ours, 0.5):.1f} ms, p95 {percentile(ours, 0.95):.1f} ms "
            f"(raw ids p50 {percentile(raw, 0.5):.1f} ms, p95 {percentile(raw, 0.95):.1f} ms; "
            f"raw page p50 {percentile(shown, 0.5):.1f} ms, p95 {percentile(shown, 0.95):.1f} ms); "
            f"cold (first ask after a change) p50 {percentile(cold, 0.5):.1f} ms, p95 {percentile(cold, 0.95):.1f} ms"
        )
        print(
            f"{names[db]}: first ask of each query (another asked before it) p50 {percentile(first, 0.5):.1f} ms, "
            f"p95 {percentile(first, 0.95):.1f} ms"
        )
        served = [t for row in result["queries"] for t in row["served_all"]]
        print(
            f"{names[db]}: as served (the mix in rounds, no raw query between): search p50 "
            f"{percentile(served, 0.5):.1f} ms, p95 {percentile(served, 0.95):.1f} ms"
        )
    for db, result in results.items():
        index = result["indexing"]
        if index.get("reused"):
            print(f"indexing ({names[db]}): not measured (--reuse)")
            continue
        print(
            f"indexing ({names[db]}): {index['count'] / index['insert_s']:.0f} docs/s, "
            f"{index['mb'] / index['insert_s']:.2f} MB/s of full_text (bulk_create, triggers, GIN / FTS5)"
        )
    for db, result in results.items():
        # Ours beside raw ids and raw page: each asked again, then ours first and cold beside the raw queries asked
        # again and asked the same way.
        comparisons = [("", "ours_ms", "raw_ms", "page_ms", "")]
        for kind in ("first", "cold"):
            comparisons.append((f", {kind} ask", f"{kind}_ms", "raw_ms", "page_ms", ""))
            comparisons.append(
                (f", {kind} ask", f"{kind}_ms", f"raw_{kind}_ms", f"page_{kind}_ms", " asked the same way")
            )
        for asked, ours_key, ids_key, page_key, way in comparisons:
            for name, key in (("raw ids", ids_key), ("raw page", page_key)):
                slower = [
                    f"{row['label']} ({ms(row[ours_key])} > {ms(row[key])})"
                    for row in result["queries"]
                    if row[ours_key] > row[key]
                ]
                print(f"{names[db]}{asked}: slower than {name}{way}: {'; '.join(slower) if slower else 'none'}")
    if "postgres" in results:
        ours = [t for row in results["postgres"]["queries"] for t in row["ours_all"]]
        p95 = percentile(ours, 0.95)
        print(f"goal p95 ≤ {SLOW_MS:.0f} ms on PostgreSQL: {'met' if p95 <= SLOW_MS else 'NOT met'} ({p95:.1f} ms)")
        served = [t for row in results["postgres"]["queries"] for t in row["served_all"]]
        p95 = percentile(served, 0.95)
        print(f"the same, as served (no raw query between): {'met' if p95 <= SLOW_MS else 'NOT met'} ({p95:.1f} ms)")
        p95 = percentile([row["first_ms"] for row in results["postgres"]["queries"]], 0.95)
        print(f"the same, first ask of each query: {'met' if p95 <= SLOW_MS else 'NOT met'} ({p95:.1f} ms)")
        p95 = percentile([row["cold_ms"] for row in results["postgres"]["queries"]], 0.95)
        print(f"the same, cold (first ask after a change): {'met' if p95 <= SLOW_MS else 'NOT met'} ({p95:.1f} ms)")
        if results["postgres"].get("explained"):
            print(f"EXPLAIN ANALYZE of the slow statements: {EXPLAIN_PATH}")


# ---------------------------------------------------------------------------------------------------------------
# The worker: one database, one process.


def worker(options) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"[{options.worker}] migrated in {time.perf_counter() - started:.1f} s")
    from tuyengiao.documents.models import Document

    if options.reuse and Document.objects.count() == options.count:
        indexing = {"count": options.count, "mb": 0.0, "generate_s": 0.0, "insert_s": float("nan")}
        indexing.update(mean_kb=float("nan"), min_kb=float("nan"), max_kb=float("nan"), reused=True)
        log(f"[{options.worker}] reusing the {options.count} documents already there")
    else:
        indexing = fill(options.count)
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE documents_document")
            # The load's gigabyte is written out now, not by the checkpointer while the queries are timed.
            cursor.execute("CHECKPOINT")
        indexing["after"] = "VACUUM ANALYZE documents_document + CHECKPOINT"
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0].split(" on ")[0]
    else:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO documents_fts(documents_fts) VALUES('optimize')")
            cursor.execute("INSERT INTO documents_head_fts(documents_head_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
        indexing["after"] = "FTS5 'optimize' + ANALYZE"
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    # The bulk load sent no signal: its tallies are folded here, as every STORE_CHANGES_KEPT changes fold them.
    from tuyengiao.documents.services import facet_tallies_fold

    facet_tallies_fold()
    indexing["after"] += " + facet_tallies_fold"
    if connection.vendor == "postgresql":
        # The rows that folds and changes of earlier runs left dead, and the pages they took (where autovacuum is
        # off, as it may be here: 36 MB of pages for the 11,476 rows of the tallies after a few runs). Small tables.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE documents_facettally, documents_storechange")
        indexing["after"] += " + VACUUM FULL ANALYZE of the tallies and changes"
    indexing["after_s"] = time.perf_counter() - started
    log(f"[{options.worker}] {indexing['after']} in {indexing['after_s']:.1f} s")
    queries = measure(options.repeat)
    tallies = measure_tallies(options.repeat)
    result = {"server": server, "indexing": indexing, "queries": queries, "tallies": tallies, "explained": False}
    if connection.vendor == "postgresql":
        result["explained"] = explain_slow(queries)
    Path(options.out).write_text(json.dumps(result))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def weighted(pairs):
    return [item for item, _ in pairs], [weight for _, weight in pairs]


def make_generator(rng: random.Random):
    """A function that returns a document's text of about `size` characters."""
    common, common_w = weighted(COMMON + PLACES + CONNECTORS)
    cumulative = list(__import__("itertools").accumulate(common_w))

    def sentence(length: int) -> str:
        words = rng.choices(common, cum_weights=cumulative, k=length)
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ";"))

    def body(size: int, numbers: list[str]) -> str:
        parts, total, section = [], 0, 1
        for number in numbers:
            line = f"Căn cứ {number} về {rng.choice(TOPICS)};"
            parts.append(line)
            total += len(line)
        while total < size:
            if rng.random() < 0.08:
                heading = f"{section}. {rng.choice(HEADINGS)}"
                parts.append(heading)
                total += len(heading)
                section += 1
            paragraph = " ".join(sentence(rng.randint(6, 16)) for _ in range(rng.randint(2, 6)))
            for phrase, share in OCCASIONAL:
                if rng.random() < share * 0.35:  # a few per document that has it
                    cut = rng.randint(0, len(paragraph))
                    cut = paragraph.rfind(" ", 0, cut) + 1
                    paragraph = f"{paragraph[:cut]}{phrase} {paragraph[cut:]}"
            parts.append(paragraph)
            total += len(paragraph) + 1
        text = "\n".join(parts)
        cut = text.find(". ", size)  # end at the first sentence past the size
        return text[: cut + 1] if cut >= 0 else text

    return body


def fill(count: int) -> dict:
    from django.db import connection
    from django.test.utils import override_settings

    from tuyengiao.core.text import fold_aligned
    from tuyengiao.documents.models import Document, DocumentType
    from tuyengiao.documents.search import head_text
    from tuyengiao.documents.services import issuer_get_or_create, number_fields

    rng = random.Random(SEED)
    body = make_generator(rng)
    types = [(DocumentType.objects.get(name=name), code) for name, code, _w in TYPES]
    type_weights = [w for *_x, w in TYPES]
    issuers = []
    for name, term, code, level, _w in ISSUERS:
        # Made as an import makes them, with the address (slug) that the pages link to.
        issuer = issuer_get_or_create(f"{name} khóa {term}" if term else name)
        if issuer.level != level:
            issuer.level = level
            issuer.save(update_fields=["level"])
        issuers.append((issuer, str(issuer), code, level))
    issuer_weights = [w for *_x, w in ISSUERS]
    first, last = datetime.date(1990, 1, 1).toordinal(), datetime.date.today().toordinal()
    # Occasional phrases are decided per document (so a rare one stands in few documents).
    sizes_total = chars_total = 0
    smallest, largest = 1 << 30, 0
    generate_s = insert_s = 0.0
    done = 0
    with override_settings(DEBUG=False):  # no query log of megabyte INSERTs
        while done < count:
            batch = []
            tick = time.perf_counter()
            for _ in range(min(BATCH, count - done)):
                kind, code = rng.choices(types, weights=type_weights)[0]
                issuer, issuer_name, issuer_code, level = rng.choices(issuers, weights=issuer_weights)[0]
                issued_on = datetime.date.fromordinal(rng.randint(first, last))
                n = min(int(rng.expovariate(1 / 25)) + 1, 400)
                number, number_key, number_int, _code = number_fields(f"{n:02d}-{code}/{issuer_code}")
                title = f"{kind.name} về {rng.choice(TOPICS)}"
                if rng.random() < 0.3:
                    title += f" trên địa bàn {rng.choice(('tỉnh Hà Giang', 'huyện Vị Xuyên', 'các huyện vùng cao'))}"
                # UTF-8 bytes: 2–20 KB, log-normal with a mean of about 5 KB; about 1.34 bytes a character.
                size = int(min(19_000, max(2_100, rng.lognormvariate(8.35, 0.55))) / 1.34)
                cited = [
                    f"{rng.choice(('Nghị quyết', 'Chỉ thị', 'Kết luận'))} số "
                    f"{rng.randint(1, 60):02d}-{rng.choice(('NQ', 'CT', 'KL'))}/{rng.choice(('TW', 'TU'))}"
                    for _ in range(rng.randint(0, 3))
                ]
                header = (
                    f"ĐẢNG CỘNG SẢN VIỆT NAM\n{issuer_name.upper()}\nSố {number}\n"
                    f"Hà Giang, ngày {issued_on.day} tháng {issued_on.month} năm {issued_on.year}\n"
                    f"{kind.name.upper()}\n{title}\n"
                )
                footer = f"\nT/M {issuer_name.upper()}\n{rng.choice(('BÍ THƯ', 'PHÓ BÍ THƯ'))}\n{rng.choice(SIGNERS)}"
                full_text = header + body(size - len(header) - len(footer), cited) + footer
                age = (last - issued_on.toordinal()) / 365
                status = rng.choices(
                    ["in_force", "partly_expired", "expired", "not_yet"],
                    weights=[max(5, 80 - 3 * age), 10, min(80, 5 + 4 * age), 1 if age < 0.3 else 0],
                )[0]
                access = rng.choices(["public", "cadres", "units"], weights=[95, 3, 2])[0]
                batch.append(
                    Document(
                        number=number,
                        number_key=number_key,
                        number_int=number_int,
                        type=kind,
                        title=title,
                        issuer=issuer,
                        signer=rng.choice(SIGNERS),
                        issued_on=issued_on,
                        level=level,
                        status=status,
                        access=access,
                        full_text=full_text,
                        folded_text=fold_aligned(full_text),
                        search_head=head_text(number, kind.name, title, issuer_name),
                    )
                )
                length = len(full_text.encode())
                sizes_total += length
                chars_total += 1
                smallest, largest = min(smallest, length), max(largest, length)
            generate_s += time.perf_counter() - tick
            tick = time.perf_counter()
            Document.objects.bulk_create(batch)
            insert_s += time.perf_counter() - tick
            done += len(batch)
            if done % 10_000 < BATCH or done == count:
                log(
                    f"[{connection.vendor}] {done} documents; generate {generate_s:.0f} s, insert {insert_s:.0f} s "
                    f"({done / insert_s:.0f} docs/s)"
                )
    return {
        "count": count,
        "mb": sizes_total / 1e6,
        "mean_kb": sizes_total / chars_total / 1e3,
        "min_kb": smallest / 1e3,
        "max_kb": largest / 1e3,
        "generate_s": generate_s,
        "insert_s": insert_s,
    }


def resolved(filters: dict) -> dict:
    from tuyengiao.documents.models import DocumentType

    filters = dict(filters)
    if "type" in filters:
        filters["type"] = DocumentType.objects.filter(code=filters["type"]).order_by("order").first().pk
    return filters


def raw_runner(query: str, filters: dict, sort: str, page: int):
    """The bare full-text queries on the same terms and filters; returns two functions → count:

    - "raw ids": the page's ids ranked by ts_rank (FTS5: rank) and the count, nothing else;
    - "raw page": what the results page shows: the ranked page with each hit's number, title, type, issuer, date,
      status and an excerpt with the words marked by the database (PostgreSQL's ts_headline, FTS5's snippet),
      made for the page's hits only; then the facets (type, level, status, issuer, year) with their counts and the
      count, in one GROUP BY over the matches.
    """
    from django.db import connection

    from tuyengiao.core.search import query_terms
    from tuyengiao.documents.search import _fts5, _websearch
    from tuyengiao.documents.selectors import PER_PAGE, query_for_text, typed_number

    _accented, folded = query_terms(query_for_text(query, typed_number(query)))
    offset = (page - 1) * PER_PAGE
    postgres = connection.vendor == "postgresql"
    mark = "%s"
    where, params = ["d.access = 'public'"], []
    for column, value in (
        ("type_id", filters.get("type")),
        ("level", filters.get("level")),
        ("status", filters.get("status")),
    ):
        if value:
            where.append(f"d.{column} = {mark}")
            params.append(value)
    if filters.get("year_from"):
        where.append(f"d.issued_on >= {mark}")
        params.append(datetime.date(int(filters["year_from"]), 1, 1))
    if filters.get("year_to"):
        where.append(f"d.issued_on <= {mark}")
        params.append(datetime.date(int(filters["year_to"]), 12, 31))
    columns = "d.number, d.title, t.name, i.name, i.term, d.issued_on, d.status"
    joins = "LEFT JOIN documents_documenttype t ON t.id = d.type_id LEFT JOIN documents_issuer i ON i.id = d.issuer_id"
    if postgres:
        text = _websearch(folded)
        match = "d.search_vector @@ websearch_to_tsquery('simple', %s)"
        order = (
            "ts_rank(d.search_vector, websearch_to_tsquery('simple', %s)) DESC"
            if sort == "relevance"
            else "d.issued_on DESC NULLS LAST, d.id DESC"
        )
        conditions = " AND ".join([match, *where])
        page_sql = (
            f"SELECT d.id FROM documents_document d WHERE {conditions} "
            f"ORDER BY {order} LIMIT {PER_PAGE} OFFSET {offset}"
        )
        page_params = [text, *params] + ([text] if sort == "relevance" else [])
        shown_sql = (
            f"SELECT d.id, {columns}, ts_headline('simple', d.folded_text, websearch_to_tsquery('simple', %s), "
            f"'MaxFragments=1, MinWords=20, MaxWords=35') FROM documents_document d {joins} "
            f"WHERE d.id IN ({page_sql})"
        )
        shown_params = [text, *page_params]
        count_sql = f"SELECT count(*) FROM documents_document d WHERE {conditions}"
        count_params = [text, *params]
        facets_sql = (
            "SELECT d.type_id, d.level, d.status, d.issuer_id, EXTRACT(YEAR FROM d.issued_on)::int, count(*), "
            "GROUPING(d.type_id, d.level, d.status, d.issuer_id, EXTRACT(YEAR FROM d.issued_on)::int) "
            f"FROM documents_document d WHERE {conditions} GROUP BY GROUPING SETS "
            "((d.type_id), (d.level), (d.status), (d.issuer_id), (EXTRACT(YEAR FROM d.issued_on)::int), ())"
        )
    else:
        text = _fts5(folded)
        conditions = " AND ".join(["documents_fts MATCH %s", *where])
        order = "f.rank" if sort == "relevance" else "d.issued_on DESC NULLS LAST, d.id DESC"
        page_sql = (
            f"SELECT f.rowid FROM documents_fts f JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {conditions} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {offset}"
        )
        page_params = [text, *params]
        # snippet() needs the MATCH in the same query; the page's ids keep it to the page's hits.
        shown_sql = (
            f"SELECT f.rowid, {columns}, snippet(documents_fts, 1, '[', ']', '…', 30) "
            f"FROM documents_fts f JOIN documents_document d ON d.id = f.rowid {joins} "
            f"WHERE documents_fts MATCH %s AND f.rowid IN ({page_sql})"
        )
        shown_params = [text, *page_params]
        count_sql = (
            f"SELECT count(*) FROM documents_fts f JOIN documents_document d ON d.id = f.rowid WHERE {conditions}"
        )
        count_params = [text, *params]
        facets_sql = (
            "SELECT d.type_id, d.level, d.status, d.issuer_id, strftime('%%Y', d.issued_on), count(*) "
            f"FROM documents_fts f JOIN documents_document d ON d.id = f.rowid WHERE {conditions} "
            "GROUP BY 1, 2, 3, 4, 5"
        )

    def ids() -> int:
        with connection.cursor() as cursor:
            cursor.execute(page_sql, page_params)
            cursor.fetchall()
            cursor.execute(count_sql, count_params)
            return cursor.fetchone()[0]

    def shown() -> int:
        """The page, then the facets and the count in one GROUP BY (per facet and in all on PostgreSQL; over the
        five columns together on SQLite, which has no grouping sets, summed here)."""
        with connection.cursor() as cursor:
            cursor.execute(shown_sql, shown_params)
            cursor.fetchall()
            cursor.execute(facets_sql, count_params)
            groups = cursor.fetchall()
        if postgres:
            return next((row[5] for row in groups if row[6] == 0b11111), 0)
        facets = [{} for _ in range(5)]
        for *values, count in groups:
            for facet, value in zip(facets, values, strict=True):
                facet[value] = facet.get(value, 0) + count
        return sum(facets[0].values())

    return ids, shown


def measure(repeat: int) -> list[dict]:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import override_settings

    from tuyengiao.documents.selectors import document_search
    from tuyengiao.documents.services import documents_changed

    rows = []
    with override_settings(DEBUG=False):  # time it as served; statements are captured apart (explain_slow)
        for label, query, filters, sort, page in MIX:
            filters = resolved(filters)
            raw, raw_page = raw_runner(query, filters, sort, page)
            ours = functools.partial(document_search, AnonymousUser(), query, filters=filters, sort=sort, page=page)
            # Ours, raw ids and raw page, each asked cold and first in the same state of the database's caches.
            asked = {(kind, name): [] for kind in ("cold", "first") for name in ("ours", "raw", "page")}
            for _ in range(3):
                for name, run in (("ours", ours), ("raw", raw), ("page", raw_page)):
                    documents_changed()  # cold: the first ask after a document changed, before any other search
                    tick = time.perf_counter()
                    run()
                    asked["cold", name].append((time.perf_counter() - tick) * 1000)
                    documents_changed()  # first: the same, once another query with the same filters was asked
                    document_search(AnonymousUser(), NEIGHBOUR, filters=filters, sort="relevance", page=1)
                    tick = time.perf_counter()
                    run()
                    asked["first", name].append((time.perf_counter() - tick) * 1000)
            ours_times, raw_times, page_times = [], [], []
            for _ in range(repeat):
                tick = time.perf_counter()
                result = ours()
                ours_times.append((time.perf_counter() - tick) * 1000)
                tick = time.perf_counter()
                raw_count = raw()
                raw_times.append((time.perf_counter() - tick) * 1000)
                tick = time.perf_counter()
                raw_page()
                page_times.append((time.perf_counter() - tick) * 1000)
            row = {
                "label": label,
                "query": query,
                "filters": filters,
                "sort": sort,
                "page": page,
                "cold_ms": statistics.median(asked["cold", "ours"]),
                "first_ms": statistics.median(asked["first", "ours"]),
                **{f"{name}_{kind}_ms": statistics.median(asked[kind, name]) for kind, name in asked if name != "ours"},
                "ours_ms": statistics.median(ours_times),
                "raw_ms": statistics.median(raw_times),
                "page_ms": statistics.median(page_times),
                "ours_all": ours_times,
                "raw_all": raw_times,
                "page_all": page_times,
                "count": result.count,
                "raw_count": raw_count,
            }
            rows.append(row)
            log(
                f"[{connection.vendor}] {label}: ours {row['ours_ms']:.1f} ms, raw ids {row['raw_ms']:.1f} ms, "
                f"raw page {row['page_ms']:.1f} ms, "
                f"{result.count} found (raw {raw_count}), page {result.page}/{result.pages}"
            )
        # As served: the whole mix again, round after round, our search only, with no raw query between two of ours.
        # The first round warms up: what the rounds above cached has expired by now (FACET_CACHE_SECONDS).
        for warm_up in [True] + [False] * repeat:
            for row in rows:
                tick = time.perf_counter()
                query, filters, sort, page = row["query"], row["filters"], row["sort"], row["page"]
                document_search(AnonymousUser(), query, filters=filters, sort=sort, page=page)
                if not warm_up:
                    row.setdefault("served_all", []).append((time.perf_counter() - tick) * 1000)
        for row in rows:
            row["served_ms"] = statistics.median(row["served_all"])
    return rows


def measure_tallies(repeat: int) -> list[dict]:
    """What a page without words counts (the facets of the documents the filters leave, for a citizen), as the
    search counts it, from the tallies (selectors._facets_tallied), beside counting it from the documents
    (selectors._facets, as it did before the tallies and still does where they cannot tell). Each filter set of the
    mix, and none; the two must agree."""
    from django.contrib.auth.models import AnonymousUser

    from tuyengiao.documents.selectors import _facets, _facets_tallied, _filtered, documents_visible

    rows, seen = [], []
    for filters in [{}] + [filters for _label, _query, filters, _sort, _page in MIX]:
        if filters in seen:
            continue
        seen.append(filters)
        resolved_filters = resolved(filters)
        documents = _filtered(documents_visible(AnonymousUser()), resolved_filters)
        tallied_times, read_times = [], []
        for _ in range(repeat):
            tick = time.perf_counter()
            tallied = _facets_tallied(AnonymousUser(), resolved_filters)
            tallied_times.append((time.perf_counter() - tick) * 1000)
            tick = time.perf_counter()
            read = _facets(documents)
            read_times.append((time.perf_counter() - tick) * 1000)
        label = ", ".join(f"{name} {value}" for name, value in filters.items()) or "no filter"
        rows.append(
            {
                "label": label,
                "tallied_ms": statistics.median(tallied_times),
                "read_ms": statistics.median(read_times),
                "total": read["total"],
                "equal": tallied == read,
            }
        )
        log(f"[tallies] {label}: {rows[-1]['tallied_ms']:.1f} ms, from the documents {rows[-1]['read_ms']:.1f} ms")
    return rows


def explain_slow(rows: list[dict]) -> bool:
    """Capture the statements of slow queries and EXPLAIN (ANALYZE, BUFFERS) the slowest of each."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.documents.selectors import document_search

    slow = [row for row in rows if row["ours_ms"] > SLOW_MS or row["ours_ms"] > min(row["raw_ms"], row["page_ms"])]
    if not slow:
        return False
    lines = []
    for row in slow:
        with CaptureQueriesContext(connection) as captured:
            document_search(AnonymousUser(), row["query"], filters=row["filters"], sort=row["sort"], page=row["page"])
        statements = [(float(item["time"]) * 1000, item["sql"]) for item in captured.captured_queries]
        total = sum(ms for ms, _sql in statements)
        lines.append("=" * 100)
        lines.append(
            f"{row['label']}: median ours {row['ours_ms']:.1f} ms, raw {row['raw_ms']:.1f} ms; "
            f"{len(statements)} statements, {total:.1f} ms in the database"
        )
        for ms, sql in statements:
            lines.append(f"  {ms:8.1f} ms  {sql[:160]}")
        for ms, sql in sorted(statements, reverse=True)[:3]:
            if ms < 5 or not sql.startswith("SELECT") or sql.startswith("SELECT set_config"):
                continue  # an EXPLAIN asked by the search itself, or a planner setting
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(line for (line,) in cursor.fetchall())
            lines.append("-" * 100)
            lines.append(f"{ms:.1f} ms: {sql}")
            lines.append(plan)
    EXPLAIN_PATH.write_text("\n".join(lines) + "\n")
    log(f"[postgresql] statements and plans of {len(slow)} queries written to {EXPLAIN_PATH}")
    return True


if __name__ == "__main__":
    main()
