from django.conf import settings
from django.utils.translation import gettext


def site(request):
    # The names are settings; their defaults are in the catalogues, so they are shown in the
    # page's language (a name set in the environment and not translated is shown as set).
    return {
        "SITE_NAME": gettext(settings.SITE_NAME),
        "SITE_DESCRIPTION": gettext(settings.SITE_DESCRIPTION),
        "ORGANIZATION_NAME": gettext(settings.ORGANIZATION_NAME),
        # A static path, or "" (the header shows the name alone).
        "SITE_LOGO": settings.IOMCMS_LOGO,
    }
