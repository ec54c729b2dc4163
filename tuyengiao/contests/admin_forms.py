"""Forms of the contests' back office: a contest, a round, a question with its options, the bank import,
and the disqualification of an entry."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tuyengiao.accounts.permissions import scope, units_for
from tuyengiao.contests.imports import LETTERS, options_check
from tuyengiao.contests.models import REGISTRATION_FIELDS, Contest, FieldRule, Prize, Question, Round, TieBreak
from tuyengiao.orgs.models import Unit

REGISTRATION_LABELS = {
    "full_name": _("Full name"),
    "birth_year": _("Birth year"),
    "phone": _("Phone"),
    "cccd": _("Citizen ID (CCCD)"),
    "unit": _("Unit"),
    "occupation": _("Occupation"),
    "address": _("Address"),
}
OPTION_SLOTS = 8  # options A–H in the question form


class ContestForm(WagtailAdminModelForm):
    """A contest of one of the user's units; the registration fields as one select each, the tie-break
    chain as an ordered list of selects."""

    class Meta:
        model = Contest
        fields = [
            "title",
            "slug",
            "unit",
            "rules",
            "cover",
            "audience",
            "roster_units",
            "show_answers",
            "is_training_test",
            "pass_score_percent",
            "published",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = units_for(for_user, "contests.add_contest").tree_order()
        self.fields["roster_units"].queryset = Unit.objects.current().tree_order()
        self.fields["roster_units"].required = False
        self.fields["pass_score_percent"].required = False  # only a training test uses it; empty keeps the default
        registration = self.instance.registration or {}
        for name in REGISTRATION_FIELDS:
            self.fields[f"registration_{name}"] = forms.ChoiceField(
                label=REGISTRATION_LABELS[name],
                choices=FieldRule.choices,
                initial=registration.get(name, FieldRule.OFF),
                help_text=_("Registration field") if name == REGISTRATION_FIELDS[0] else "",
            )
        chain = list(self.instance.tie_breaks or [])
        for index in range(len(TieBreak.choices)):
            self.fields[f"tie_break_{index + 1}"] = forms.ChoiceField(
                label=_("Tie-break %(number)s") % {"number": index + 1},
                choices=[("", "—"), *TieBreak.choices],
                required=index == 0,
                initial=chain[index] if index < len(chain) else "",
            )

    def clean_pass_score_percent(self):
        value = self.cleaned_data.get("pass_score_percent")
        return Contest._meta.get_field("pass_score_percent").default if value is None else value

    def clean(self):
        data = super().clean()
        chain = [data.get(f"tie_break_{index + 1}") for index in range(len(TieBreak.choices))]
        chain = [item for item in chain if item]
        if len(set(chain)) != len(chain):
            self.add_error(None, _("Each tie-break rule may appear only once."))
        data["tie_breaks"] = chain
        data["registration"] = {name: data.get(f"registration_{name}", FieldRule.OFF) for name in REGISTRATION_FIELDS}
        if data.get("audience") == "roster" and not data.get("roster_units"):
            self.add_error("roster_units", _("Choose the units of the roster."))
        return data

    def save(self, commit=True):
        self.instance.registration = self.cleaned_data["registration"]
        self.instance.tie_breaks = self.cleaned_data["tie_breaks"]
        return super().save(commit=commit)


def quotas_parse(text: str) -> dict[str, int]:
    """ "27-NQ/TW: 10" lines into {"27-NQ/TW": 10}; raises ValueError with the bad line."""
    quotas: dict[str, int] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = re.match(r"^\s*(.+?)\s*:\s*(\d+)\s*$", line)
        if not match:
            raise ValueError(line.strip())
        quotas[match.group(1)] = int(match.group(2))
    return quotas


def quotas_format(quotas: dict) -> str:
    return "\n".join(f"{topic}: {count}" for topic, count in (quotas or {}).items())


class RoundForm(WagtailAdminModelForm):
    quotas_text = forms.CharField(
        label=_("Questions per topic"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per topic, e.g. “27-NQ/TW: 10”. Leave empty to draw from the whole bank."),
    )

    class Meta:
        model = Round
        fields = [
            "contest",
            "number",
            "title",
            "opens_at",
            "closes_at",
            "question_count",
            "shuffle_options",
            "time_limit",
            "attempts_allowed",
            "counted_attempt",
            "prediction_question",
            "prediction_counts",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["contest"].queryset = scope(Contest.objects.all(), for_user, "contests.change_contest")
        self.fields["quotas_text"].initial = quotas_format(self.instance.quotas)
        self.fields["opens_at"].help_text = _("Vietnam time (UTC+7).")
        self.fields["closes_at"].help_text = _("Vietnam time (UTC+7).")

    def clean_quotas_text(self):
        try:
            return quotas_parse(self.cleaned_data.get("quotas_text", ""))
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(line)s” is not of the form “topic: number”.") % {"line": error.args[0]}
            ) from error

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The round must close after it opens."))
        contest, number = data.get("contest"), data.get("number")
        if contest and number and Round.objects.filter(contest=contest, number=number).exclude(pk=self.instance.pk):
            self.add_error("number", _("This contest already has a round with this number."))
        return data

    def save(self, commit=True):
        self.instance.quotas = self.cleaned_data["quotas_text"]
        return super().save(commit=commit)


class QuestionForm(WagtailAdminModelForm):
    """A question and its options (A, B, …), each with a correct flag, checked for its kind."""

    class Meta:
        model = Question
        fields = ["contest", "text", "kind", "topic", "difficulty", "explanation", "image"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "explanation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["contest"].queryset = scope(Contest.objects.all(), for_user, "contests.change_contest")
        existing = list(self.instance.options.all()) if self.instance.pk else []
        for index, letter in enumerate(LETTERS[:OPTION_SLOTS]):
            option = existing[index] if index < len(existing) else None
            self.fields[f"option_{letter}"] = forms.CharField(
                label=_("Option %(letter)s") % {"letter": letter},
                max_length=500,
                required=False,
                initial=option.text if option else "",
            )
            self.fields[f"correct_{letter}"] = forms.BooleanField(
                label=_("%(letter)s is correct") % {"letter": letter},
                required=False,
                initial=option.correct if option else False,
            )

    def clean(self):
        data = super().clean()
        options = [
            (data[f"option_{letter}"].strip(), bool(data.get(f"correct_{letter}")))
            for letter in LETTERS[:OPTION_SLOTS]
            if (data.get(f"option_{letter}") or "").strip()
        ]
        for letter in LETTERS[:OPTION_SLOTS]:
            if data.get(f"correct_{letter}") and not (data.get(f"option_{letter}") or "").strip():
                self.add_error(f"option_{letter}", _("An option marked correct needs its text."))
        if data.get("kind"):
            for problem in options_check(data["kind"], options):
                self.add_error(None, problem[:1].upper() + problem[1:])
        data["options"] = options
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Question bank (XLSX or CSV)"),
        help_text=_("The columns of the template: question, kind, A, B, C, D, E, correct, topic, difficulty."),
    )


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.TextInput())


class PrizeForm(WagtailAdminModelForm):
    """A prize of a round of one of the user's contests."""

    class Meta:
        model = Prize
        fields = ["round", "kind", "label", "count", "order"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        contests = scope(Contest.objects.all(), for_user, "contests.change_contest")
        self.fields["round"].queryset = Round.objects.filter(contest__in=contests).select_related("contest")
        self.fields["round"].label_from_instance = lambda round_: f"{round_.contest} – {round_}"


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (XLSX or CSV)"),
        help_text=_("The columns: full name, citizen ID (CCCD), phone, unit code, class."),
    )
