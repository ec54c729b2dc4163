"""The public registration form: only the fields the contest asks for. The engine checks the values
(services._registration_clean); the form lays them out, marks what is required and shows the engine's
problems next to each field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuyengiao.contests.models import REGISTRATION_FIELDS, FieldRule
from tuyengiao.orgs.selectors import unit_list

LABELS = {
    "full_name": _("Full name"),
    "birth_year": _("Year of birth"),
    "phone": _("Mobile phone number"),
    "cccd": _("Citizen ID (CCCD)"),
    "unit": _("Unit"),
    "occupation": _("Occupation"),
    "address": _("Address"),
}
HELP = {
    "phone": _("10 digits, for example 0912345678."),
    "cccd": _("12 digits, as printed on the card."),
}
WIDGET_ATTRS = {
    "full_name": {"autocomplete": "name", "maxlength": "120"},
    "birth_year": {"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": "4"},
    "phone": {"type": "tel", "inputmode": "tel", "autocomplete": "tel", "maxlength": "20"},
    "cccd": {"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"},
    "occupation": {"maxlength": "120"},
    "address": {"autocomplete": "street-address", "maxlength": "255"},
}
CHOICE_ERRORS = {"invalid_choice": _("Choose your unit from the list.")}


def unit_choices() -> list[tuple[str, str]]:
    """Current units in tree order, indented by depth (non-breaking spaces survive in an <option>)."""
    units = unit_list(on=timezone.localdate())
    return [(unit.code, "\u00a0\u00a0\u00a0" * unit.depth + unit.name) for unit in units]


class RegistrationForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that my details are used only to run this contest and to announce its results; "
            "my phone number and citizen ID are never published."
        ),
        required=True,
        error_messages={"required": _("Please agree to the use of your details before you start.")},
    )

    def __init__(self, contest, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = contest.registration or {}
        consent = self.fields.pop("consent")
        for name in REGISTRATION_FIELDS:
            rule = rules.get(name, FieldRule.OFF)
            if rule == FieldRule.OFF:
                continue
            required = rule == FieldRule.REQUIRED
            if name == "unit":
                field = forms.ChoiceField(
                    label=LABELS[name],
                    choices=[("", _("— Choose your unit —")), *unit_choices()],
                    required=required,
                    error_messages=CHOICE_ERRORS,
                )
            else:
                field = forms.CharField(
                    label=LABELS[name],
                    required=required,
                    max_length=255,
                    help_text=HELP.get(name, ""),
                    widget=forms.TextInput(attrs=WIDGET_ATTRS.get(name, {})),
                )
            self.fields[name] = field
        self.fields["consent"] = consent

    def registration_data(self) -> dict:
        """What the engine takes: the asked-for fields as typed (the engine cleans them)."""
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name != "consent"}

    def add_engine_problems(self, error) -> None:
        """The engine's problems (ContestError.details) next to their fields; the rest above the form."""
        placed = False
        for detail in error.details:
            field = detail.get("field")
            if field in self.fields:
                self.add_error(field, detail.get("problem", ""))
                placed = True
        if not placed:
            self.add_error(None, error.message)
