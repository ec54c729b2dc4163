"""A contest's question bank as a spreadsheet: read (CSV or XLSX), check every row, import, export.

Columns: question, kind, A, B, C, D, E (more letters allowed), correct ("B" or "A,C"), topic, difficulty,
explanation; English keys or the Vietnamese headers of the template. Every row is checked first (the
preview); nothing is stored until the organiser confirms, and then only the rows without problems. The
export writes the same columns, so a bank exported and imported again is the same bank.
"""

import io
import re
import string
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tuyengiao.contests.models import Contest, Difficulty, Option, Question, QuestionKind
from tuyengiao.contests.services import bank_changed
from tuyengiao.core.services import audit_record
from tuyengiao.core.tabular import TableError, choices_lookup, header_map, table_read
from tuyengiao.core.text import fold, nfc

LETTERS = string.ascii_uppercase[:10]  # options A–J
MAX_ROWS = 5_000
COLUMNS = {
    "question": ["câu hỏi", "nội dung câu hỏi", "text"],
    "kind": ["loại", "loại câu hỏi", "kiểu"],
    **{letter: [f"đáp án {letter}", f"phương án {letter}", f"option {letter}"] for letter in LETTERS},
    "correct": ["đáp án đúng", "đáp án", "đúng"],
    "topic": ["chủ đề", "văn bản", "nguồn", "chủ đề/văn bản"],
    "difficulty": ["độ khó", "mức độ"],
    "explanation": ["giải thích", "giải thích đáp án"],
}
TEMPLATE_HEADERS = {
    "question": "Câu hỏi",
    "kind": "Loại",
    **{letter: letter for letter in LETTERS[:5]},
    "correct": "Đáp án đúng",
    "topic": "Chủ đề",
    "difficulty": "Độ khó",
    "explanation": "Giải thích",
}
# What people write in the kind and difficulty columns (folded), whatever the interface language.
KIND_WORDS = {
    "mot dap an": QuestionKind.SINGLE,
    "mot lua chon": QuestionKind.SINGLE,
    "nhieu dap an": QuestionKind.MULTIPLE,
    "nhieu lua chon": QuestionKind.MULTIPLE,
    "dung/sai": QuestionKind.TRUE_FALSE,
    "dung sai": QuestionKind.TRUE_FALSE,
    "true/false": QuestionKind.TRUE_FALSE,
}
KIND_LABELS = {
    QuestionKind.SINGLE: "Một đáp án",
    QuestionKind.MULTIPLE: "Nhiều đáp án",
    QuestionKind.TRUE_FALSE: "Đúng/Sai",
}
DIFFICULTY_WORDS = {"de": Difficulty.EASY, "trung binh": Difficulty.MEDIUM, "kho": Difficulty.HARD}


class QuestionImportError(TableError):
    code = "invalid_question_import"


@dataclass
class QuestionRow:
    line: int
    values: dict
    options: list[tuple[str, bool]] = field(default_factory=list)  # (text, correct) in letter order
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def options_check(kind: str, options: list[tuple[str, bool]]) -> list[str]:
    """What is wrong with a question's options for its kind (the admin form says the same)."""
    errors = []
    correct = sum(is_correct for _text, is_correct in options)
    if len(options) < 2:
        errors.append(_("a question needs at least two options."))
    if kind == QuestionKind.MULTIPLE:
        if correct < 1:
            errors.append(_("mark at least one option as correct."))
    elif correct != 1:
        errors.append(_("a single-choice or true/false question needs exactly one correct option."))
    return errors


def questions_read(file) -> list[QuestionRow]:
    """Check every row of a CSV or XLSX question bank (a file, an upload or bytes); each row carries its
    problems (none: it will be imported)."""
    data = file if isinstance(file, bytes) else file.read()
    table = table_read(data)
    if len(table.rows) > MAX_ROWS:
        raise QuestionImportError(_("A file may hold at most %(count)s rows.") % {"count": MAX_ROWS})
    columns = header_map(table, COLUMNS)
    missing = [name for name in ("question", "correct") if name not in columns]
    if missing or not any(letter in columns for letter in LETTERS):
        names = [TEMPLATE_HEADERS[name] for name in missing] or ["A", "B"]
        raise QuestionImportError(
            _("Row %(line)s (headers): the file needs the columns %(columns)s.")
            % {"line": table.header_line, "columns": ", ".join(f"“{name}”" for name in names)}
        )
    kinds = choices_lookup(QuestionKind.choices, KIND_WORDS)
    difficulties = choices_lookup(Difficulty.choices, DIFFICULTY_WORDS)
    letters = [letter for letter in LETTERS if letter in columns]
    rows = []
    for line, cells in table.rows:
        values = {name: nfc(str(cells[index])).strip() if index < len(cells) else "" for name, index in columns.items()}
        row = QuestionRow(line=line, values=values)
        errors = row.errors
        if not values.get("question"):
            errors.append(_("the question is missing."))
        kind_text = values.get("kind", "")
        kind = kinds.get(fold(kind_text)) if kind_text else QuestionKind.SINGLE
        if kind is None:
            errors.append(
                _("“%(value)s” is not a kind of question; write single, multiple or true_false.") % {"value": kind_text}
            )
        values["kind"] = kind
        difficulty_text = values.get("difficulty", "")
        difficulty = difficulties.get(fold(difficulty_text)) if difficulty_text else Difficulty.MEDIUM
        if difficulty is None:
            errors.append(
                _("“%(value)s” is not a difficulty; write easy, medium or hard.") % {"value": difficulty_text}
            )
        values["difficulty"] = difficulty
        correct_letters = [part for part in re.split(r"[\s,;/]+", values.get("correct", "").upper()) if part]
        dangling = [letter for letter in correct_letters if letter not in letters or not values.get(letter)]
        for letter in dangling:
            errors.append(_("the correct answer “%(letter)s” points at an empty option.") % {"letter": letter})
        if not correct_letters:
            errors.append(_("the correct answer is missing."))
        # Options keep their letter: a gap (A, B, D) closes up, and the correct flags follow their options.
        row.options = [(values[letter], letter in correct_letters) for letter in letters if values.get(letter)]
        if not row.options:
            errors.append(_("the row has no options."))
        elif kind is not None and correct_letters and not dangling:
            errors.extend(options_check(kind, row.options))
        for text, _correct in row.options:
            if len(text) > 500:
                errors.append(_("an option is longer than 500 characters."))
                break
        rows.append(row)
    return rows


