"""What a project code looks like, and finding the codes a text names.

Every code in the archive (the project pages' "Projects ID", the samples in
``../shared/legacy-samples`` and the fixtures) is two capital letters, a full stop and four
digits: ``CE.0373``, ``LM.0412``, ``PX.0077``. The model does not enforce the shape (an
editor may record another code; ``Project.project_code`` only bounds its length), so this
pattern decides only which words of a release's text are taken for project codes (the
importer's links, ``legacy.loader``). Pure: no database, no settings.
"""

import re

# A whole word: "CE.0373" in "(CE.0373)" or "CE.0373.", not in "XCE.0373" or "CE.03731".
PROJECT_CODE_RE = re.compile(r"(?<![\w.])([A-Z]{2}\.\d{4})(?![\w]|\.\d)")


def codes_in(*texts):
    """The project codes the texts name, each once, in the order they first appear."""
    found = {}
    for text in texts:
        for match in PROJECT_CODE_RE.finditer(text or ""):
            found.setdefault(match.group(1), None)
    return list(found)
