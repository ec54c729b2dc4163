from django import forms
from django.utils.translation import gettext_lazy as _


class PageProofreadForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the page"),
        required=False,
        strip=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "lang": "vi", "class": "digitise-text"}),
        help_text=_("Correct the text so that it matches the page image. The machine-read text is kept."),
    )
