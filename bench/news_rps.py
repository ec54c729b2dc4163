"""Anonymous requests per second for the home page and an article, against a minimal Django view.

Both are served by gunicorn (2 workers, production settings) on the PostgreSQL and Redis of this machine,
measured in the same run with the same load, and printed with their ratio (goal: 0.5 or more).

    .venv/bin/python bench/news_rps.py [--seconds 8] [--concurrency 8]

It creates (and afterwards drops) the database `tuyengiao_bench`.
"""

import argparse
import http.client
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "tuyengiao_bench"
ARTICLE = "/tuyen-giao-cac-cap/nganh-tuyen-giao-ha-giang-no-luc-hoan-thanh-tot-nhiem-vu-quy-iii/"


def environment(static_root: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_HTTPS": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "CACHE_KEY_PREFIX": "bench",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def manage(env, *args) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def gunicorn(env, app: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", app],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def load(port: int, path: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests per second over keep-alive connections; also counts non-200 answers."""
    stop = time.monotonic() + seconds
    counts = [0] * concurrency
    errors = [0] * concurrency

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
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
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="tuyengiao-bench-static-")
    env = environment(static_root)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    processes = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        manage(env, "compile_translations")
        processes.append(gunicorn(env, "config.wsgi", 8091))
        processes.append(gunicorn(env, "bench.minimal_wsgi", 8092))
        for port, path in ((8091, "/"), (8091, ARTICLE), (8092, "/minimal/")):
            load(port, path, 1.0, options.concurrency)  # warm up
        results = {
            "minimal view": load(8092, "/minimal/", options.seconds, options.concurrency),
            "home page": load(8091, "/", options.seconds, options.concurrency),
            "article": load(8091, ARTICLE, options.seconds, options.concurrency),
        }
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    clients = f"{options.concurrency} keep-alive clients, {options.seconds:.0f} s each"
    print(f"gunicorn 2 workers, PostgreSQL + Redis, {clients}")
    baseline = results["minimal view"][0]
    for name, (rps, errors) in results.items():
        print(f"{name:13} {rps:8.1f} req/s  ratio to minimal view {rps / baseline:5.2f}  (non-200: {errors})")


if __name__ == "__main__":
    main()
