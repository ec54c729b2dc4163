"""Admin screens of digitisation: the proofreading queue, the proofreading of one page, progress polling."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tuyengiao.digitise.forms import PageProofreadForm
from tuyengiao.digitise.selectors import PROOFREAD, pages_to_proofread, scan_for, scan_page_for, scan_status
from tuyengiao.digitise.services import scan_page_proofread

PER_PAGE = 50


def proofreading_queue_view(request):
    if not request.user.has_perm(PROOFREAD):
        raise PermissionDenied
    queue = Paginator(pages_to_proofread(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "digitise/admin/queue.html",
        {"page_obj": queue, "page_title": _("Proofreading"), "header_icon": "doc-full"},
    )


def page_proofread_view(request, scan_id: int, number: int):
    if not request.user.has_perm(PROOFREAD):
        raise PermissionDenied
    page = scan_page_for(request.user, scan_id, number)
    if page is None:
        raise Http404
    form = PageProofreadForm(request.POST or None, initial={"text": page.text})
    if request.method == "POST" and form.is_valid():
        scan_page_proofread(page, text=form.cleaned_data["text"], user=request.user, request=request)
        done = _("Page %(number)d of “%(name)s” is proofread.") % {"number": number, "name": page.scan.name}
        messages.success(request, done)
        following = pages_to_proofread(request.user).first()
        if following is not None and request.POST.get("next") == "1":
            return redirect("digitise_page_proofread", following.scan_id, following.number)
        return redirect("digitise_proofreading")
    return TemplateResponse(
        request,
        "digitise/admin/page.html",
        {
            "form": form,
            "page": page,
            "scan": page.scan,
            "image_url": reverse("digitise_page_image", args=[scan_id, number]) if page.image else "",
            "page_title": _("Proofreading"),
            "page_subtitle": _("%(name)s, page %(number)d") % {"name": page.scan.name, "number": number},
            "header_icon": "doc-full",
        },
    )


@require_GET
def page_image_view(request, scan_id: int, number: int):
    """The page image, only to those who may proofread the scan (media URLs are public)."""
    page = scan_page_for(request.user, scan_id, number)
    if page is None or not page.image:
        raise Http404
    response = FileResponse(page.image.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
@require_GET
def scan_status_view(request, scan_id: int):
    scan = scan_for(request.user, scan_id)
    if scan is None:
        raise Http404
    return JsonResponse(scan_status(scan))
