#!/usr/bin/env python
"""Build, update and validate the Vietnamese override catalogs for Wagtail's admin.

Wagtail only ships a small, partly inconsistent Vietnamese translation. This
project keeps a complete override in ``locale-wagtail/vi/LC_MESSAGES/``:

* ``django.po``   – msgids of the Wagtail apps listed in ``DJANGO_APPS``
* ``djangojs.po`` – msgids of ``wagtail/admin``'s ``djangojs.po``

The msgids are collected from Wagtail's *English* catalogs (the complete list
of source strings), deduplicated on ``(msgctxt, msgid)``. Translations come from

1. the existing override catalogs themselves (the source of truth), and
2. optionally one or more JSON files given with ``--translations``; each is
   ``{"django": [[msgctxt, msgid, msgstr], ...], "djangojs": [...]}``
   and takes precedence over (1).

Usage (run with the project's virtualenv so that ``wagtail`` is importable)::

    .venv/bin/python scripts/wagtail_vi_build.py            # re-merge + validate
    .venv/bin/python scripts/wagtail_vi_build.py --check    # validate only
    .venv/bin/python scripts/wagtail_vi_build.py --translations extra.json

After upgrading Wagtail, run it without arguments: new msgids are added with an
empty msgstr and listed, msgids that Wagtail dropped are removed. Translate the
listed entries (in the .po file or through a JSON file) and run it again.

Validation (also run after every build): every msgstr keeps exactly the
placeholders (``%(name)s``, ``%s``, ``%d``, ``{name}``) and HTML tag names of
its msgid (of msgid_plural for plural entries), keeps its leading/trailing
whitespace, is NFC-normalised and uses the "hòa/thủy" tone-mark placement;
then ``msgfmt --check --statistics`` is run when GNU gettext is available.
Exit status is non-zero on any problem or untranslated entry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = PROJECT_DIR / "locale-wagtail" / "vi" / "LC_MESSAGES"

# Wagtail apps whose django.po msgids go into the override ("" = wagtail core).
DJANGO_APPS = [
    "",
    "admin",
    "images",
    "documents",
    "users",
    "snippets",
    "search",
    "sites",
    "embeds",
    "contrib/settings",
    "contrib/redirects",
    "contrib/forms",
]
JS_APPS = ["admin"]

HEADER = {
    "Project-Id-Version": "Wagtail (Vietnamese override)",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Project maintainers",
    "Language-Team": "Vietnamese",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

PLACEHOLDER_RE = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|%%|\{[A-Za-z0-9_]*\}")
TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
# Old-style tone placement (hoà, khoá, tuỳ, huỷ) at the end of a syllable.
# "quý"/"quỳ" are correct in both styles and are excluded.
OLD_TONE_RE = re.compile(r"(?i)(?<!q)(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![a-zà-ỹ])")


def wagtail_dir() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def collect(domain: str) -> list[polib.POEntry]:
    """Return deduplicated template entries (msgstr empty) for a domain."""
    base = wagtail_dir()
    apps = DJANGO_APPS if domain == "django" else JS_APPS
    entries: list[polib.POEntry] = []
    seen: dict[tuple, polib.POEntry] = {}
    for app in apps:
        path = base / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            print(f"warning: {path} not found", file=sys.stderr)
            continue
        for src in polib.pofile(str(path)):
            if src.obsolete:
                continue
            key = (src.msgctxt, src.msgid)
            if key in seen:
                if src.msgid_plural and not seen[key].msgid_plural:
                    seen[key].msgid_plural = src.msgid_plural
                    seen[key].msgstr_plural = {0: ""}
                    seen[key].msgstr = ""
                continue
            entry = polib.POEntry(
                msgctxt=src.msgctxt,
                msgid=src.msgid,
                msgid_plural=src.msgid_plural or "",
                flags=[f for f in src.flags if f.endswith("-format")],
            )
            if src.msgid_plural:
                entry.msgstr_plural = {0: ""}
            seen[key] = entry
            entries.append(entry)
    return entries


def fix_whitespace(msgid: str, msgstr: str) -> str:
    """Give msgstr exactly the leading/trailing whitespace of msgid."""
    if not msgstr:
        return msgstr
    lead = msgid[: len(msgid) - len(msgid.lstrip())]
    trail = msgid[len(msgid.rstrip()) :]
    return lead + msgstr.strip() + trail


def get_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") or ""
    return entry.msgstr or ""


def set_msgstr(entry: polib.POEntry, value: str) -> None:
    value = unicodedata.normalize("NFC", fix_whitespace(entry.msgid, value))
    if entry.msgid_plural:
        entry.msgstr_plural = {0: value}
    else:
        entry.msgstr = value


def load_existing(path: Path) -> tuple[dict, dict]:
    if not path.exists():
        return {}, {}
    po = polib.pofile(str(path))
    found = {}
    for e in po:
        if e.obsolete or "fuzzy" in e.flags:
            continue
        value = get_msgstr(e)
        if value:
            found[(e.msgctxt, e.msgid)] = value
    return found, dict(po.metadata)


def load_json(paths: list[str], domain: str) -> dict:
    found = {}
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8"))
        for ctx, msgid, msgstr in data.get(domain, []):
            if msgstr:
                found[(ctx or None, msgid)] = msgstr
    return found


def validate(path: Path) -> list[str]:
    problems = []
    po = polib.pofile(str(path))
    for e in po:
        if e.obsolete:
            continue
        value = get_msgstr(e)
        label = f"{path.name}: {e.msgid[:60]!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{label}: fuzzy")
        if not value:
            problems.append(f"{label}: untranslated")
            continue
        refs = [e.msgid] + ([e.msgid_plural] if e.msgid_plural else [])
        got = sorted(PLACEHOLDER_RE.findall(value))
        if not any(sorted(PLACEHOLDER_RE.findall(r)) == got for r in refs[::-1]):
            problems.append(f"{label}: placeholders differ: {got}")
        if sorted(TAG_RE.findall(value)) != sorted(TAG_RE.findall(e.msgid)):
            problems.append(f"{label}: HTML tags differ")
        if fix_whitespace(e.msgid, value) != value:
            problems.append(f"{label}: leading/trailing whitespace differs")
        if not unicodedata.is_normalized("NFC", value):
            problems.append(f"{label}: not NFC")
        m = OLD_TONE_RE.search(value)
        if m:
            problems.append(f"{label}: old-style tone mark {m.group(0)!r}")
    meta = po.metadata
    if meta.get("Language") != "vi" or "charset=UTF-8" not in meta.get("Content-Type", ""):
        problems.append(f"{path.name}: bad header")
    if meta.get("Plural-Forms") != HEADER["Plural-Forms"]:
        problems.append(f"{path.name}: bad Plural-Forms")
    if shutil.which("msgfmt"):
        res = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        print(f"{path.name}: {res.stderr.strip()}")
        if res.returncode != 0:
            problems.append(f"{path.name}: msgfmt failed")
    return problems


def _signature(po: polib.POFile) -> list[tuple]:
    """Content of a catalog, ignoring dates and formatting."""
    return [(e.msgctxt, e.msgid, e.msgid_plural, get_msgstr(e), sorted(e.flags)) for e in po if not e.obsolete]


def build(domain: str, json_paths: list[str]) -> list[str]:
    out_path = OUT_DIR / f"{domain}.po"
    existing, old_meta = load_existing(out_path)
    extra = load_json(json_paths, domain)
    entries = collect(domain)
    missing = []
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        value = extra.get(key) or existing.get(key)
        if value:
            set_msgstr(entry, value)
        else:
            missing.append(entry.msgid)
    po = polib.POFile(wrapwidth=79)
    po.metadata = dict(HEADER)
    po.metadata["POT-Creation-Date"] = old_meta.get("POT-Creation-Date") or (
        dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    )
    po.metadata["PO-Revision-Date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    po.header = (
        "Vietnamese override translations for Wagtail's admin.\n"
        "Generated by scripts/wagtail_vi_build.py; msgids from Wagtail's English catalogs."
    )
    po.extend(entries)
    new_text = str(po)
    if out_path.exists() and _signature(polib.pofile(str(out_path))) == _signature(po):
        print(f"{out_path}: unchanged ({len(entries)} entries)")
        return missing
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(new_text, encoding="utf-8")
    print(f"{out_path}: wrote {len(entries)} entries, {len(missing)} untranslated")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="validate only")
    parser.add_argument(
        "--translations",
        action="append",
        default=[],
        metavar="JSON",
        help="extra translations (takes precedence over the existing catalogs)",
    )
    args = parser.parse_args()
    problems: list[str] = []
    for domain in ("django", "djangojs"):
        if not args.check:
            for msgid in build(domain, args.translations):
                print(f"  untranslated [{domain}]: {msgid!r}")
        problems += validate(OUT_DIR / f"{domain}.po")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
