"""The contests section of the back office: contests of the user's units, their rounds and question banks,
the bank's import (with a preview) and export, and each contest's dashboard with the review queue."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from tuyengiao.accounts.permissions import scope
from tuyengiao.contests import standings, stats
from tuyengiao.contests.admin_forms import ContestForm, DisqualifyForm, ImportForm, QuestionForm, RoundForm
from tuyengiao.contests.certificates import MAX_CERTIFICATES, certificates_start
from tuyengiao.contests.exports import export_start
from tuyengiao.contests.imports import question_save, questions_export, questions_import, questions_read, template_xlsx
from tuyengiao.contests.models import Attempt, Contest, ExportRun, Participant, Question, Round
from tuyengiao.contests.selectors import round_current
from tuyengiao.contests.services import attempt_disqualify
from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.core.errors import DomainError
from tuyengiao.core.models import PersonalDataAccess
from tuyengiao.core.services import personal_data_access_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _contest_for(request, pk, perm: str = "contests.change_contest") -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm(perm, contest):
        raise PermissionDenied
    return contest


# ---------------------------------------------------------------------------------------------------------------
# Contests


class ContestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scope(super().get_base_queryset().select_related("unit"), self.request.user, "contests.view_contest")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        query = f"?contest={instance.pk}"
        buttons += [
            MenuItem(_("Rounds"), url=reverse("contests_rounds:index") + query, icon_name="date", priority=5),
            MenuItem(_("Question bank"), url=reverse("contests_questions:index") + query, icon_name="help", priority=6),
            MenuItem(
                _("Import questions"), url=reverse("contests_admin:import", args=[instance.pk]), icon_name="upload"
            ),
            MenuItem(
                _("Export questions"), url=reverse("contests_admin:export", args=[instance.pk]), icon_name="download"
            ),
            MenuItem(_("Dashboard"), url=reverse("contests_admin:dashboard", args=[instance.pk]), icon_name="table"),
            MenuItem(
                _("Export entries"),
                url=reverse("contests_admin:export_entries", args=[instance.pk]),
                icon_name="download",
            ),
            MenuItem(
                _("Certificates"), url=reverse("contests_admin:certificates", args=[instance.pk]), icon_name="doc-full"
            ),
        ]
        from tuyengiao.contests.standings_admin import results_links

        buttons += [MenuItem(label, url=url, icon_name=icon) for label, url, icon in results_links(instance)]
        return buttons


class _UnitFormMixin(DomainErrorFormMixin):
    """The unit a record is saved under must be within the user's reach."""

    perm = "contests.add_contest"

    def form_valid(self, form):
        target = form.cleaned_data.get("unit") or getattr(form.cleaned_data.get("contest"), "unit", None)
        if target is not None and not self.request.user.has_perm(self.perm, target):
            raise PermissionDenied
        return super().form_valid(form)


class ContestCreateView(_UnitFormMixin, generic.CreateView):
    pass


class ContestEditView(_UnitFormMixin, ObjectPermissionMixin, generic.EditView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                _("Dashboard"), url=reverse("contests_admin:dashboard", args=[self.object.pk]), icon_name="table"
            )
        )
        buttons.append(
            HeaderButton(
                _("Export entries"),
                url=reverse("contests_admin:export_entries", args=[self.object.pk]),
                icon_name="download",
            )
        )
        return buttons


class ContestDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"


# ---------------------------------------------------------------------------------------------------------------
# Rounds and questions: listed per contest (?contest=pk), within the user's contests


class _PerContestIndexView(generic.IndexView):
    def get_base_queryset(self):
        records = scope(
            super().get_base_queryset().select_related("contest"),
            self.request.user,
            f"contests.view_{self.model._meta.model_name}",
            "contest__unit",
        )
        contest = self.request.GET.get("contest", "")
        return records.filter(contest_id=contest) if contest.isdigit() else records

    def get_add_url(self):
        url = super().get_add_url()
        contest = self.request.GET.get("contest", "")
        return f"{url}?contest={contest}" if url and contest.isdigit() else url


class _PerContestCreateMixin:
    def get_initial(self):
        initial = super().get_initial()
        contest = self.request.GET.get("contest", "")
        if contest.isdigit():
            initial["contest"] = contest
        return initial


