import pytest


@pytest.fixture(autouse=True)
def memory_storage(settings, tmp_path):
    """Every picture test stores its files in memory (any STORAGES["default"] backend works):
    nothing is written to MEDIA_ROOT, which points at an empty folder to prove it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.core.files.storage import default_storage

    yield default_storage
    assert not settings.MEDIA_ROOT.exists()
