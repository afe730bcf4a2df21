"""The admin page "Import legacy texts": the import_legacy pipeline for staff without a shell.

Staff upload ``.txt`` files or a ``.zip``; the page runs :class:`~legacy.loader.Importer` on
them in the request and renders its per-file report. Nothing is stored but the imported
records: the uploads live in memory or in Django's temporary upload files (outside anything
served) for the length of the request, and the report is only the POST's response.

Safety, in the order it is checked:

1. ``admin.site.admin_view`` (in legacy/urls.py): signed-in active staff, else the login page.
2. ``iomcms.permissions.can_import``: add *and* change permission on news items, projects and
   contacts (the import creates and updates all three), else 403.
3. The request's declared ``Content-Length`` against ``IOMCMS_ADMIN_IMPORT_MAX_BYTES``, before
   the body is read: an oversized upload is refused unread. This is why the view is
   ``csrf_exempt`` on the outside (the CSRF middleware would read the whole body to find the
   token) and runs the CSRF check itself, with ``csrf_protect``, right after.
4. The form (legacy/forms.py): file types, number of files, actual sizes, unreadable zips, zip
   entries and declared unpacked size (zip bombs). Any of these refuses the whole upload.
5. New records are drafts unless the user may publish both news items and projects, so an
   Editor cannot publish through an import. Existing records keep their status, and a changed
   page of a live or scheduled item is refused for a user whose edits need review (the
   loader's ``_refuse_unreviewed``): review cannot be bypassed by importing.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from iomcms.permissions import can_import, can_publish
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from projects.models import Project

from .forms import ImportLegacyForm, too_large_message, too_many_files_message
from .loader import Importer
from .report import Kind, Outcome, Summary, in_language
from .sources import iter_uploaded_sources

logger = logging.getLogger(__name__)

TITLE = _("Import legacy texts")
TEMPLATE = "admin/legacy/import.html"


def new_item_status(user):
    """Published only for users who may publish both news items and projects."""
    if can_publish(user, NewsItem) and can_publish(user, Project):
        return PublicationStatus.PUBLISHED
    return PublicationStatus.DRAFT


@csrf_exempt  # the CSRF check runs in _import_page, after the size check (module docstring)
@require_http_methods(["GET", "HEAD", "POST"])
def import_legacy(request):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST":
        refusal = _refuse_unread(request)
        if refusal:
            return _render(request, ImportLegacyForm(), refusal=refusal)
    return _import_page(request)


def _refuse_unread(request):
    """A message when the upload must be refused before its body is read, else None."""
    max_bytes = settings.IOMCMS_ADMIN_IMPORT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return gettext(
            "The upload could not be read (its length is missing or invalid). Please retry."
        )
    if length > max_bytes:
        return too_large_message(max_bytes)
    try:
        request.FILES  # noqa: B018 -- parse the body now, with its errors caught here
    except TooManyFilesSent:
        return too_many_files_message(settings.IOMCMS_ADMIN_IMPORT_MAX_FILES)
    except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent):
        return gettext(
            "The upload could not be read (it was cut short or malformed). Please retry."
        )
    return None


@csrf_protect
def _import_page(request):
    user = request.user
    status = new_item_status(user)
    if request.method != "POST":
        return _render(request, ImportLegacyForm(), status=status)
    form = ImportLegacyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=status)
    dry_run = form.cleaned_data["dry_run"]
    manifest = form.cleaned_data["manifest"]
    results, crash = _run(
        form.cleaned_data["files"], status=status, dry_run=dry_run, user=user, manifest=manifest
    )
    summary = Summary(results)
    # Manifest rows for no uploaded file: warnings of the upload (not when it stopped early).
    unmatched = manifest.unused() if manifest and not crash else []
    summary.warnings += len(unmatched)
    # Failed rows first, each group in the order the files were read.
    results.sort(key=lambda result: result.outcome != Outcome.FAILED)
    rows = [
        {
            "path": result.path,
            "outcome": result.outcome,
            "label": Outcome(result.outcome).describe(dry_run),
            "kind": Kind(result.kind).label if result.kind else None,
            "title": (result.record or {}).get("title"),
            "error": in_language(result.error),
            "warnings": [in_language(warning) for warning in result.warnings],
            "redirect": result.redirect,
        }
        for result in results
    ]
    return _render(
        request,
        # A fresh form: files are never echoed back, and dry run is ticked again, so the next
        # submit is a rehearsal unless the user unticks it on purpose.
        ImportLegacyForm(),
        status=status,
        report={
            "dry_run": dry_run,
            "rows": rows,
            "counts": summary.phrases(dry_run),  # (outcome, "4 created", 4) per outcome
            "total": summary.files,
            "failed": summary.failed,
            "warnings": summary.warnings,
            "crash": crash,
            "unmatched": unmatched,
        },
    )


def _run(files, *, status, dry_run, user, manifest=None):
    """Import synchronously; (results, error message or None). Never raises."""
    results = []
    try:
        importer = Importer(status=status, dry_run=dry_run, workers=1, user=user, manifest=manifest)
        results.extend(importer.run(iter_uploaded_sources(files)))
    except Exception as exc:  # the loader reports file errors itself; this is anything else
        logger.exception("Import from the admin stopped")
        crash = gettext(
            "The import stopped unexpectedly (%(error)s). The files listed below "
            "were processed before it stopped; each of them was saved whole or not at all. "
            "Please report this, with the files, to the site's developers."
        ) % {"error": type(exc).__name__}
        return results, crash
    return results, None


def _render(request, form, *, status=None, refusal=None, report=None):
    status = status or new_item_status(request.user)
    context = {
        **admin.site.each_context(request),
        "title": TITLE,
        "form": form,
        "refusal": refusal,
        "report": report,
        "drafts_only": status == PublicationStatus.DRAFT,
        "limits": {
            "max_bytes": settings.IOMCMS_ADMIN_IMPORT_MAX_BYTES,
            "max_files": settings.IOMCMS_ADMIN_IMPORT_MAX_FILES,
            "max_members": settings.IOMCMS_ADMIN_IMPORT_MAX_ZIP_MEMBERS,
        },
    }
    return render(request, TEMPLATE, context, status=400 if refusal else 200)
