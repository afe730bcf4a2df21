"""Security headers Django has no setting for: ``Permissions-Policy``.

Content-Security-Policy comes from Django itself (``SECURE_CSP``, see iomcms/settings/base.py);
this module adds the one header it lacks, from ``settings.IOMCMS_PERMISSIONS_POLICY``.
"""

from django.conf import settings


def permissions_policy(features):
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``.

    An empty list turns the feature off everywhere; origins are written as the header's
    structured-field syntax wants them: ``self`` bare, URLs quoted.
    """
    parts = []
    for feature, origins in features.items():
        allowed = " ".join(
            origin if origin in ("self", "*") else f'"{origin}"' for origin in origins
        )
        parts.append(f"{feature}=({allowed})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read per response, not once at start-up, so override_settings reaches it in tests.
        features = getattr(settings, "IOMCMS_PERMISSIONS_POLICY", None)
        if features and "Permissions-Policy" not in response:
            response.headers["Permissions-Policy"] = permissions_policy(features)
        return response
