"""The public page that verifies a certificate: the QR code printed on it opens this page. It shows the name,
the contest, the round, the rank and the score, never anything else the participant registered with."""

from django.shortcuts import render

from tuyengiao.contests.models import Certificate


def certificate_verify(request, code):
    certificate = (
        Certificate.objects.select_related("attempt__participant", "attempt__round__contest__unit")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return render(request, "contests/certificate.html", {"certificate": None, "code": code}, status=404)
    attempt = certificate.attempt
    context = {
        "certificate": certificate,
        "attempt": attempt,
        "round": attempt.round,
        "contest": attempt.round.contest,
        # an entry disqualified after the certificate was printed: the paper no longer counts
        "valid": attempt.counts and not attempt.disqualified_reason,
    }
    return render(request, "contests/certificate.html", context)
