from django.shortcuts import get_object_or_404, render

from tuyengiao.orgs.models import Unit
from tuyengiao.orgs.selectors import unit_list


def unit_directory(request):
    """The public directory of units, in tree order; closed units are shown as such."""
    show_closed = request.GET.get("closed") == "1"
    units = unit_list() if show_closed else unit_list().current()
    return render(request, "orgs/directory.html", {"units": units, "show_closed": show_closed})


def unit_detail(request, code):
    unit = get_object_or_404(Unit.objects.select_related("parent", "successor"), code=code)
    return render(
        request,
        "orgs/detail.html",
        {
            "unit": unit,
            "children": unit.children.current().order_by("path"),
            "predecessors": unit.predecessors.order_by("name"),
        },
    )
