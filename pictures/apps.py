from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicturesConfig(AppConfig):
    name = "pictures"
    verbose_name = _("Pictures")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own guard against decompression bombs, at the site's limit: it refuses to
        # open a file claiming more than twice this many pixels (pictures.images checks the
        # limit itself, with a clearer message, before anything is decoded).
        Image.MAX_IMAGE_PIXELS = settings.IOMCMS_PICTURE_MAX_PIXELS
