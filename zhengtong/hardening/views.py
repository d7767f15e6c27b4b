"""Serving uploaded media from Django (embedded installs; behind nginx, nginx does the same, guide 8.1)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

# Documents are served only through /documents/<id>/<name> (Wagtail's serve view: collection privacy,
# download as attachment, nosniff), never by their file path under /media/; case attachments (private/) only
# through the casework download views (permission check, or a signed expiring link).
PRIVATE_MEDIA_PREFIXES = ("documents/", "private/")


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Images and renditions under MEDIA_ROOT; ``X-Content-Type-Options: nosniff`` comes from SecurityMiddleware."""
    if path.lstrip("/").startswith(PRIVATE_MEDIA_PREFIXES):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response
