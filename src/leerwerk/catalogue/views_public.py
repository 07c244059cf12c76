"""The public regional training matrix (/loketten/<slug>/kansberoepen/), with CSV and XLSX
exports. Only published opportunity occupations of a published desk are shown."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leerwerk.catalogue import selectors
from leerwerk.network.models import Desk


def matrix_export(desk: Desk, matrix: selectors.Matrix, export: str) -> HttpResponse:
    header, lines = selectors.matrix_table(matrix)
    name = f"scholingsmatrix-{slugify(desk.slug)}-{timezone.localdate():%Y-%m-%d}"
    if export == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = str(_("Scholingsmatrix"))[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            sheet.append(selectors.safe_cells(line))
        for column, width in zip("ABCDEFG", (28, 22, 40, 14, 14, 80, 50), strict=True):
            sheet.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for line in lines:
        writer.writerow(selectors.safe_cells(line))
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_GET
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    desk = Desk.objects.published().select_related("region").filter(slug=slug).first()
    if desk is None:
        raise Http404
    data = selectors.matrix_for(desk, published_only=True)
    export = request.GET.get("formaat")
    if export in {"csv", "xlsx"}:
        return matrix_export(desk, data, export)
    return render(
        request,
        "catalogue/public/matrix.html",
        {
            "title": _("Kansberoepen en opleidingen in %(region)s") % {"region": desk.region.name},
            "desk": desk,
            "matrix": data,
        },
    )
