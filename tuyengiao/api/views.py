from django.http import JsonResponse
from django.utils.translation import gettext as _


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON like the rest of the API."""
    return JsonResponse({"code": "not_found", "message": _("There is no such API address."), "details": []}, status=404)
