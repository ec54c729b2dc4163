"""The back office of a contest's results: the prizes of each round, the roster (imported from a spreadsheet
with a preview) and the results of a test after a training class, per learner and per class, as a page and
as XLSX."""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from tuyengiao.accounts.permissions import scope
from tuyengiao.contests import standings
from tuyengiao.contests.admin_forms import PrizeForm, RosterImportForm
from tuyengiao.contests.admin_views import XLSX, _contest_for
from tuyengiao.contests.models import Prize, Round
from tuyengiao.contests.roster import roster_import, roster_read, roster_template_xlsx
from tuyengiao.contests.selectors import round_current
from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.core.errors import DomainError

# ---------------------------------------------------------------------------------------------------------------
# Prizes: listed per round (?round=pk), within the user's contests


def _round_param(request) -> str:
    value = request.GET.get("round", "")
    return value if value.isdigit() and len(value) < 10 else ""


class PrizeIndexView(generic.IndexView):
    def get_base_queryset(self):
        prizes = scope(
            super().get_base_queryset().select_related("round__contest"),
            self.request.user,
            "contests.view_prize",
            "round__contest__unit",
        )
        round_ = _round_param(self.request)
        return prizes.filter(round_id=round_) if round_ else prizes

    def get_add_url(self):
        url = super().get_add_url()
        round_ = _round_param(self.request)
        return f"{url}?round={round_}" if url and round_ else url


class _PrizeFormMixin(DomainErrorFormMixin):
    perm = "contests.add_prize"

    def form_valid(self, form):
        round_ = form.cleaned_data.get("round")
        if round_ is not None and not self.request.user.has_perm(self.perm, round_.contest):
            raise PermissionDenied
        return super().form_valid(form)


class PrizeCreateView(_PrizeFormMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        round_ = _round_param(self.request)
        if round_:
            initial["round"] = round_
        return initial


class PrizeEditView(_PrizeFormMixin, ObjectPermissionMixin, generic.EditView):
    perm = "contests.change_prize"


class PrizeDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"


class PrizeViewSet(ModelViewSet):
    model = Prize
    form_fields = PrizeForm.Meta.fields
    icon = "pick"
    menu_label = gettext_lazy("Prizes")
    add_to_admin_menu = False
    list_display = ["label", "round", "kind", "count", "order"]
    list_filter = ["kind"]
    ordering = ["round", "kind", "order", "id"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = PrizeIndexView
    add_view_class = PrizeCreateView
    edit_view_class = PrizeEditView
    delete_view_class = PrizeDeleteView

    def get_form_class(self, for_update=False):
        return PrizeForm


# ---------------------------------------------------------------------------------------------------------------
# The roster


def _staging_path(contest, token: str) -> Path:
    if len(token) != 32 or not all(char in "0123456789abcdef" for char in token):
        raise Http404
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "imports" / "rosters" / str(contest.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / token


def roster_import_view(request, pk):
    """Upload a roster: every row is checked and shown; nothing is stored until the organiser confirms."""
    contest = _contest_for(request, pk)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    rows, problem, token = [], "", request.POST.get("token", "")
    if request.method == "POST" and token and "confirm" in request.POST:
        staged = _staging_path(contest, token)
        if not staged.exists():
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("contests_results:roster_import", contest.pk)
        try:
            rows = roster_read(contest, staged.read_bytes())
        except DomainError as error:
            problem = error.message
        else:
            counts = roster_import(contest, rows, actor=request.user, request=request)
            staged.unlink(missing_ok=True)
            messages.success(
                request,
                _(
                    "%(created)s people were added to the roster and %(updated)s updated; "
                    "%(skipped)s rows with problems were left out."
                )
                % counts,
            )
            return redirect("contests_results:training", contest.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            rows = roster_read(contest, data)
        except DomainError as error:
            problem = "; ".join(error.details) if error.details else error.message
        else:
            token = uuid.uuid4().hex
            _staging_path(contest, token).write_bytes(data)
    return TemplateResponse(
        request,
        "contests/admin/roster_import.html",
        {
            "contest": contest,
            "form": form,
            "rows": rows,
            "problem": problem,
            "token": token if rows else "",
            "good": sum(row.ok for row in rows),
            "classes": standings.roster_summary(contest),
            "page_title": _("Roster: %(contest)s") % {"contest": contest},
            "header_icon": "group",
        },
    )


def roster_template_view(request):
    if not request.user.has_perm("contests.change_contest"):
        raise PermissionDenied
    response = HttpResponse(roster_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-hoc-vien.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------------------------
# Results of a test after a training class


def _chosen_round(request, contest) -> tuple[list[Round], Round | None]:
    rounds = list(contest.rounds.order_by("number"))
    chosen = request.GET.get("round", "")
    return rounds, next((item for item in rounds if str(item.number) == chosen), None) or round_current(contest)


def training_view(request, pk):
    contest = _contest_for(request, pk, "contests.view_contest")
    rounds, round_ = _chosen_round(request, contest)
    learners, classes = standings.training_results(round_) if round_ is not None else ([], [])
    return TemplateResponse(
        request,
        "contests/admin/training.html",
        {
            "contest": contest,
            "rounds": rounds,
            "round": round_,
            "learners": learners,
            "classes": classes,
            "page_title": _("Results by class: %(contest)s") % {"contest": contest},
            "header_icon": "table",
        },
    )


def training_export_view(request, pk):
    """The results as XLSX: a sheet per class and one per learner (written row by row)."""
    from openpyxl import Workbook

    contest = _contest_for(request, pk, "contests.view_contest")
    _rounds, round_ = _chosen_round(request, contest)
    if round_ is None:
        raise Http404
    class_rows, learner_rows = standings.training_results_rows(round_)
    workbook = Workbook(write_only=True)
    for title, rows in ((_("Classes"), class_rows), (_("Learners"), learner_rows)):
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{contest.slug}-vong-{round_.number}.xlsx"'
    return response


class ResultsViewSet(ViewSet):
    """The contest-level pages of this module (no menu item: reached from the contests' list and dashboard)."""

    icon = "table"

    def get_urlpatterns(self):
        return [
            path("<int:pk>/roster/", roster_import_view, name="roster_import"),
            path("roster-template.xlsx", roster_template_view, name="roster_template"),
            path("<int:pk>/training/", training_view, name="training"),
            path("<int:pk>/training.xlsx", training_export_view, name="training_export"),
        ]


def results_links(contest) -> list[tuple[str, str, str]]:
    """(label, url, icon) of this module's pages for a contest, for the contests' list."""
    links = [(_("Roster"), reverse("contests_results:roster_import", args=[contest.pk]), "group")]
    if contest.is_training_test:
        links.append((_("Results by class"), reverse("contests_results:training", args=[contest.pk]), "table"))
    return links