class RoundIndexView(_PerContestIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        url = reverse("contests_prizes:index") + f"?round={instance.pk}"
        buttons.append(MenuItem(_("Prizes"), url=url, icon_name="pick", priority=5))
        return buttons


class RoundCreateView(_PerContestCreateMixin, _UnitFormMixin, generic.CreateView):
    perm = "contests.add_round"


class RoundEditView(_UnitFormMixin, ObjectPermissionMixin, generic.EditView):
    perm = "contests.change_round"


class RoundDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"


class QuestionIndexView(_PerContestIndexView):
    pass


class _QuestionSaveMixin(_UnitFormMixin):
    def save_instance(self):
        question = self.form.save(commit=False)
        return question_save(question, self.form.cleaned_data["options"], actor=self.request.user)


class QuestionCreateView(_PerContestCreateMixin, _QuestionSaveMixin, generic.CreateView):
    perm = "contests.add_question"


class QuestionEditView(_QuestionSaveMixin, ObjectPermissionMixin, generic.EditView):
    perm = "contests.change_question"


class QuestionDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"


# ---------------------------------------------------------------------------------------------------------------
# The question bank as a spreadsheet


def _staging_path(contest: Contest, token: str) -> Path:
    if not token or not all(char in "0123456789abcdef" for char in token) or len(token) != 32:
        raise Http404
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "imports" / "contests" / str(contest.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / token


def import_view(request, pk):
    """Upload a bank: every row is checked and shown; nothing is stored until the organiser confirms."""
    contest = _contest_for(request, pk, "contests.add_question")
    form = ImportForm(request.POST or None, request.FILES or None)
    rows, problem, token = [], "", request.POST.get("token", "")
    context = {"contest": contest, "header_icon": "upload"}
    if request.method == "POST" and token and "confirm" in request.POST:
        staged = _staging_path(contest, token)
        if not staged.exists():
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("contests_admin:import", contest.pk)
        try:
            rows = questions_read(staged.read_bytes())
        except DomainError as error:
            problem = error.message
        else:
            counts = questions_import(contest, rows, actor=request.user, request=request)
            staged.unlink(missing_ok=True)
            messages.success(
                request,
                _("%(created)s questions were added to the bank; %(skipped)s rows with problems were left out.")
                % counts,
            )
            return redirect(reverse("contests_questions:index") + f"?contest={contest.pk}")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            rows = questions_read(data)
        except DomainError as error:
            problem = "; ".join(error.details) if error.details else error.message
        else:
            token = uuid.uuid4().hex
            _staging_path(contest, token).write_bytes(data)
    context.update(
        {
            "form": form,
            "rows": rows,
            "problem": problem,
            "token": token if rows else "",
            "good": sum(row.ok for row in rows),
            "page_title": _("Import questions: %(contest)s") % {"contest": contest},
        }
    )
    return TemplateResponse(request, "contests/admin/import.html", context)


def import_template_view(request):
    if not request.user.has_perm("contests.add_question"):
        raise PermissionDenied
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-ngan-hang-cau-hoi.xlsx"'
    return response


def export_view(request, pk):
    contest = _contest_for(request, pk, "contests.view_question")
    response = HttpResponse(questions_export(contest), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cau-hoi-{contest.slug}.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------------------------
# Dashboard and review queue


def _bars(rows: list[dict], key: str) -> list[dict]:
    """Each row with its bar's width in percent of the largest value."""
    top = max([row[key] for row in rows] + [1])
    return [{**row, "width": round(row[key] * 100 / top, 1)} for row in rows]


def dashboard_view(request, pk):
    contest = _contest_for(request, pk)
    rounds = list(contest.rounds.order_by("number"))
    chosen = request.GET.get("round", "")
    round_ = next((item for item in rounds if str(item.number) == chosen), None) or round_current(contest)
    per_hour = [
        {**row, "x": index * 10, "y": 100 - row["width"]}
        for index, row in enumerate(_bars(stats.entries_per_hour(contest), "entries"))
    ]
    context = {
        "contest": contest,
        "rounds": rounds,
        "round": round_,
        "per_hour": per_hour,
        "chart_width": len(per_hour) * 10,
        "per_hour_max": max([row["entries"] for row in per_hour] + [0]),
        "districts": _bars(stats.entries_by_district(contest), "entries"),
        "refusals": stats.refusals_by_kind(contest),
        "page_title": _("Dashboard: %(contest)s") % {"contest": contest},
        "header_icon": "table",
        "now": timezone.now(),
    }
    if round_ is not None:
        context["scores"] = _bars(stats.score_distribution(round_), "count")
        context["hardest"] = stats.hardest_questions(contest, round_)
        context["units"], context["units_by_roster"] = standings.units_ranking(round_)
        queue = stats.review_queue(round_)
        context["queue"] = queue
        context["disqualify_form"] = DisqualifyForm()
        if queue:
            personal_data_access_record(
                actor=request.user,
                purpose=PersonalDataAccess.Purpose.VIEW,
                subject=Participant,
                fields=["full_name", "phone", "cccd"],
                request=request,
                record_count=len(queue),
            )
    return TemplateResponse(request, "contests/admin/dashboard.html", context)


def disqualify_view(request, pk, attempt_pk):
    contest = _contest_for(request, pk)
    attempt = get_object_or_404(Attempt.objects.select_related("round"), pk=attempt_pk, round__contest=contest)
    if request.method != "POST":
        raise PermissionDenied
    form = DisqualifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for disqualifying this entry."))
    else:
        try:
            attempt_disqualify(attempt, form.cleaned_data["reason"], actor=request.user, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The entry of %(name)s was disqualified.") % {"name": attempt.participant})
    url = reverse("contests_admin:dashboard", args=[contest.pk])
    return redirect(f"{url}?round={attempt.round.number}#review")


# ---------------------------------------------------------------------------------------------------------------
# Results: the XLSX of all entries and the PDF of a round's certificates, built in the background (ExportRun)


class EntriesExportForm(forms.Form):
    round = forms.ModelChoiceField(
        label=gettext_lazy("Round"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=gettext_lazy("All rounds"),
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = contest.rounds.order_by("number")


class CertificatesForm(forms.Form):
    round = forms.ModelChoiceField(label=gettext_lazy("Round"), queryset=Round.objects.none())
    mode = forms.ChoiceField(
        label=gettext_lazy("Who receives a certificate"),
        choices=[
            ("top", gettext_lazy("The first N of the ranking")),
            ("score", gettext_lazy("Everyone with at least a given score")),
        ],
        initial="top",
        widget=forms.RadioSelect,
    )
    top = forms.IntegerField(
        label=gettext_lazy("Number of winners (N)"), min_value=1, max_value=MAX_CERTIFICATES, initial=10, required=False
    )
    min_score = forms.IntegerField(label=gettext_lazy("Lowest score"), min_value=0, max_value=10_000, required=False)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = contest.rounds.order_by("number")

    def clean(self):
        data = super().clean()
        if data.get("mode") == "top" and not data.get("top"):
            self.add_error("top", _("Give the number of winners."))
        if data.get("mode") == "score" and data.get("min_score") is None:
            self.add_error("min_score", _("Give the lowest score."))
        return data


def entries_export_view(request, pk):
    """Choose all rounds or one, then follow the export's progress; the file is for the organiser who asked."""
    contest = _contest_for(request, pk)
    form = EntriesExportForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        run = export_start(contest, form.cleaned_data["round"], actor=request.user)
        return redirect("contests_admin:export_progress", contest.pk, run.pk)
    context = {
        "contest": contest,
        "form": form,
        "runs": ExportRun.objects.filter(contest=contest, requested_by=request.user).select_related("round")[:10],
        "page_title": _("Export entries: %(contest)s") % {"contest": contest},
        "header_icon": "download",
    }
    return TemplateResponse(request, "contests/admin/export_entries.html", context)


def certificates_view(request, pk):
    contest = _contest_for(request, pk)
    form = CertificatesForm(request.POST or None, contest=contest, initial={"round": round_current(contest)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = certificates_start(
            data["round"],
            actor=request.user,
            top=data["top"] if data["mode"] == "top" else None,
            min_score=data["min_score"] if data["mode"] == "score" else None,
        )
        return redirect("contests_admin:export_progress", contest.pk, run.pk)
    context = {
        "contest": contest,
        "form": form,
        "runs": ExportRun.objects.filter(
            contest=contest, requested_by=request.user, kind=ExportRun.Kind.CERTIFICATES
        ).select_related("round")[:10],
        "page_title": _("Certificates: %(contest)s") % {"contest": contest},
        "header_icon": "doc-full",
    }
    return TemplateResponse(request, "contests/admin/certificates.html", context)


def _export_for(request, pk, run_pk) -> ExportRun:
    """An export of the contest, for the organiser who asked for it (and who still organises the contest)."""
    contest = _contest_for(request, pk)
    run = get_object_or_404(ExportRun.objects.select_related("round"), pk=run_pk, contest=contest)
    if run.requested_by_id != request.user.pk:
        raise PermissionDenied
    run.contest = contest
    return run


def export_progress_view(request, pk, run_pk):
    run = _export_for(request, pk, run_pk)
    context = {
        "contest": run.contest,
        "run": run,
        "page_title": _("%(kind)s: %(contest)s") % {"kind": run.get_kind_display(), "contest": run.contest},
        "header_icon": "download",
    }
    return TemplateResponse(request, "contests/admin/export_progress.html", context)


def export_status_view(request, pk, run_pk):
    run = _export_for(request, pk, run_pk)
    return JsonResponse(
        {
            "status": run.status,
            "rows_done": run.rows_done,
            "rows_total": run.rows_total,
            "percent": run.percent,
            "error": run.error,
        }
    )


def export_download_view(request, pk, run_pk):
    run = _export_for(request, pk, run_pk)
    if run.status != ExportRun.Status.DONE or not run.file:
        raise Http404
    content_type = "application/pdf" if run.kind == ExportRun.Kind.CERTIFICATES else XLSX
    response = FileResponse(run.file.open("rb"), content_type=content_type, as_attachment=True)
    response["Content-Disposition"] = f'attachment; filename="{Path(run.file.name).name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Viewsets


class ContestViewSet(ModelViewSet):
    model = Contest
    form_fields = ContestForm.Meta.fields
    icon = "clipboard-list"
    menu_label = gettext_lazy("Contests")
    list_display = ["title", "unit", "audience", "published"]
    list_filter = ["audience", "published", "is_training_test"]
    search_fields = ["title"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ContestIndexView
    add_view_class = ContestCreateView
    edit_view_class = ContestEditView
    delete_view_class = ContestDeleteView

    def get_form_class(self, for_update=False):
        return ContestForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/questions/import/", import_view, name="import"),
            path("import-template.xlsx", import_template_view, name="import_template"),
            path("<int:pk>/questions/export.xlsx", export_view, name="export"),
            path("<int:pk>/dashboard/", dashboard_view, name="dashboard"),
            path("<int:pk>/attempts/<int:attempt_pk>/disqualify/", disqualify_view, name="disqualify"),
            path("<int:pk>/entries/export/", entries_export_view, name="export_entries"),
            path("<int:pk>/certificates/", certificates_view, name="certificates"),
            path("<int:pk>/exports/<int:run_pk>/", export_progress_view, name="export_progress"),
            path("<int:pk>/exports/<int:run_pk>/status/", export_status_view, name="export_status"),
            path("<int:pk>/exports/<int:run_pk>/download/", export_download_view, name="export_download"),
        ]


class RoundViewSet(ModelViewSet):
    model = Round
    form_fields = RoundForm.Meta.fields
    icon = "date"
    menu_label = gettext_lazy("Rounds")
    list_display = ["__str__", "contest", "number", "opens_at", "closes_at", "question_count"]
    ordering = ["contest", "number"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = RoundIndexView
    add_view_class = RoundCreateView
    edit_view_class = RoundEditView
    delete_view_class = RoundDeleteView

    def get_form_class(self, for_update=False):
        return RoundForm


class QuestionViewSet(ModelViewSet):
    model = Question
    form_fields = QuestionForm.Meta.fields
    icon = "help"
    menu_label = gettext_lazy("Question bank")
    list_display = ["__str__", "contest", "kind", "topic", "difficulty"]
    list_filter = ["kind", "difficulty"]
    search_fields = ["text", "topic"]
    ordering = ["contest", "order", "id"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView

    def get_form_class(self, for_update=False):
        return QuestionForm


class ContestsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Contests")
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (
        ContestViewSet("contests_admin", url_prefix="contests"),
        RoundViewSet("contests_rounds", url_prefix="contests/rounds"),
        QuestionViewSet("contests_questions", url_prefix="contests/questions"),
    )
