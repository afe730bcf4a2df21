"""An authentication backend for the test settings only (iomcms/settings/test.py)."""

from axes.backends import AxesStandaloneBackend


class RequestOptionalAxesBackend(AxesStandaloneBackend):
    """django-axes as in production, except for ``authenticate()`` without a request.

    Django's test ``Client.login()`` calls ``authenticate()`` with no request, and django-axes
    raises ``AxesBackendRequestParameterRequired`` then (it counts failures per address). Such
    a call cannot come over HTTP, so here it passes on to ``ModelBackend``; every sign-in
    through the admin's form carries its request and meets the lockout as in production.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
