from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
    }
