import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    """A client logged in as a superuser, for admin pages."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def page_link():
    """``page_link(response, "next")``: the URL of a pagination link, as a browser resolves it."""
    import html
    import re
    from urllib.parse import urljoin

    def find(response, rel):
        content = response.content.decode()
        match = re.search(rf'<a href="([^"]*)" rel="{rel}"', content)
        assert match, f'no rel="{rel}" link on the page'
        return urljoin(response.wsgi_request.path, html.unescape(match.group(1)))

    return find
