"""Properties of the legacy parser that must hold for any input, not just the fixtures.

``parse_unguarded`` is ``parse`` without its last-resort safety net (which turns any
unexpected exception into a ParseError): testing it directly makes a parser bug show up
here as the bug it is, instead of as a polite ParseError.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legacy.countries import resolve_country, split_country_list
from legacy.parser import (
    NewsPage,
    ParseError,
    ProjectPage,
    content_hash,
    decode,
    normalize,
    parse,
    parse_unguarded,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_TEXTS = sorted(
    path.read_bytes().decode("utf-8", "replace") for path in FIXTURES.glob("*.txt")
)

FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text that looks like the legacy pages: their lines, labels, dashes, markup debris and
# the characters that break naive parsers (CR, NUL, BOM, odd spaces, combining marks).
LEGACY_PIECES = [
    "-",
    "- Where we work",
    "Who we are",
    "WHO WE AREThe International",
    "Start Date",
    "Projects ID",
    "Benefiting Member States",
    "Budget Amount (USD)",
    "Colombia Ecuador Peru",
    "Venezuela (Bolivarian Republic of)",
    "100,000.00",
    "For more information please contact:",
    "Pour plus d'informations, veuillez contacter :",
    "Tel: +41 22 717 9111",
    "Mobile + 57.311 561 94 95",
    "E-mail:",
    '"mailto:a@iom.int">a@iom.int',
    'target="_blank" title=',
    '"">http://example.org',
    "<script>var a = 1;</script>",
    "<p>",
    "&nbsp;",
    "© IOM 2019",
    "San Salvador – The Ministry",
    "Geneva, 17 April 2018 – IOM",
    "Date: 5 June 2017",
    "Jane Doe",
    "IOM Kenya",
    "\r\n",
    "\r",
    "\x00",
    "\ufeff",
    "\u00a0",
    "e\u0301",
    "",
]
legacy_text = st.lists(
    st.one_of(st.sampled_from(LEGACY_PIECES), st.text(max_size=40)), max_size=40
).map("\n".join)


def _assert_result_is_sane(text: str) -> None:
    try:
        result = parse_unguarded(text)
    except ParseError as error:
        assert str(error)  # staff always get a reason
        return
    assert result.kind in ("news", "project")
    assert isinstance(result.page, NewsPage if result.kind == "news" else ProjectPage)
    assert result.page.title
    assert all(isinstance(warning, str) and warning for warning in result.warnings)
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in result.page.paragraphs)


@FAST
@given(st.text(max_size=2000))
def test_parse_raises_only_parse_error_on_arbitrary_text(text: str) -> None:
    _assert_result_is_sane(text)


@FAST
@given(legacy_text)
def test_parse_raises_only_parse_error_on_legacy_like_text(text: str) -> None:
    _assert_result_is_sane(text)


@FAST
@given(
    st.sampled_from(FIXTURE_TEXTS),
    st.integers(min_value=0, max_value=4000),
    st.integers(min_value=0, max_value=4000),
    st.text(max_size=30),
)
def test_parse_survives_mutated_fixtures(text: str, start: int, length: int, insert: str) -> None:
    """Cut a slice out of a real-looking page and put random text in its place."""
    start = min(start, len(text))
    _assert_result_is_sane(text[:start] + insert + text[start + length :])


@FAST
@given(st.sampled_from(FIXTURE_TEXTS), st.integers(min_value=0, max_value=4000))
def test_parse_survives_truncated_fixtures(text: str, cut: int) -> None:
    _assert_result_is_sane(text[:cut])


@FAST
@given(st.sampled_from(FIXTURE_TEXTS), st.randoms(use_true_random=False))
def test_parse_survives_shuffled_fixture_lines(text: str, random) -> None:
    lines = text.split("\n")
    random.shuffle(lines)
    _assert_result_is_sane("\n".join(lines))


@FAST
@given(st.text(max_size=500))
def test_public_parse_never_raises_anything_else(text: str) -> None:
    """``parse`` answers a page or a ParseError with the parser's own reason: on any text its
    safety net (the "unexpected layout" error) is never what answers."""
    try:
        result = parse(text)
    except ParseError as error:
        assert str(error)
        assert "unexpected layout" not in str(error), error.__cause__
        return
    assert result.kind in ("news", "project")
    assert isinstance(result.page, NewsPage if result.kind == "news" else ProjectPage)
    assert all(isinstance(warning, str) for warning in result.warnings)


@FAST
@given(st.binary(max_size=2000))
def test_decode_raises_only_parse_error_on_arbitrary_bytes(data: bytes) -> None:
    try:
        text, warnings = decode(data)
    except ParseError as error:
        assert str(error)
        return
    assert "\r" not in text
    assert text.strip()
    assert all(isinstance(warning, str) for warning in warnings)


@FAST
@given(st.sampled_from(FIXTURE_TEXTS), st.integers(min_value=0, max_value=4000))
def test_decode_reads_truncated_utf8(text: str, cut: int) -> None:
    """Cutting UTF-8 bytes anywhere, even inside a character, never raises anything else."""
    data = text.encode("utf-8")[:cut]
    try:
        decoded, _ = decode(data)
    except ParseError as error:
        readable = data.decode("utf-8", "ignore").lstrip("\ufeff")
        if str(error) == "the file is empty":
            assert not readable.strip()  # e.g. cut inside the BOM or the first character
        else:
            assert str(error) == "the file looks binary, not text"
        return
    assert decoded.strip()
    assert text.lstrip("\ufeff").replace("\r\n", "\n").startswith(decoded[:-1])


@FAST
@given(st.text(max_size=1000))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@FAST
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=40)))
def test_content_hash_ignores_line_endings_trailing_space_and_bom(lines: list[str]) -> None:
    text = "\n".join(lines)
    variant = "\ufeff" + "\r\n".join(line + " \t" for line in lines) + "\r\n\r\n"
    assert content_hash(variant) == content_hash(text)


@FAST
@given(st.text(max_size=300))
def test_content_hash_is_stable_hex(text: str) -> None:
    digest = content_hash(text)
    assert len(digest) == 64
    assert digest == content_hash(normalize(text))


@FAST
@given(st.text(max_size=200))
def test_country_helpers_never_raise(text: str) -> None:
    code = resolve_country(text)
    assert code is None or (len(code) == 2 and code.isupper())
    for name, found in split_country_list(text):
        assert name
        assert found is None or len(found) == 2


def test_parser_workers_need_no_django_settings() -> None:
    """The import's parser processes run the pipeline's pure stage without setting Django up
    (legacy/pipeline.py): in a process with no settings module, parsing works and leaves
    Django unconfigured."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from legacy.pipeline import parse_texts\n"
        "from django.conf import settings\n"
        "texts = json.load(sys.stdin)\n"
        "results = parse_texts(texts)\n"
        "print(json.dumps([[r.kind if r else None, e] for r, e in results]))\n"
        "print(settings.configured)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([FIXTURE_TEXTS[0], *FIXTURE_TEXTS[-2:], ""]),
        capture_output=True,
        text=True,
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        check=True,
    )
    answers, configured = done.stdout.strip().splitlines()
    expected = []
    for text in [FIXTURE_TEXTS[0], *FIXTURE_TEXTS[-2:], ""]:
        try:
            expected.append([parse(text).kind, None])
        except ParseError as error:
            expected.append([None, str(error)])
    assert json.loads(answers) == expected
    assert configured == "False"
