"""Files served by byte ranges (RFC 9110 §14): a PDF viewer asks for the parts it needs, so that a
PDF shows its first page before the whole file has come. One range per request, which is what pdf.js asks;
a request for several ranges, or one that cannot be satisfied, gets the whole file or a 416."""

import re

from django.http import FileResponse, HttpResponse
from django.utils.http import http_date

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single satisfiable range; None for no usable range; False if unsatisfiable."""
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def ranged_file_response(
    request, field_file, *, content_type: str | None, cache_control: str, filename=None, as_attachment=False
):
    """The stored file, whole or the one byte range asked for, with Accept-Ranges, validators and caching."""
    size = field_file.size
    storage = field_file.storage
    try:
        modified = storage.get_modified_time(field_file.name).timestamp()
    except (NotImplementedError, OSError):
        modified = None
    etag = f'"{size:x}-{int(modified or 0):x}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        return response
    wanted = _range(request.headers.get("Range", ""), size) if "Range" in request.headers else None
    if wanted and request.headers.get("If-Range", etag) != etag:
        wanted = None  # not the copy the client holds (or validated by a date): send it whole
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted:
        first, last = wanted
        handle = field_file.open("rb")
        handle.seek(first)
        length = last - first + 1
        response = FileResponse(
            _limited(handle, length), status=206, content_type=content_type or "application/octet-stream"
        )
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    else:
        response = FileResponse(
            field_file.open("rb"), content_type=content_type, filename=filename, as_attachment=as_attachment
        )
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _limited(handle, length: int, chunk: int = 64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
