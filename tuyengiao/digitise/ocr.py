"""Tesseract, called as a program: one run per page gives the text, the word confidences and a PDF layer; a
quicker run before it (orientation and script detection, OSD) says whether the page lies sideways or upside down.

Tesseract's own OpenMP threads make it several times slower on a small machine (they spin against each
other), so each run is limited to one thread and the pipeline runs pages side by side instead.
"""

import csv
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tuyengiao.core.text import nfc

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300  # seconds for one page


class OcrError(Exception):
    """Tesseract failed or ran out of time on a page."""


@dataclass
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence 0..100; None when no word was found
    pdf: Path  # a one-page PDF: the page image with invisible text, or the invisible text alone


@dataclass
class Orientation:
    rotate: int  # degrees to turn the page clockwise to make it upright: 0, 90, 180 or 270
    confidence: float  # Tesseract's orientation confidence: about 2 is a guess, 15 and more a sure answer


def tesseract_path() -> str:
    return getattr(settings, "DIGITISE_TESSERACT", None) or shutil.which("tesseract") or "/usr/bin/tesseract"


def tesseract_env() -> dict:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_image(
    image: Path, base: Path, *, dpi: int = 300, text_only_pdf: bool = False, language: str | None = None
) -> OcrResult:
    """OCR the image file `image` into `base`.txt, .tsv and .pdf.

    With `text_only_pdf` the PDF holds only the invisible text, to lay over the original page.
    """
    language = language or getattr(settings, "DIGITISE_OCR_LANGUAGE", "vie")
    timeout = getattr(settings, "DIGITISE_OCR_TIMEOUT", DEFAULT_TIMEOUT)
    command = [tesseract_path(), str(image), str(base), "-l", language, "--dpi", str(dpi)]
    if text_only_pdf:
        command += ["-c", "textonly_pdf=1"]
    command += ["txt", "pdf", "tsv"]
    try:
        completed = subprocess.run(  # noqa: S603 (fixed program, our own file names)
            command, env=tesseract_env(), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError(f"tesseract timed out after {timeout} s") from error
    except OSError as error:
        raise OcrError(f"tesseract could not be started: {error}") from error
    pdf = base.with_suffix(".pdf")
    if completed.returncode != 0 or not pdf.exists():
        raise OcrError(f"tesseract exited with {completed.returncode}: {completed.stderr[-500:]!r}")
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    return OcrResult(text=ocr_text_clean(text), confidence=tsv_confidence(base.with_suffix(".tsv")), pdf=pdf)


def ocr_text_clean(text: str) -> str:
    """Tesseract's text without its closing form feed and trailing blanks, in NFC."""
    return nfc(text.replace("\f", "")).strip()


def tsv_confidence(path: Path) -> float | None:
    """Mean confidence of the words (level 5 rows with a confidence ≥ 0 and some text) in a tesseract TSV."""
    confidences = []
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            try:
                level, confidence = int(row["level"]), float(row["conf"])
            except (KeyError, TypeError, ValueError):
                continue
            if level == 5 and confidence >= 0 and (row.get("text") or "").strip():
                confidences.append(confidence)
    return round(sum(confidences) / len(confidences), 2) if confidences else None


_ROTATE = re.compile(r"^Rotate:\s*(\d+)\s*$", re.MULTILINE)
_ORIENTATION_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([0-9.]+)\s*$", re.MULTILINE)


def orientation_detect(image: Path, *, dpi: int = 300) -> Orientation | None:
    """How far the page in the image file `image` must be turned to be upright, by Tesseract's OSD.

    None when it cannot tell: too few letters (a blank or nearly blank page), or Tesseract failed. Knowing the
    orientation only helps the reading, so nothing here raises.
    """
    timeout = getattr(settings, "DIGITISE_OCR_TIMEOUT", DEFAULT_TIMEOUT)
    # osd.traineddata comes with Debian's tesseract-ocr (through tesseract-ocr-osd)
    command = [tesseract_path(), str(image), "stdout", "-l", "osd", "--psm", "0", "--dpi", str(dpi)]
    try:
        completed = subprocess.run(  # noqa: S603 (fixed program, our own file names)
            command, env=tesseract_env(), capture_output=True, timeout=timeout, check=False
        )
    except (subprocess.TimeoutExpired, OSError) as error:
        logger.warning("tesseract orientation detection failed: %s", error)
        return None
    output = completed.stdout.decode("utf-8", errors="replace")
    rotate, confidence = _ROTATE.search(output), _ORIENTATION_CONFIDENCE.search(output)
    if completed.returncode != 0 or rotate is None or confidence is None:
        if b"Too few characters" not in completed.stderr:
            logger.warning("tesseract orientation detection failed: %r", completed.stderr[-300:])
        return None
    degrees = int(rotate.group(1)) % 360
    if degrees not in (0, 90, 180, 270):
        return None
    return Orientation(rotate=degrees, confidence=float(confidence.group(1)))
