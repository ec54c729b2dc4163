"""What the contest benchmarks share: psql and manage.py against this machine's PostgreSQL, and a child Python with
Django set up that reports one JSON result."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


def psql(sql: str, database: str = "postgres", timeout: float = 600) -> str:
    result = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.stdout.strip()


def manage(env, *args, timeout: float = 900) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def child(env, code: str, *args: str, timeout: float = 3600) -> dict:
    """Run `code` in a fresh Python with Django set up; it prints one line `RESULT <json>`."""
    result = subprocess.run(
        [PYTHON, "-c", "import django, sys; django.setup(); exec(sys.stdin.read())", *args],
        input=code,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"child failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
