"""The feedback moderation queue in the admin: approve or reject in bulk, only for one's own units."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tuyengiao.accounts.permissions import scope
from tuyengiao.portal.models import Feedback
from tuyengiao.portal.services import feedback_moderate

MODERATE = "portal.change_feedback"


def feedback_queue(user):
    """Feedback on articles of the units the user moderates (articles without a unit: province only)."""
    return scope(Feedback.objects.select_related("article", "article__unit"), user, MODERATE, "article__unit")


def feedback_moderation_view(request):
    if not request.user.has_perm(MODERATE):
        raise PermissionDenied
    status = request.GET.get("status", Feedback.Status.PENDING)
    if status not in Feedback.Status.values:
        status = Feedback.Status.PENDING
    queue = feedback_queue(request.user)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
        allowed = list(queue.filter(pk__in=ids).values_list("pk", flat=True))
        if not allowed:
            messages.error(request, _("Choose at least one piece of feedback."))
        else:
            approve = request.POST.get("action") == "approve"
            count = feedback_moderate(feedback_ids=allowed, approve=approve, actor=request.user, request=request)
            messages.success(
                request,
                (_("%(count)s approved.") if approve else _("%(count)s rejected.")) % {"count": count},
            )
        return redirect(request.get_full_path())
    page = Paginator(queue.filter(status=status).order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "portal/admin/feedback.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Feedback.Status.choices,
            "page_title": _("Readers' feedback"),
            "header_icon": "comment",
        },
    )
