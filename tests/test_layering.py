"""The project package's shared pieces import no content app: an app plugs in through a hook
(the model admin, the admin registry), so adding an app needs no edit in ``iomcms/``."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = {"news", "projects", "contacts", "legacy"}
SHARED = [
    "iomcms/history.py",
    "iomcms/templatetags/workflow_tags.py",
    "iomcms/permissions.py",
    "iomcms/exports.py",
    "iomcms/audit.py",
    "iomcms/charts.py",
]


def imported_top_level_packages(path):
    tree = ast.parse((ROOT / path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("path", SHARED)
def test_shared_module_imports_no_content_app(path):
    assert not set(imported_top_level_packages(path)) & APPS
