import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

PHONE = re.compile(r"^(\+?84|0)[35789]\d{8}$")


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    contact = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=120,
        help_text=_("Not published; the editors may use it to reply."),
    )
    message = forms.CharField(label=_("Your feedback"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        digits = re.sub(r"[\s.\-()]", "", contact)
        if PHONE.match(digits):
            return digits
        try:
            validate_email(contact)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Write an e-mail address (ten@example.com) or a Vietnamese phone number (0912 345 678).")
            ) from None
        return contact
