"""Online quiz contests and tests after training classes: one engine.

A contest (organised by a unit) has rounds with open and close times, a question bank, and participants who
register once per contest (one CCCD or one phone number is one person). Each attempt draws its questions when
it starts; its answers are kept on the attempt row itself (one write per save), and it is scored once, on the
server's clock.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.files import private_storage


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    USERS = "users", _("Signed-in users")
    ROSTER = "roster", _("People on the roster")


class FieldRule(models.TextChoices):
    OFF = "off", _("Not asked")
    OPTIONAL = "on", _("Optional")
    REQUIRED = "required", _("Required")


# The registration fields a contest may ask for, in the order of the form.
REGISTRATION_FIELDS = ("full_name", "birth_year", "phone", "cccd", "unit", "occupation", "address")
DEFAULT_REGISTRATION = {
    "full_name": FieldRule.REQUIRED,
    "birth_year": FieldRule.OPTIONAL,
    "phone": FieldRule.REQUIRED,
    "cccd": FieldRule.OPTIONAL,
    "unit": FieldRule.REQUIRED,
    "occupation": FieldRule.OPTIONAL,
    "address": FieldRule.OFF,
}


class TieBreak(models.TextChoices):
    SCORE = "score", _("Higher score")
    PREDICTION = "prediction", _("Closer prediction")
    TIME = "time", _("Less time taken")
    SUBMITTED = "submitted", _("Earlier submission")


DEFAULT_TIE_BREAKS = [TieBreak.SCORE, TieBreak.PREDICTION, TieBreak.TIME, TieBreak.SUBMITTED]


def default_registration():
    return dict(DEFAULT_REGISTRATION)


def default_tie_breaks():
    return [str(item) for item in DEFAULT_TIE_BREAKS]


class Contest(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="contests"
    )
    rules = models.TextField(_("rules"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True, on_delete=models.SET_NULL
    )
    audience = models.CharField(
        _("who may take part"), max_length=16, choices=Audience.choices, default=Audience.ANYONE
    )
    roster_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("units of the roster"), blank=True, related_name="+"
    )
    registration = models.JSONField(_("registration fields"), default=default_registration)
    tie_breaks = models.JSONField(_("tie-break order"), default=default_tie_breaks)
    show_answers = models.BooleanField(_("show the correct answers after a round closes"), default=True)
    is_training_test = models.BooleanField(_("test after a training class"), default=False)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped whenever a question or option of the contest changes: the key of the cached bank (selectors.bank).
    bank_version = models.PositiveIntegerField(default=1, editable=False)
    # A test after a training class: the share of the questions a learner must answer right to pass.
    pass_score_percent = models.PositiveSmallIntegerField(
        _("pass mark (% of the questions)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For a test after a training class: the share of right answers needed to pass."),
    )

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class RosterEntry(models.Model):
    """Someone eligible for a roster contest (or a learner of a class): by CCCD or phone."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="roster")
    full_name = models.CharField(_("full name"), max_length=120)
    cccd = models.CharField(_("citizen ID"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("class"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")

    def __str__(self):
        return self.full_name


class CountedAttempt(models.TextChoices):
    BEST = "best", _("The best attempt")
    FIRST = "first", _("The first attempt")
    LAST = "last", _("The last attempt")


class PredictionCount(models.TextChoices):
    PEOPLE = "people", _("People who took part")
    ENTRIES = "entries", _("Entries submitted")


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round number"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    question_count = models.PositiveSmallIntegerField(_("questions per attempt"), default=20)
    quotas = models.JSONField(
        _("questions per topic"), default=dict, blank=True, help_text=_('For example {"27-NQ/TW": 10, "19-CT/TW": 5}.')
    )
    fixed_questions = models.ManyToManyField(
        "Question", verbose_name=_("fixed set of questions"), blank=True, related_name="+"
    )
    shuffle_options = models.BooleanField(_("shuffle the options"), default=True)
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=900)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts per person"), default=1)
    counted_attempt = models.CharField(
        _("attempt that counts"), max_length=8, choices=CountedAttempt.choices, default=CountedAttempt.BEST
    )
    prediction_question = models.CharField(_("prediction question"), max_length=255, blank=True)
    prediction_counts = models.CharField(
        _("the prediction counts"), max_length=8, choices=PredictionCount.choices, default=PredictionCount.ENTRIES
    )
    prediction_answer = models.BigIntegerField(_("frozen count"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contests_round_number"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="contests_round_dates"),
        ]

    def __str__(self):
        return self.title or _("Round %(number)s") % {"number": self.number}

    @property
    def unit(self):
        return self.contest.unit


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    topic = models.CharField(_("topic or source document"), max_length=120, blank=True, db_index=True)
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    explanation = models.TextField(_("explanation"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["contest", "order", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def unit(self):
        return self.contest.unit


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.text


class Participant(models.Model):
    """A person in one contest. CCCD and phone are personal data: shown only to the organisers."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    cccd = models.CharField(_("citizen ID"), max_length=12, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "cccd"], condition=~models.Q(cccd=""), name="contests_one_person_per_cccd"
            ),
            models.UniqueConstraint(
                fields=["contest", "phone"], condition=~models.Q(phone=""), name="contests_one_person_per_phone"
            ),
        ]

    def __str__(self):
        return self.full_name


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Closed at the time limit")


class Attempt(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    token_hash = models.CharField(max_length=64, unique=True)
    # [[question id, [option ids in the order shown]], …] as drawn at the start
    paper = models.JSONField(default=list)
    answers = models.JSONField(default=dict)  # {question id: [option ids]} as last saved
    prediction = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    time_ms = models.PositiveIntegerField(null=True, blank=True)
    correct_questions = models.JSONField(default=list)  # ids answered right (for the facility index)
    counts = models.BooleanField(default=False)  # the participant's attempt that counts in this round
    disqualified_reason = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=64, blank=True)  # a hash of what the browser tells about itself

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["round", "counts", "-score", "time_ms"], name="contests_attempt_ranking"),
            models.Index(fields=["round", "participant"], name="contests_attempt_person"),
            models.Index(fields=["round", "started_at"], name="contests_attempt_started"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.round}"


class Refusal(models.Model):
    """A request refused for bad input or abuse, counted on the dashboard."""

    class Kind(models.TextChoices):
        FOREIGN_ANSWER = "foreign_answer", _("Answer to a question not in the attempt")
        LATE = "late", _("Submitted after the time limit")
        RESUBMIT = "resubmit", _("Submitted twice")
        BAD_TOKEN = "bad_token", _("Wrong or replayed token")
        BAD_PREDICTION = "bad_prediction", _("Impossible prediction")
        BAD_REGISTRATION = "bad_registration", _("Invalid registration")
        DUPLICATE = "duplicate", _("Duplicate registration")
        TOO_MANY_STARTS = "too_many_starts", _("Too many starts from one address")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="refusals")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["contest", "kind"], name="contests_refusal_kind")]

    def __str__(self):
        return self.get_kind_display()


class PrizeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective (by unit)")


class Prize(models.Model):
    """A prize of a round: `count` winners of one kind ("Giải Nhất", 1), awarded down the ranking in `order`."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="prizes")
    kind = models.CharField(_("kind"), max_length=16, choices=PrizeKind.choices, default=PrizeKind.INDIVIDUAL)
    label = models.CharField(_("prize"), max_length=120, help_text=_("For example “Giải Nhất”."))
    count = models.PositiveSmallIntegerField(
        _("number of prizes"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Prizes of a kind are awarded down the ranking in this order.")
    )

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["round", "kind", "order", "id"]

    def __str__(self):
        return self.label

    @property
    def unit(self):
        return self.round.contest.unit


class ExportRun(models.Model):
    """A file built in the background for the organiser who asked: the XLSX of all entries of a contest (or of one
    round), or the PDF of a round's certificates. Its file is private: served by a view that checks access."""

    class Kind(models.TextChoices):
        ENTRIES = "entries", _("All entries (XLSX)")
        CERTIFICATES = "certificates", _("Certificates (PDF)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="exports")
    round = models.ForeignKey(
        Round, verbose_name=_("round"), null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ENTRIES)
    options = models.JSONField(default=dict, blank=True)  # certificates: {"top": 10} or {"min_score": 15}
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=255, blank=True, upload_to="contests/exports/%Y/%m/", storage=private_storage)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.contest} ({self.rows_done}/{self.rows_total})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return 0 if not self.rows_total else min(100, int(100 * self.rows_done / self.rows_total))


class Certificate(models.Model):
    """A winner's certificate. Its code is random and unguessable; the QR code on the paper opens the public
    page that verifies it (/cuoc-thi/chung-nhan/<code>/)."""

    attempt = models.OneToOneField(
        Attempt, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    rank = models.PositiveIntegerField(_("rank"))
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["attempt__round", "rank"]

    def __str__(self):
        return self.code
