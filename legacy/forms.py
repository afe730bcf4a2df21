"""The admin's "Import legacy texts" upload form (see legacy/admin_views.py)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .manifest import ManifestError, parse_manifest
from .report import in_language
from .sources import UploadRefused, check_uploads

ACCEPTED_SUFFIXES = (".txt", ".zip")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; ``clean()`` returns a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty .txt is a failed row in the report (as with the command), not a form error.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class ImportLegacyForm(forms.Form):
    files = MultipleFileField(
        label=_("Legacy texts"),
        help_text=_(
            "One or more .txt files (one old-site page each), or a .zip of them. Several files "
            "can be chosen at once."
        ),
        error_messages={"required": _("Choose at least one .txt or .zip file to import.")},
        widget=MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
    manifest = forms.FileField(
        label=_("Crawl manifest (optional)"),
        required=False,
        help_text=_(
            "A .csv with the header file,url,published,language (and optionally "
            "translation_of): each file's address on the old site (it gets a redirect to the "
            "new page), date, language and the file it is a translation of. Checked whole "
            "first: any bad row refuses the upload."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the files and show the report without saving anything"),
        required=False,
        initial=True,
        help_text=_(
            "Ticked by default, so a first try never changes the site: read the report, then "
            "untick this box and upload the same files again to import them."
        ),
    )

    def clean_manifest(self):
        """The parsed :class:`~legacy.manifest.Manifest`, or None."""
        upload = self.cleaned_data.get("manifest")
        if not upload:
            return None
        if upload.size > settings.IOMCMS_ADMIN_IMPORT_MAX_BYTES:
            raise ValidationError(too_large_message(settings.IOMCMS_ADMIN_IMPORT_MAX_BYTES))
        upload.seek(0)
        try:
            return parse_manifest(upload.read(), name=upload.name)
        except ManifestError as exc:
            raise ValidationError(
                [
                    gettext("“%(name)s” was refused; nothing was imported:")
                    % {"name": upload.name},
                    *(in_language(problem) for problem in exc.problems[:20]),
                ],
                code="bad_manifest",
            ) from exc

    def clean_files(self):
        files = self.cleaned_data["files"]
        max_files = settings.IOMCMS_ADMIN_IMPORT_MAX_FILES
        max_bytes = settings.IOMCMS_ADMIN_IMPORT_MAX_BYTES
        for upload in files:
            if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
                raise ValidationError(
                    gettext("“%(name)s” is neither a .txt nor a .zip file. Nothing was imported.")
                    % {"name": upload.name},
                    code="file_type",
                )
        if len(files) > max_files:
            raise ValidationError(too_many_files_message(max_files), code="too_many_files")
        total = sum(upload.size for upload in files)
        if total > max_bytes:
            raise ValidationError(too_large_message(max_bytes), code="too_large")
        try:
            check_uploads(
                files,
                max_members=settings.IOMCMS_ADMIN_IMPORT_MAX_ZIP_MEMBERS,
                max_uncompressed_bytes=settings.IOMCMS_ADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES,
            )
        except UploadRefused as exc:
            raise ValidationError(in_language(exc.args[0]), code="bad_zip") from exc
        return files


def too_many_files_message(max_files):
    return ngettext(
        "Choose at most %(max_files)s file at once; put more in a .zip archive. "
        "Nothing was imported.",
        "Choose at most %(max_files)s files at once; put more in a .zip archive. "
        "Nothing was imported.",
        max_files,
    ) % {"max_files": max_files}


def too_large_message(max_bytes):
    return gettext(
        "The upload is larger than %(max_size)s, the most this page accepts. "
        "Split it into smaller uploads, or ask someone with shell access to run "
        "manage.py import_legacy. Nothing was imported."
    ) % {"max_size": filesizeformat(max_bytes)}
