"""Uploads served by the site itself (development and the embedded default; in production the front
web server serves MEDIA_ROOT). Django's ``serve`` ignores ``Range``, and a browser cannot seek in a
video it cannot ask for by range: replays need it. Photos of products not yet public are served only
to their village's secretaries and operators (and their file names cannot be guessed)."""

import re

from django.http import FileResponse, Http404, HttpResponse
from django.views.static import serve

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
MAX_PART = 8 * 1024 * 1024  # a longer range is answered with its first 8 MiB; the browser asks for the rest


def hidden_photo(request, path):
    """True if this is the photo of a product residents cannot see yet (under review or rejected) and the
    person asking is neither one of its village's secretaries nor an operator."""
    from oscar.core.loading import get_model

    images = get_model("catalogue", "ProductImage").objects.filter(original=path, product__is_public=False)
    if not images.exists():
        return False
    user = request.user
    if user.is_authenticated and user.is_staff:
        return False
    return not (user.is_authenticated and images.filter(product__stockrecords__partner__users=user).exists())


def serve_media(request, path, document_root):
    if hidden_photo(request, path):
        raise Http404
    response = serve(request, path, document_root=document_root)
    if not isinstance(response, FileResponse):
        return response
    response["Accept-Ranges"] = "bytes"
    match = RANGE.match(request.headers.get("Range", ""))
    if not match or match.groups() == ("", ""):
        return response
    size = int(response["Content-Length"])
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    # the file is closed by hand, not through ``response.close()``: that would also send
    # request_finished (closing the database connection) in the middle of this request
    stream = response.file_to_stream
    if start > end or start >= size:
        stream.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    end = min(end, start + MAX_PART - 1)
    stream.seek(start)
    part = HttpResponse(stream.read(end - start + 1), status=206, content_type=response["Content-Type"])
    stream.close()
    part["Content-Range"] = f"bytes {start}-{end}/{size}"
    part["Accept-Ranges"] = "bytes"
    return part