def question_save(question: Question, options: list[tuple[str, bool]], *, actor=None) -> Question:
    """Store a question with its options (replacing the ones it had), in one transaction."""
    problems = options_check(question.kind, options)
    if problems:
        from tuyengiao.contests.services import ContestError

        raise ContestError(" ".join(problems))
    with transaction.atomic():
        if question.pk is None and not question.order:
            last = Question.objects.filter(contest_id=question.contest_id).aggregate(last=Max("order"))["last"]
            question.order = (last or 0) + 1
        question.save()
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(question=question, text=text, correct=correct, order=index)
            for index, (text, correct) in enumerate(options)
        )
        bank_changed(question.contest_id)  # bulk_create sends no signal
    return question


def questions_import(contest: Contest, rows: list[QuestionRow], *, actor=None, request=None) -> dict:
    """Add the good rows to the contest's bank; returns {"created", "skipped"}."""
    good = [row for row in rows if row.ok]
    with transaction.atomic():
        last = Question.objects.filter(contest=contest).aggregate(last=Max("order"))["last"] or 0
        questions = Question.objects.bulk_create(
            Question(
                contest=contest,
                text=row.values["question"],
                kind=row.values["kind"],
                topic=row.values.get("topic", "")[:120],
                difficulty=row.values["difficulty"],
                explanation=row.values.get("explanation", ""),
                order=last + index,
            )
            for index, row in enumerate(good, start=1)
        )
        if not all(question.pk for question in questions):  # databases that do not return ids (none of ours)
            questions = list(Question.objects.filter(contest=contest, order__gt=last).order_by("order"))
        Option.objects.bulk_create(
            Option(question=question, text=text, correct=correct, order=index)
            for question, row in zip(questions, good, strict=True)
            for index, (text, correct) in enumerate(row.options)
        )
        bank_changed(contest.pk)  # bulk_create sends no signal
        counts = {"created": len(good), "skipped": len(rows) - len(good)}
        audit_record(actor=actor, action="contest.questions_import", obj=contest, changes=counts, request=request)
    return counts


def _workbook(headers: list[str], lines) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    sheet.append(headers)
    for line in lines:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 60
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_xlsx() -> bytes:
    """The import template: the Vietnamese headers and one example of each kind."""
    return _workbook(
        list(TEMPLATE_HEADERS.values()),
        [
            [
                "Nghị quyết 27-NQ/TW được ban hành ngày nào?",
                "Một đáp án",
                "15/10/2007",
                "06/08/2008",
                "05/11/2012",
                "",
                "",
                "B",
                "27-NQ/TW",
                "Dễ",
                "Nghị quyết 27-NQ/TW được ban hành ngày 06/08/2008.",
            ],
            [
                "Những nội dung nào là nhiệm vụ, giải pháp của Nghị quyết 27-NQ/TW?",
                "Nhiều đáp án",
                "Hoàn thiện môi trường, điều kiện cho hoạt động của trí thức",
                "Bãi bỏ chế độ đãi ngộ trí thức",
                "Nâng cao chất lượng đào tạo, bồi dưỡng trí thức",
                "",
                "",
                "A,C",
                "27-NQ/TW",
                "Trung bình",
                "",
            ],
            ["Chỉ thị 17-CT/TW bàn về công tác tuyên truyền miệng.", "Đúng/Sai", "Đúng", "Sai", "", "", "", "A"],
        ],
    )


def questions_export(contest: Contest) -> bytes:
    """The contest's bank as XLSX in the import's columns (as many option columns as the longest question)."""
    questions = list(Question.objects.filter(contest=contest).prefetch_related("options").order_by("order", "id"))
    width = max([5, *(len(question.options.all()) for question in questions)])
    letters = LETTERS[:width]
    headers = ["question", "kind", *letters, "correct", "topic", "difficulty", "explanation"]
    lines = []
    for question in questions:
        options = list(question.options.all())
        cells = [option.text for option in options] + [""] * (width - len(options))
        correct = ",".join(letters[index] for index, option in enumerate(options) if option.correct)
        lines.append(
            [question.text, question.kind, *cells, correct, question.topic, question.difficulty, question.explanation]
        )
    return _workbook(headers, lines)
