"""Unit tests of the legacy-text parser. No database, no Django settings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from legacy import countries
from legacy.parser import (
    Contact,
    NewsPage,
    ParseError,
    PartialDate,
    ProjectPage,
    State,
    content_hash,
    decode,
    normalize,
    parse,
    resolve_country,
)
from legacy.parsing import layout
from legacy.parsing.contacts import clean_phone, email_is_made_from, split_phones
from legacy.parsing.dates import parse_partial_date
from legacy.parsing.project import parse_budget

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "legacy-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.exists(), reason="the real legacy samples (shared/legacy-samples) are not here"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_fixture(name: str):
    text, _ = decode(fixture(name))
    return parse(text)


def sample(prefix: str):
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    text, warnings = decode(path.read_bytes())
    assert warnings == []
    return parse(text)


def news(text: str) -> NewsPage:
    result = parse(text)
    assert result.kind == "news"
    assert isinstance(result.page, NewsPage)
    return result.page


def project(text: str) -> ProjectPage:
    result = parse(text)
    assert result.kind == "project"
    assert isinstance(result.page, ProjectPage)
    return result.page


# A hand-written stand-in for the old site's navigation, used to build small pages.
CHROME = "\n".join(
    [
        "-",
        "Who we are",
        "WHO WE AREIOM is the leading intergovernmental organization in the field of migration.",
        "-",
        "Our Work",
        "Highlights",
        "Highlights",
        "- Where we work",
        "- Data and Research",
        "- 2030 Agenda",
    ]
)


def project_text(*entries: tuple[str, str], title: str = "A Project", description: str = "") -> str:
    lines = [title]
    for label, value in entries:
        lines += ["-", label]
        if value:
            lines.append(value)
    lines.append(description or "The project helps migrants in many ways across the region.")
    return "\n".join(lines) + "\n"


# --- the five real samples ------------------------------------------------------------


@needs_samples
def test_sample_000_hard_wrapped_news_with_one_contact():
    result = sample("000")
    assert result.kind == "news"
    page = result.page
    assert page.title == "Displaced Women Work with Colombia's Famous Juan Valdéz Coffee"
    assert page.dateline is None
    assert page.published_on is None
    assert page.contacts == [
        Contact(
            name="Jorge Andres Gallo",
            office="IOM Colombia",
            phones=["+57.1.594.6410 ext. 142"],
            mobiles=["+57.311 561 94 95"],
            emails=["jgallo@iom.int"],
        )
    ]
    assert len(page.paragraphs) == 10
    assert page.paragraphs[0] == (
        "A group of displaced women are earning a living making sacks for coffee processed "
        "by Procafecol, owners of the world famous Juan Valdéz coffee."
    )
    assert page.paragraphs[2].endswith("both at the national and international level.")
    assert page.paragraphs[7].startswith('"For IOM it is very gratifying')
    assert page.paragraphs[7].endswith("José Angel Oropeza.")
    assert not any("mailto" in p or "For more information" in p for p in page.paragraphs)
    assert result.warnings == []


@needs_samples
def test_sample_001_project_page():
    result = sample("001")
    assert result.kind == "project"
    page = result.page
    assert page.title == (
        "Gender-Sensitive Capacity-building to Manage Irregular Migration Between Colombia "
        "and Venezuela"
    )
    assert page.project_code == "CE.0373"
    assert page.prima_id == "CO10P0001"
    assert (page.status, page.status_normalized) == ("Completed", "completed")
    assert page.project_type == "Community and Economic Development"
    assert page.budget_usd == Decimal("100000.00")
    assert str(page.budget_usd) == "100000.00"
    assert (page.coverage, page.coverage_normalized) == ("National", "national")
    assert page.year == 2017
    assert page.start == PartialDate(2017)
    assert page.end == PartialDate(2018)
    assert page.region == "Latin America and the Caribbean"
    assert page.benefiting_states == [State("Colombia", "CO")]
    assert page.language == "en"
    assert len(page.paragraphs) == 4
    assert page.paragraphs[0].startswith("The department of Norte de Santander")
    assert list(page.metadata) == [
        "Start Date", "End Date", "Project Status", "Project Type", "Budget Amount (USD)",
        "Coverage", "Year", "IDF Region", "Prima ID", "Projects ID", "Benefiting Member States",
    ]  # fmt: skip
    assert page.metadata["Budget Amount (USD)"] == "100000.00"
    assert result.warnings == []


@needs_samples
def test_sample_002_contact_with_broken_phone_and_hyphenated_office():
    page = sample("002").page
    (contact,) = page.contacts
    assert contact.name == "Ana Maria Guzman"
    assert contact.office == "IOM-Ecuador"
    assert contact.phones == ["+593.2.225.3948"]
    assert contact.emails == ["aguzman@iom.int"]
    assert len(page.paragraphs) == 8
    assert page.paragraphs[-1].endswith("currently in Ecuador.")


@needs_samples
def test_sample_003_office_before_name_two_phones_and_link_debris():
    page = sample("003").page
    assert page.title == (
        "Bogotá Hosts International Conference on Assistance to Victims of Trafficking"
    )
    (contact,) = page.contacts
    assert contact.name == "Rocio Sanz"
    assert contact.office == "IOM Colombia"
    assert contact.phones == ["57.311 5619495", "57.1.594 6410 ext. 142"]
    assert contact.emails == ["rsanz@oim.org.co"]
    url = "http://www.oim.org.co/modulos/contenido/default.asp?idmodulo=7"
    body = "\n".join(page.paragraphs)
    assert body.count(url) == 1
    assert "target=" not in body and "title=" not in body and '"' + url not in body
    link_paragraph = next(p for p in page.paragraphs if url in p)
    assert link_paragraph.endswith(f"It will be available on the IOM Colombia Website: {url}")
    assert page.paragraphs[page.paragraphs.index(link_paragraph) + 1].startswith(
        "Participating government authorities"
    )


@needs_samples
def test_sample_004_dateline_without_year_and_three_contacts_on_three_lines():
    page = sample("004").page
    assert page.dateline == "San Salvador"
    assert page.published_on is None  # "(17/04)" gives no year; never guessed
    assert [(c.office, c.name, c.emails) for c in page.contacts] == [
        ("IOM El Salvador", "José Miguel Gómez", ["miggomez@iom.int"]),
        ("IOM El Salvador, Guatemala and Honduras", "Alba Miriam Amaya", ["aamaya@iom.int"]),
        (
            "UN Resident Coordinator's Office, El Salvador",
            "Carlos León",
            ["carlos.leon@one.un.org"],
        ),
    ]
    assert len(page.paragraphs) == 8
    assert page.paragraphs[0].startswith("San Salvador – The Ministry of Foreign Affairs")


# --- navigation, titles and captions -----------------------------------------------------


def test_country_site_chrome_with_unknown_labels_is_removed():
    result = parse_fixture("news_country_chrome.txt")
    page = result.page
    assert page.title == "Mobile Clinics Reach Remote Border Communities in Northern Ecuador"
    assert not any("OIM" in p or "Enlaces" in p for p in page.paragraphs)
    assert result.warnings == []


def test_page_without_chrome_keeps_its_first_line_as_title():
    page = parse_fixture("news_no_chrome.txt").page
    assert page.title == "IOM Opens Migrant Resource Centre in Port Moresby"
    assert page.paragraphs[0].startswith("Geneva – 12.03.2019 – IOM and the Government")


def test_doubled_title_and_photo_captions_are_dropped():
    page = parse_fixture("news_doubled_title.txt").page
    assert page.title == "Flood Survivors Receive Shelter Kits in Sindh"
    assert page.paragraphs[0].startswith("IOM has distributed 12,500 emergency shelter kits")
    assert not any("©" in p or p.startswith("Photo") for p in page.paragraphs)
    assert len(page.paragraphs) == 3


def test_caption_with_copyright_before_the_body_is_dropped():
    page = parse_fixture("news_country_chrome.txt").page
    assert not any("©" in p for p in page.paragraphs)
    assert page.paragraphs[0].startswith("Quito, 3 May 2016 – Four mobile health units")


def test_only_chrome_is_a_plain_error():
    with pytest.raises(ParseError, match="only the old site's navigation"):
        parse_fixture("only_chrome.txt")


def test_chrome_and_a_single_title_line_is_an_error():
    with pytest.raises(ParseError, match="only one line of content"):
        parse_fixture("title_only.txt")


def test_chrome_end_is_found_even_when_a_title_is_short():
    page = news(CHROME + "\nShort Title\nThe first paragraph of the story, ending here.\n")
    assert page.title == "Short Title"
    assert page.paragraphs == ["The first paragraph of the story, ending here."]


def test_bullet_list_in_a_page_without_chrome_is_not_taken_for_navigation():
    page = news("IOM Plans Training\nIOM will:\n- train 300 officers;\n- equip five posts.\n")
    assert page.title == "IOM Plans Training"
    assert page.paragraphs == ["IOM will:", "- train 300 officers;", "- equip five posts."]


def test_find_chrome_end_on_the_sample_layout():
    lines = [*CHROME.split("\n"), "The Title", "Body text of the page."]
    assert layout.find_chrome_end(lines, len(lines)) == len(CHROME.split("\n")) - 1
    assert layout.find_chrome_end(["Title", "- Where we work", "Body."], 3) == -1


# A shorter navigation, as on the country sites: fewer labels, and a label run into its
# description on a line shorter than the global site's ("Our WorkAs ...", 56 characters).
SHORT_CHROME_PAGE = """-
Who we are
WHO WE AREThe International Organization for Migration (IOM) is part of the system.
-
Our Work
Our WorkAs the leading organization, IOM plays a key role.
What We Do
What We Do
Partnerships
Partnerships
- Where we work
-
Take Action
Take Action
- Data and Research
- 2030 Agenda
Mobile Clinics Reach Herders in the Dry North
Lodwar – Mobile clinics run by IOM reached 4,000 herders this month.
The teams vaccinate children.
"""
NAV_TEXT = ("Who we are", "WHO WE ARE", "Our Work", "What We Do", "Partnerships", "Take Action")


def test_shorter_chrome_with_a_short_run_together_line_is_stripped():
    result = parse(SHORT_CHROME_PAGE)
    assert result.kind == "news"
    page = result.page
    assert page.title == "Mobile Clinics Reach Herders in the Dry North"
    assert page.dateline == "Lodwar"
    # Two lines that each end a sentence are too few to be hard-wrapped text: kept apart.
    assert page.paragraphs == [
        "Lodwar – Mobile clinics run by IOM reached 4,000 herders this month.",
        "The teams vaccinate children.",
    ]
    assert not any(nav in p for p in page.paragraphs for nav in NAV_TEXT)
    assert result.warnings == []


# Navigation groups of the three language sites: a label with its run-together or separate
# description, labels printed twice, "-" lines and "- Label" items.
NAV_GROUPS = {
    "en": [
        ["-", "Who we are", "WHO WE AREIOM works with governments and communities everywhere."],
        ["-", "Our Work", "Our WorkAs the lead agency, IOM plays a key role."],
        ["What We Do", "What We Do"],
        ["Partnerships", "Partnerships"],
        ["- Where we work"],
        ["-", "Take Action", "Take Action"],
        ["- Data and Research"],
        ["- 2030 Agenda"],
    ],
    "fr": [
        ["-", "Qui sommes-nous", "QUI SOMMES-NOUSL'OIM aide les migrants depuis 1951."],
        ["-", "Notre travail", "Notre travailL'OIM travaille avec les États membres."],
        ["Partenariats", "Partenariats"],
        ["- Où nous travaillons"],
        ["Agir", "Agir"],
        ["- Données et recherche"],
        ["- Agenda 2030"],
    ],
    "es": [
        ["-", "Quiénes somos", "QUIÉNES SOMOSLa OIM es la organización de las migraciones."],
        [
            "-",
            "Nuestro trabajo",
            "La OIM trabaja con los gobiernos y la sociedad civil en toda la región.",
        ],
        ["Alianzas", "Alianzas"],
        ["- Dónde trabajamos"],
        ["- Datos e investigación"],
        ["Agenda 2030"],
    ],
}
STORIES = {
    "en": ("Clinics Open in the North", "Lodwar – Two clinics opened this week in the north."),
    "fr": ("Des cliniques ouvrent à Agadez", "Agadez – Deux cliniques ont ouvert cette semaine."),
    "es": (
        "Abren clínicas en Tumbes",
        "Tumbes – Dos clínicas abrieron esta semana en la frontera.",
    ),
}


def _chrome_variants():
    for language, groups in NAV_GROUPS.items():
        variants = {
            "all": groups,
            "reversed": groups[::-1],
            "odd": groups[::2],
            "even": groups[1::2],
            "shuffled": groups[3:] + groups[:3],
        }
        variants.update({f"only-{n}": [group] for n, group in enumerate(groups)})
        for name, chosen in variants.items():
            yield pytest.param(
                language, [line for group in chosen for line in group], id=f"{language}-{name}"
            )


@pytest.mark.parametrize(("language", "chrome"), list(_chrome_variants()))
def test_any_subset_or_order_of_the_navigation_is_stripped(language, chrome):
    title, first = STORIES[language]
    page = news("\n".join([*chrome, title, first, "The end of the story."]) + "\n")
    assert page.title == title
    assert page.paragraphs == [first, "The end of the story."]


@pytest.mark.parametrize(
    ("label", "line"),
    [
        ("Our Work", "Our WorkAs the lead agency, IOM plays a key role."),
        ("Who we are", "WHO WE AREThe International Organization for Migration (IOM) is here."),
        ("Qui sommes-nous", "QUI SOMMES-NOUSL'OIM est la principale organisation."),
        ("Nuestro trabajo", "Nuestro trabajoComo organismo de la ONU, la OIM apoya."),
        ("Programas", "ProgramasLa OIM ejecuta programas de asistencia humanitaria."),
        ("-", "SERVICIOS CONSULARESLa oficina atiende a los migrantes de lunes a viernes."),
        ("-", "Country ProfileThe office opened in 1996 and now works in nine provinces."),
    ],
)
def test_a_label_run_into_its_description_is_navigation(label, line):
    lines = ["-", label, line, "- Where we work", "The Title", "The first paragraph, a sentence."]
    assert layout.find_chrome_end(lines, len(lines)) == 3


@pytest.mark.parametrize(
    ("after_chrome", "title", "first_paragraph"),
    [
        # A title that is also a menu label, followed by the story.
        (
            "Partnerships\nIOM and the EU signed a new agreement today in Brussels.",
            "Partnerships",
            "IOM and the EU signed a new agreement today in Brussels.",
        ),
        (
            "Partnerships\nPartnerships\nIOM and the EU signed a new agreement today in Brussels.",
            "Partnerships",
            "IOM and the EU signed a new agreement today in Brussels.",
        ),
        # A short title followed by a list, whose items look like "- Label" menu items.
        ("Key Facts\n- 4,000 herders reached\n- 12 clinics", "Key Facts",
         "- 4,000 herders reached"),
        # A short title followed by a separator line.
        ("Mobile Clinics\n-\nThe teams vaccinate children in twelve villages.", "Mobile Clinics",
         "The teams vaccinate children in twelve villages."),
        # Capitals inside a word are not a label run into its description.
        ("YouTube Stars Join IOM Campaign\nManila – The campaign reached two million viewers.",
         "YouTube Stars Join IOM Campaign", "Manila – The campaign reached two million viewers."),
        ("McDonald's Restaurants Hire Refugees in Five Cities.\nBerlin – The chain hired 300.",
         "McDonald's Restaurants Hire Refugees in Five Cities.", "Berlin – The chain hired 300."),
    ],
)  # fmt: skip
def test_a_short_real_title_after_the_chrome_is_kept(after_chrome, title, first_paragraph):
    page = news(f"{CHROME}\n{after_chrome}\n")
    assert page.title == title
    assert page.paragraphs[0] == first_paragraph


def test_a_nav_label_title_on_a_page_without_chrome_is_kept():
    page = news("Partnerships\nIOM and the EU signed a new agreement today in Brussels.\n")
    assert page.title == "Partnerships"


def test_chrome_with_an_unknown_label_and_a_different_ending():
    result = parse_fixture("news_short_chrome.txt")
    page = result.page
    assert page.title == "Water Points Rebuilt Along the Herding Routes of Turkana"
    assert page.dateline == "Lokichoggio"
    assert len(page.paragraphs) == 3
    assert not any("Resettlement Hub" in p or "Careers" in p for p in page.paragraphs)
    assert result.warnings == []


def test_french_country_chrome_ending_with_a_bare_label():
    page = parse_fixture("news_french_country_chrome.txt").page
    assert page.title == "Des kits solaires pour les écoles de Tillabéri"
    assert page.dateline == "Niamey"
    assert page.published_on == datetime.date(2019, 10, 9)
    assert len(page.paragraphs) == 2


def test_spanish_chrome_with_a_description_line_and_an_unknown_last_item():
    page = parse_fixture("news_spanish_country_chrome.txt").page
    assert page.title == "Ferias de empleo para jóvenes retornados en Olancho"
    assert page.dateline == "Juticalpa"
    assert not any("Fondos" in p or "Naciones Unidas" in p for p in page.paragraphs)


# --- cleanup of markup ----------------------------------------------------------------


def test_script_tags_entities_and_link_debris_are_cleaned():
    result = parse_fixture("news_html_junk.txt")
    page = result.page
    body = "\n".join(page.paragraphs)
    for debris in ("<", ">", "&nbsp;", "&amp;", "addthis", "target=", "mailto", "title="):
        assert debris not in body, debris
    assert page.paragraphs[0] == (
        "Chișinău – A free, confidential hotline for people who fear they have been trafficked "
        "started operating on Monday. Callers can reach trained counsellors in Romanian and "
        "Russian."
    )
    assert "on the campaign page (http://www.example.org/hotline)." in body
    assert "can be sent to press@example.org at any time." in body
    assert "La Strada & the National Police" in body
    assert page.contacts[0].emails == ["vrusu@iom.int"]


@pytest.mark.parametrize(
    ("debris", "expected"),
    [
        ('E-mail: "mailto:a@iom.int">a@iom.int', "E-mail: a@iom.int"),
        ('See <a href="https://example.org/r">the report</a>.', "See the report (https://example.org/r)."),
        ('"http://x.org/a"\ntarget="_blank" title=\n"">http://x.org/a', "http://x.org/a"),
        ("Write to <mailto:a@iom.int> or <https://example.org>", "Write to a@iom.int or https://example.org"),
        ("A&nbsp;B &amp;amp; C", "A B & C"),
        ("<!-- hidden --><b>Bold</b> text", "Bold text"),
    ],
)  # fmt: skip
def test_markup_debris_patterns(debris, expected):
    page = news(f"Title\n{debris}\n")
    assert "\n".join(page.paragraphs) == expected


# --- paragraphs ---------------------------------------------------------------------


def test_hard_wrapped_lines_are_reflowed_and_real_breaks_kept():
    page = parse_fixture("news_no_chrome.txt").page
    assert page.paragraphs[1] == "The centre will also train recruitment agents."
    assert page.paragraphs[2].startswith('"Good information before departure is the best')
    assert "Background" in page.paragraphs  # a short heading line stays its own paragraph


def test_one_paragraph_per_line_pages_are_kept_as_they_are():
    text = "Title\n" + "\n".join(
        f"Paragraph {n} is a complete sentence of its own." for n in range(4)
    )
    assert news(text).paragraphs == [
        f"Paragraph {n} is a complete sentence of its own." for n in range(4)
    ]


def test_reflow_joins_a_compound_broken_at_its_hyphen():
    lines = [
        "The Afro-Ecuadorian women's movement and the local health workers",
        "agreed on a referral route for survivors of gender-",
        "based violence in the province, and on a shared register of cases",
        "that is kept by the health authority.",
        "A second paragraph begins here.",
    ]
    assert layout.reflow(lines) == [
        "The Afro-Ecuadorian women's movement and the local health workers agreed on a "
        "referral route for survivors of gender-based violence in the province, and on a "
        "shared register of cases that is kept by the health authority.",
        "A second paragraph begins here.",
    ]


def test_blank_lines_always_separate_paragraphs():
    assert layout.reflow(["One line", "", "two line", "", "", "three"]) == [
        "One line",
        "two line",
        "three",
    ]


# --- datelines and dates ---------------------------------------------------------------


def test_dateline_with_full_date_sets_published_on():
    page = parse_fixture("news_country_chrome.txt").page
    assert page.dateline == "Quito"
    assert page.published_on == datetime.date(2016, 5, 3)


def test_dateline_followed_by_a_numeric_date():
    page = parse_fixture("news_no_chrome.txt").page
    assert page.dateline == "Geneva"
    assert page.published_on == datetime.date(2019, 3, 12)


def test_french_dateline_date():
    page = parse_fixture("news_french.txt").page
    assert page.dateline == "Agadez"
    assert page.published_on == datetime.date(2018, 2, 14)


def test_date_line_below_the_title():
    page = parse_fixture("news_html_junk.txt").page
    assert page.published_on == datetime.date(2017, 6, 5)
    assert not any(p.startswith("Date:") for p in page.paragraphs)


def test_unreadable_date_line_is_a_warning_not_a_guess():
    result = parse("Title\nDate: 31 February 2017\nThe body of the page.\n")
    assert result.page.published_on is None
    assert result.warnings == ["the publication date '31 February 2017' could not be read"]
    assert result.page.paragraphs == ["The body of the page."]


@pytest.mark.parametrize(
    ("first_paragraph", "dateline", "published_on"),
    [
        ("San Salvador – The Ministry launched it today (17/04).", "San Salvador", None),
        ("GENEVA, Tuesday 17 April 2018 - IOM launched.", "GENEVA", datetime.date(2018, 4, 17)),
        ("Cox's Bazar – Heavy rain hit the camps.", "Cox's Bazar", None),
        ("The Hague – Dutch officials met IOM.", "The Hague", None),
        ("Dhaka, Bangladesh – A new centre opened.", "Dhaka, Bangladesh", None),
        ("In 2017 – the year of change – things happened.", None, None),
        ("IOM – the UN Migration Agency – welcomes the decision.", None, None),
        ("Migrants – many of them children – arrived.", None, None),
    ],
)  # fmt: skip
def test_datelines(first_paragraph, dateline, published_on):
    page = news(f"Title\n{first_paragraph}\n")
    assert (page.dateline, page.published_on) == (dateline, published_on)
    assert page.paragraphs == [first_paragraph]  # the text itself is left as written


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2017", "2017"),
        ("March 2019", "2019-03"),
        ("mars 2017", "2017-03"),
        ("marzo de 2017", "2017-03"),
        ("03/2017", "2017-03"),
        ("2017-03-01", "2017-03-01"),
        ("01/03/2017", "2017-03-01"),
        ("01.03.2017", "2017-03-01"),
        ("1 March 2017", "2017-03-01"),
        ("March 1, 2017", "2017-03-01"),
        ("1er mars 2017", "2017-03-01"),
        ("1 de marzo de 2017", "2017-03-01"),
        ("04/17/2018", "2018-04-17"),
        ("Tuesday, 17 April 2018", "2018-04-17"),
    ],
)
def test_partial_dates_are_read_as_precisely_as_written(text, iso):
    assert parse_partial_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["17/04", "31 February 2017", "3000", "soon", "", "13/13/2017"])
def test_unreadable_dates_give_none(text):
    assert parse_partial_date(text) is None


def test_partial_date_ordering_formatting_and_validation():
    assert PartialDate(2017) < PartialDate(2017, 1) < PartialDate(2017, 1, 2) < PartialDate(2018)
    assert sorted([PartialDate(2018), PartialDate(2017, 5), PartialDate(2017)]) == [
        PartialDate(2017),
        PartialDate(2017, 5),
        PartialDate(2018),
    ]
    assert PartialDate(2017, 3).isoformat() == "2017-03"
    assert PartialDate(2017, 3, 1).as_date() == datetime.date(2017, 3, 1)
    assert PartialDate(2017, 3).as_date() is None
    assert len({PartialDate(2017), PartialDate(2017)}) == 1
    for bad in ((2017, 2, 30), (2017, 13), (2017, None, 5), (0,)):
        with pytest.raises(ValueError):
            PartialDate(*bad)
    with pytest.raises(AttributeError):
        PartialDate(2017).year = 2018  # frozen


# --- contacts -------------------------------------------------------------------------


def test_one_line_contact_in_the_heading():
    (contact,) = parse_fixture("news_country_chrome.txt").page.contacts
    assert contact == Contact(
        name="Laura Méndez",
        office="IOM Ecuador",
        phones=["+593 2 299 4100"],
        emails=["lmendez@iom.int"],
    )


def test_contact_with_job_title_line_and_number_on_the_line_after_its_label():
    (contact,) = parse_fixture("news_no_chrome.txt").page.contacts
    assert contact == Contact(
        name="Hannah Lindqvist",
        office="IOM Port Moresby",
        job_title="Public Information Officer",
        phones=["+675 321 3655"],
        emails=["hlindqvist@iom.int"],
    )


def test_several_contacts_with_job_titles_on_one_line_each():
    contacts = parse_fixture("news_doubled_title.txt").page.contacts
    assert contacts == [
        Contact(
            name="Imran Siddiqui",
            office="IOM Pakistan",
            job_title="Senior Programme Assistant",
            phones=["+92 51 111 222 333"],
            emails=["isiddiqui@iom.int"],
        ),
        Contact(
            name="Joe Hartley",
            office="IOM Geneva",
            job_title="Spokesperson",
            mobiles=["+41 79 555 01 23"],
            emails=["jhartley@iom.int"],
        ),
    ]


def test_empty_labels_take_the_value_on_the_next_line_or_stay_empty():
    contacts = parse_fixture("news_empty_label.txt").page.contacts
    assert contacts == [
        Contact(
            name="Eleni Papadaki",
            office="IOM Greece",
            phones=["+30 210 99 19 040"],
            mobiles=["+30 694 555 1234"],
            emails=["epapadaki@iom.int"],
        ),
        Contact(name="Nikos Stavrou", office="Municipality of Lesvos"),
    ]


def test_french_contacts_heading_and_labels():
    (contact,) = parse_fixture("news_french.txt").page.contacts
    assert contact == Contact(
        name="Aïssata Traoré",
        office="OIM Niger",
        phones=["+227 20 75 23 31"],
        emails=["atraore@iom.int"],
    )


def test_spanish_contacts_heading_job_title_and_labels():
    page = parse_fixture("news_spanish.txt").page
    assert page.contacts == [
        Contact(
            name="Lucía Paredes",
            office="OIM Perú",
            job_title="Oficial de Comunicación",
            phones=["+51 1 633 0000 anexo 221"],
            emails=["lparedes@iom.int"],
        )
    ]
    assert not any("Para más información" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    "heading",
    [
        "For more information please contact:",
        "For further information, please contact:",
        "For more information contact",
        "For more information, contact:",
        "Media contact:",
        "Media contacts:",
        "Contacts:",
        "Contact:",
        "Pour plus d'informations, veuillez contacter :",
        "Pour plus d’informations, merci de contacter :",
        "Para más información, contactar a:",
        "Para mayor información, por favor comuníquese con:",
        "Contacto de prensa:",
    ],
)
def test_contacts_heading_spellings(heading):
    block = "Jane Doe\nIOM Kenya\nTel: +254 20 444 4174\nEmail: JDoe@IOM.int"
    page = news(f"Title\nThe story in one sentence.\n{heading}\n{block}\n")
    assert page.paragraphs == ["The story in one sentence."]
    assert page.contacts == [
        Contact(
            name="Jane Doe",
            office="IOM Kenya",
            phones=["+254 20 444 4174"],
            emails=["jdoe@iom.int"],
        )
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "Jane Doe, IOM Kenya, Tel: +254 20 444 4174; John Roe, IOM Uganda, Email: jroe@iom.int",
            [
                ("Jane Doe", "IOM Kenya", ["+254 20 444 4174"], []),
                ("John Roe", "IOM Uganda", [], ["jroe@iom.int"]),
            ],
        ),
        (
            "Jane Doe (IOM Kenya), jdoe@iom.int, +254 20 444 4174",
            [("Jane Doe", "IOM Kenya", ["+254 20 444 4174"], ["jdoe@iom.int"])],
        ),
        (
            "IOM Kenya\nJane Doe\nTel: +254 20 444 4174\n"
            "IOM Uganda\nJohn Roe\nTel: +256 312 263 210",
            [
                ("Jane Doe", "IOM Kenya", ["+254 20 444 4174"], []),
                ("John Roe", "IOM Uganda", ["+256 312 263 210"], []),
            ],
        ),
        (
            "Jane Doe\nTel. : +254 20 444 4174\nE-mail :\n\"mailto:jdoe@iom.int\">jdoe@iom.int",
            [("Jane Doe", "", ["+254 20 444 4174"], ["jdoe@iom.int"])],
        ),
    ],
)  # fmt: skip
def test_contact_layouts(block, expected):
    page = news(f"Title\nThe story.\nFor more information please contact:\n{block}\n")
    assert [(c.name, c.office, c.phones, c.emails) for c in page.contacts] == expected


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "Leonard Doyle, IOM Spokesperson, Tel: +41 22 717 9589",
            ("Leonard Doyle", "", "IOM Spokesperson"),
        ),
        (
            "Jane Doe\nIOM Chief of Mission in Kenya\nE-mail: jdoe@iom.int",
            ("Jane Doe", "", "IOM Chief of Mission in Kenya"),
        ),
        (
            "Dr. Ana Pérez, Head of Office, IOM Quito, Tel: +593 2 2 993 100",
            ("Dr. Ana Pérez", "IOM Quito", "Head of Office"),
        ),
        (
            "Jane Doe\nUN Office of the Resident Coordinator\nTel: +41 22 717 9111",
            ("Jane Doe", "UN Office of the Resident Coordinator", ""),
        ),
        (
            "Aisha Bello\nRegional Media and Communications Officer\nIOM Dakar\n"
            "Tel: +221 33 869 6200",
            ("Aisha Bello", "IOM Dakar", "Regional Media and Communications Officer"),
        ),
        ("IOM Colombia:\nJ. Gallo, jgallo@iom.int", ("J. Gallo", "IOM Colombia", "")),
    ],
)  # fmt: skip
def test_job_titles_and_offices_are_told_apart(block, expected):
    page = news(f"Title\nThe story.\nFor more information please contact:\n{block}\n")
    (contact,) = page.contacts
    assert (contact.name, contact.office, contact.job_title) == expected


def test_contact_without_a_name_is_kept_with_a_warning():
    result = parse("Title\nThe story.\nMedia contact:\nTel: +41 22 717 9111 Email: media@iom.int\n")
    assert result.page.contacts == [
        Contact(name="", phones=["+41 22 717 9111"], emails=["media@iom.int"])
    ]
    assert result.warnings == ["a contact without a person's name was kept (media@iom.int)"]


def test_boilerplate_after_the_contacts_stays_in_the_text():
    page = news(
        "Title\nThe story.\nFor more information please contact:\nJane Doe, IOM Kenya\n###\n"
        "About IOM: IOM is the leading inter-governmental organization in the field of "
        "migration and works closely with governmental and non-governmental partners.\n"
    )
    assert page.contacts == [Contact(name="Jane Doe", office="IOM Kenya")]
    assert page.paragraphs[-1].startswith("About IOM: IOM is the leading")


def test_tel_fax_and_cell_phone_labels():
    page = news("Title\nStory.\nContacts:\nJane Doe\nIOM Kenya\nTel/Fax: +254 20 444 4174\n"
                "Cell phone: +254 722 555 555\n")  # fmt: skip
    (contact,) = page.contacts
    assert (contact.phones, contact.mobiles) == (["+254 20 444 4174"], ["+254 722 555 555"])


def test_a_sentence_about_contacting_someone_is_not_a_contacts_block():
    page = news(
        "Title\nThe story.\nFor more information, please contact the IOM office in your country.\n"
    )
    assert page.contacts == []
    assert (
        page.paragraphs[-1]
        == "For more information, please contact the IOM office in your country."
    )


def test_heading_without_any_contact_warns():
    result = parse("Title\nThe story.\nFor more information please contact:\n")
    assert result.page.contacts == []
    assert result.warnings == ["a contacts heading was found, but no contact could be read"]


def test_contact_block_cut_in_the_middle_keeps_what_is_there():
    (contact,) = parse_fixture("news_truncated.txt").page.contacts
    assert contact == Contact(name="Moussa Keita", office="IOM Mali", phones=["+223 20 22 76 10"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+ 57.311 561 94 95", "+57.311 561 94 95"),
        ("+ (593.2.225.3948", "+593.2.225.3948"),
        ("(+41) 22 717 9111", "(+41) 22 717 9111"),
        ("+57.1.594.6410 ext. 142", "+57.1.594.6410 ext. 142"),
        ("Office +41 22 717 9111.", "+41 22 717 9111"),
        ("142", None),
        ("call me", None),
    ],
)
def test_clean_phone(raw, expected):
    assert clean_phone(raw) == expected


def test_split_phones_on_or_and_keeps_extensions_together():
    assert split_phones("57.311 5619495 or 57.1.594 6410 ext. 142") == [
        "57.311 5619495",
        "57.1.594 6410 ext. 142",
    ]
    assert split_phones("+41 22 717 9111, ext. 12") == ["+41 22 717 9111, ext. 12"]
    assert split_phones("+41 22 717 9111 / +41 79 555 0123") == [
        "+41 22 717 9111",
        "+41 79 555 0123",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # "OFFICE – NAME, fields": the office may itself contain commas.
        (
            "IOM Regional Office for Latin America and the Caribbean, San José – Lucía Gómez "
            "Díaz, Tel: +506 2212 5300, E-mail: lgomez@iom.int",
            Contact(
                name="Lucía Gómez Díaz",
                office="IOM Regional Office for Latin America and the Caribbean, San José",
                phones=["+506 2212 5300"],
                emails=["lgomez@iom.int"],
            ),
        ),
        (
            "IOM Sub-Office for Turkana, Lodwar - Achieng Otieno, Email: aotieno@iom.int",
            Contact(
                name="Achieng Otieno",
                office="IOM Sub-Office for Turkana, Lodwar",
                emails=["aotieno@iom.int"],
            ),
        ),
        # The same the other way round, and with commas only.
        (
            "Lucía Gómez Díaz – IOM Regional Office for Central America, San José, "
            "Tel: +506 2212 5300",
            Contact(
                name="Lucía Gómez Díaz",
                office="IOM Regional Office for Central America, San José",
                phones=["+506 2212 5300"],
            ),
        ),
        (
            "Lucía Gómez Díaz, IOM Regional Office for Central America, San José, "
            "Tel: +506 2212 5300, Email: lgomez@iom.int",
            Contact(
                name="Lucía Gómez Díaz",
                office="IOM Regional Office for Central America, San José",
                phones=["+506 2212 5300"],
                emails=["lgomez@iom.int"],
            ),
        ),
        # "contact NAME at IOM X, ..." and "NAME, IOM X, Tel ..." one-liners.
        (
            "Please contact Jane Doe at IOM Kenya, Tel: +254 20 444 4174, Email: jdoe@iom.int",
            Contact(
                name="Jane Doe",
                office="IOM Kenya",
                phones=["+254 20 444 4174"],
                emails=["jdoe@iom.int"],
            ),
        ),
        (
            "Jane Doe at IOM Regional Office for East Africa, Nairobi, Tel: +254 20 444 4174",
            Contact(
                name="Jane Doe",
                office="IOM Regional Office for East Africa, Nairobi",
                phones=["+254 20 444 4174"],
            ),
        ),
        (
            "Jane Doe, IOM Kenya, Tel +254 20 444 4174",
            Contact(name="Jane Doe", office="IOM Kenya", phones=["+254 20 444 4174"]),
        ),
        (
            "Contacte a Daniela Ruiz en la OIM Honduras, Tel: +504 2220 1100",
            Contact(name="Daniela Ruiz", office="OIM Honduras", phones=["+504 2220 1100"]),
        ),
    ],
)
def test_one_line_contacts_with_an_office_that_has_commas(line, expected):
    result = parse(f"Title\nThe story.\nFor more information please contact:\n{line}\n")
    assert result.page.contacts == [expected]
    assert result.warnings == []


def test_one_line_contacts_in_a_fixture_keep_office_commas_and_the_office_label():
    page = parse_fixture("news_short_chrome.txt").page
    assert page.contacts == [
        Contact(
            name="Achieng Otieno Wafula",
            office="IOM Sub-Office for Turkana and West Pokot, Lodwar",
            phones=["+254 54 21 333"],
            emails=["aotieno@iom.int"],
        ),
        # "Office:" names the office; the "Fax:" number is not kept.
        Contact(
            name="Brian Kiprono Mutai",
            office="IOM Kenya",
            phones=["+254 20 422 1000"],
            emails=["bmutai@iom.int"],
        ),
    ]
    french = parse_fixture("news_french_country_chrome.txt").page
    assert french.contacts == [
        Contact(
            name="Mariama Souley Hamani",
            office="Bureau de l'OIM pour le Niger et le Tchad, Niamey",
            phones=["+227 20 75 29 90"],
            emails=["mshamani@iom.int"],
        )
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "Aminata Diallo\nOffice: IOM Dakar\nTel: +221 33 869 62 00",
            Contact(name="Aminata Diallo", office="IOM Dakar", phones=["+221 33 869 62 00"]),
        ),
        (
            "Aminata Diallo\nTel: +221 33 869 62 00\nOffice: IOM Dakar",
            Contact(name="Aminata Diallo", office="IOM Dakar", phones=["+221 33 869 62 00"]),
        ),
        (
            "Aminata Diallo, Office: IOM Dakar, Tel: +221 33 869 62 00",
            Contact(name="Aminata Diallo", office="IOM Dakar", phones=["+221 33 869 62 00"]),
        ),
        # "Office:" with a number is the office's phone.
        (
            "Aminata Diallo\nIOM Senegal\nOffice: +221 33 869 62 00",
            Contact(name="Aminata Diallo", office="IOM Senegal", phones=["+221 33 869 62 00"]),
        ),
        # Fax numbers are dropped: after their label, on the next line, or as "Telefax".
        (
            "Aminata Diallo\nTel: +221 33 869 62 00 Fax: +221 33 869 62 01",
            Contact(name="Aminata Diallo", phones=["+221 33 869 62 00"]),
        ),
        (
            "Aminata Diallo\nTel: +221 33 869 62 00\nFax:\n+221 33 869 62 01",
            Contact(name="Aminata Diallo", phones=["+221 33 869 62 00"]),
        ),
        (
            "Aminata Diallo\nTelefax: +221 33 869 62 01\nTélécopie : +221 33 869 62 02\n"
            "Email: adiallo@iom.int",
            Contact(name="Aminata Diallo", emails=["adiallo@iom.int"]),
        ),
    ],
)
def test_office_label_sets_the_office_and_fax_numbers_are_not_phones(block, expected):
    result = parse(f"Title\nThe story.\nFor more information please contact:\n{block}\n")
    assert result.page.contacts == [expected]
    assert result.warnings == []


def test_a_second_office_label_starts_a_second_contact():
    page = news(
        "Title\nThe story.\nContacts:\nAminata Diallo\nOffice: IOM Dakar\nTel: +221 33 869 62 00\n"
        "Office: IOM Bamako\nTel: +223 20 22 76 10\n"
    )
    assert [(c.name, c.office, c.phones) for c in page.contacts] == [
        ("Aminata Diallo", "IOM Dakar", ["+221 33 869 62 00"]),
        ("", "IOM Bamako", ["+223 20 22 76 10"]),
    ]


LAC = "IOM Regional Office for Latin America and the Caribbean"
LOPEZ = {"name": "Julio López", "phones": ["+506 2212 5300"], "emails": ["jlopez@iom.int"]}
FIELDS = 'Tel: +506 2212 5300\nE-mail:\n"mailto:jlopez@iom.int">jlopez@iom.int'


@pytest.mark.parametrize(
    ("office_line", "office"),
    [
        # English, French and Spanish office names, with a city after a comma or a dash, or none.
        (f"{LAC}, San José", f"{LAC}, San José"),
        (f"{LAC} – San José", f"{LAC}, San José"),
        (f"{LAC} - San José", f"{LAC}, San José"),
        (LAC, LAC),
        ("IOM Country Office, Port Moresby", "IOM Country Office, Port Moresby"),
        ("IOM Mission in Costa Rica, San José", "IOM Mission in Costa Rica, San José"),
        (
            "UN Resident Coordinator's Office – San Salvador",
            "UN Resident Coordinator's Office, San Salvador",
        ),
        (
            "Bureau régional de l'OIM pour l'Afrique de l'Ouest et du Centre, Saint Louis",
            "Bureau régional de l'OIM pour l'Afrique de l'Ouest et du Centre, Saint Louis",
        ),
        ("Bureau de l'OIM – Port Louis", "Bureau de l'OIM, Port Louis"),
        (
            "OIM Oficina Regional para Centroamérica, Norteamérica y el Caribe, San José",
            "OIM Oficina Regional para Centroamérica, Norteamérica y el Caribe, San José",
        ),
        ("Oficina de País de la OIM – Santa Cruz", "Oficina de País de la OIM, Santa Cruz"),
        ("Misión de la OIM en Bolivia, La Paz", "Misión de la OIM en Bolivia, La Paz"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("layout", ["person first", "office first", "job title between"])
def test_an_office_line_with_its_city_is_the_office_of_the_person_never_a_second_person(
    office_line, office, layout
):
    person = {
        "person first": f"Julio López\n{office_line}",
        "office first": f"{office_line}\nJulio López",
        "job title between": f"Julio López\nSenior Media Officer\n{office_line}",
    }[layout]
    result = parse(f"Title\nThe story.\nFor more information please contact:\n{person}\n{FIELDS}\n")
    job_title = "Senior Media Officer" if layout == "job title between" else ""
    assert result.page.contacts == [Contact(office=office, job_title=job_title, **LOPEZ)]
    assert result.warnings == []


def test_an_office_line_with_a_city_between_two_people_belongs_to_each_of_them():
    page = news(
        "Title\nThe story.\nContacts:\n"
        f"Julio López\n{LAC}, San José\nTel: +506 2212 5300\nEmail: jlopez@iom.int\n"
        "Ana Ruiz\nOIM Oficina Regional – San José\nCorreo electrónico: aruiz@iom.int\n"
    )
    assert [(c.name, c.office, c.emails) for c in page.contacts] == [
        ("Julio López", f"{LAC}, San José", ["jlopez@iom.int"]),
        ("Ana Ruiz", "OIM Oficina Regional, San José", ["aruiz@iom.int"]),
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # An office with its city and no person anywhere: a contact without a name.
        (
            f"{LAC} – San José\nTel: +506 2212 5300\nEmail: media.sanjose@iom.int",
            Contact(
                name="",
                office=f"{LAC}, San José",
                phones=["+506 2212 5300"],
                emails=["media.sanjose@iom.int"],
            ),
        ),
        # A city as the heading of its contacts.
        (
            "IOM Mission in Costa Rica, San José:\nJulio López, jlopez@iom.int",
            Contact(
                name="Julio López",
                office="IOM Mission in Costa Rica, San José",
                emails=["jlopez@iom.int"],
            ),
        ),
        # Evidence of a person after an office: a job title after the name,
        (
            "IOM Kenya, Jane Doe, Media Officer, Tel: +254 20 444 4174",
            Contact(
                name="Jane Doe",
                office="IOM Kenya",
                job_title="Media Officer",
                phones=["+254 20 444 4174"],
            ),
        ),
        # an e-mail address made from the name,
        (
            "IOM Kenya – Jane Doe\nTel: +254 20 444 4174\nEmail: jdoe@iom.int",
            Contact(
                name="Jane Doe",
                office="IOM Kenya",
                phones=["+254 20 444 4174"],
                emails=["jdoe@iom.int"],
            ),
        ),
        (
            "Bureau de l'OIM au Sénégal, Aminata Diallo Sow\nCourriel : adiallo@iom.int",
            Contact(name="Aminata Diallo Sow", office="Bureau de l'OIM au Sénégal",
                    emails=["adiallo@iom.int"]),
        ),
        # the "OFFICE – NAME, fields" line.
        (
            "OIM Oficina Regional, San José – Julio López, Correo electrónico: jlopez@iom.int",
            Contact(name="Julio López", office="OIM Oficina Regional, San José",
                    emails=["jlopez@iom.int"]),
        ),
        (
            "OIM Oficina Regional – Julio López, Tel: +506 2212 5300",
            Contact(name="Julio López", office="OIM Oficina Regional", phones=["+506 2212 5300"]),
        ),
    ],
)  # fmt: skip
def test_name_like_words_after_an_office_are_a_person_only_on_evidence(block, expected):
    result = parse(f"Title\nThe story.\nFor more information please contact:\n{block}\n")
    assert result.page.contacts == [expected]


@pytest.mark.parametrize(
    ("name", "emails", "made_from"),
    [
        ("Jorge Andres Gallo", ["jgallo@iom.int"], True),
        ("José Miguel Gómez", ["miggomez@iom.int"], True),
        ("Carlos León", ["carlos.leon@one.un.org"], True),
        ("Jane Doe", ["media@iom.int", "jdoe@iom.int"], True),
        ("Lucía de la Cruz", ["lcruz@iom.int"], True),
        ("San José", ["jlopez@iom.int"], False),
        ("Port Moresby", ["hlindqvist@iom.int"], False),
        ("Jane Doe", [], False),
        ("", ["jdoe@iom.int"], False),
    ],
)
def test_email_is_made_from_a_name(name, emails, made_from):
    assert email_is_made_from(name, emails) is made_from


# --- project pages --------------------------------------------------------------------


def test_project_with_empty_label_and_several_states_on_one_line():
    result = parse_fixture("project_states_line.txt")
    page = result.page
    assert page.project_code == "MA.0451"
    assert page.metadata["End Date"] == ""
    assert page.end is None
    assert page.start == PartialDate(2019, 3)
    assert page.budget_usd == Decimal("1250000.50")
    assert page.coverage_normalized == "regional"
    assert (page.status, page.status_normalized) == ("Active", "active")
    assert page.benefiting_states == [
        State("El Salvador", "SV"),
        State("Costa Rica", "CR"),
        State("Venezuela (Bolivarian Republic of)", "VE"),
        State("Colombia", "CO"),
        State("Kosovo (as per UNSC 1244)", None),
    ]
    assert result.warnings == [
        "the benefiting member state 'Kosovo (as per UNSC 1244)' was not recognised"
    ]
    assert len(page.paragraphs) == 2


def test_french_project_page():
    result = parse_fixture("project_french.txt")
    page = result.page
    assert page.language == "fr"
    assert page.project_code == "IB.0120"
    assert page.prima_id == "ML10P0007"
    assert (page.status, page.status_normalized) == ("Terminé", "completed")
    assert page.budget_usd == Decimal("100000.00")
    assert (page.coverage, page.coverage_normalized) == ("Régional", "regional")
    assert page.start == PartialDate(2016, 9, 1)
    assert page.end == PartialDate(2018, 8)
    assert page.year == 2016
    # The region and type by their English names, so French and English pages share them.
    assert page.region == "West and Central Africa"
    assert page.project_type == "Immigration and Border Management"
    assert [s.code for s in page.benefiting_states] == ["ML", "NE", "BF", "CI"]
    assert page.metadata["Montant du budget (USD)"] == "100 000,00"
    assert result.warnings == []


def test_spanish_project_page():
    result = parse_fixture("project_spanish.txt")
    page = result.page
    assert page.language == "es"
    assert page.project_code == "CD.0099"
    assert (page.status, page.status_normalized) == ("Finalizado", "completed")
    assert page.budget_usd == Decimal("1250000")
    assert page.coverage_normalized == "regional"
    assert (page.start, page.end, page.year) == (PartialDate(2017), PartialDate(2019), 2017)
    assert page.benefiting_states == [
        State("Guatemala", "GT"),
        State("Honduras", "HN"),
        State("El Salvador", "SV"),
    ]
    assert result.warnings == []


def test_budget_that_is_not_a_number_is_a_parse_error():
    with pytest.raises(ParseError) as error:
        parse_fixture("project_budget_nan.txt")
    assert str(error.value) == "the budget 'pending donor approval' is not a number"


def test_project_without_code_is_read_with_a_warning():
    result = parse_fixture("project_no_code.txt")
    page = result.page
    assert result.kind == "project"
    assert (page.title, page.project_code) == ("Labour Migration Information Campaign", None)
    assert (page.start, page.status_normalized, page.coverage_normalized) == (
        PartialDate(2015),
        "completed",
        "national",
    )
    assert page.benefiting_states == [State("Nepal", "NP")]
    assert result.warnings == ["no project code: identified by its title"]


def test_project_like_page_with_unknown_labels_is_a_parse_error():
    with pytest.raises(ParseError, match="none of its field labels were recognised"):
        parse_fixture("project_unknown_labels.txt")


def test_truncated_project_page_keeps_what_is_there():
    page = parse_fixture("project_truncated.txt").page
    assert page.project_code == "LM.0311"
    assert page.benefiting_states == [State("Ethiopia", "ET")]
    assert page.paragraphs == [
        "The project works with schools and women's associations in Amhara and Tigray to "
        "explain the ri"
    ]


def test_project_without_a_title_is_a_parse_error():
    text = CHROME + "\n-\nStart Date\n2017\n-\nProjects ID\nXX.0001\n"
    with pytest.raises(ParseError, match="a project page without a title"):
        parse(text)


def test_unknown_label_is_kept_in_metadata_with_a_warning():
    result = parse(project_text(("Projects ID", "AB.0001"), ("Donor", "Government of Japan")))
    assert result.page.metadata == {"Projects ID": "AB.0001", "Donor": "Government of Japan"}
    assert "an unknown project field was kept as it is: 'Donor'" in result.warnings


def test_unknown_status_and_coverage_are_kept_raw_with_warnings():
    result = parse(
        project_text(
            ("Projects ID", "AB.1"), ("Project Status", "Dormant"), ("Coverage", "Galactic")
        )
    )
    page = result.page
    assert (page.status, page.status_normalized) == ("Dormant", None)
    assert (page.coverage, page.coverage_normalized) == ("Galactic", None)
    assert "the project status 'Dormant' is not one we know" in result.warnings
    assert "the coverage 'Galactic' is not one we know" in result.warnings


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("Completed", "completed"), ("Terminé", "completed"), ("Finalizado", "completed"),
        ("Active", "active"), ("En cours", "active"), ("En ejecución", "active"),
        ("Pipeline", "pipeline"), ("En préparation", "pipeline"),
        ("Suspended", "suspended"), ("Suspendido", "suspended"),
        ("Cancelled", "cancelled"), ("Annulé", "cancelled"),
    ],
)  # fmt: skip
def test_status_translations(value, normalized):
    page = project(project_text(("Projects ID", "AB.1"), ("Project Status", value)))
    assert page.status_normalized == normalized


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("100000.00", "en", "100000.00"),
        ("100,000.00", "en", "100000.00"),
        ("USD 100000", "en", "100000"),
        ("US$ 250,000", "en", "250000"),
        ("100 000,00", "fr", "100000.00"),
        ("100\u00a0000,00 USD", "fr", "100000.00"),
        ("1.250.000", "es", "1250000"),
        ("1.250.000,75", "es", "1250000.75"),
        ("100.000", "es", "100000"),
        ("1'500'000", "en", "1500000"),
        ("1.2 million", "en", "1200000.0"),
        ("100,000.00 (approx.)", "en", "100000.00"),
    ],
)
def test_budget_formats_give_exact_decimals(value, language, expected):
    amount = parse_budget(value, language)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


BUDGET_PLACEHOLDERS = [
    "to be confirmed", "To Be Determined", "TBC", "TBD", "tbc.", "n/a", "N/A", "N.A.", "-",
    "—", "--", "pending", "Pending", "non disponible", "à confirmer", "por determinar",
    "(n/a)", "USD n/a", "TBD (awaiting the donor)", "",
]  # fmt: skip


@pytest.mark.parametrize("value", BUDGET_PLACEHOLDERS)
def test_budget_placeholders_mean_no_amount(value):
    assert parse_budget(value, "en") is None


@pytest.mark.parametrize(
    "value",
    ["abc", "1,2,3.4.5", "12 apples", "$$$", "about a million", "USD", "pending donor approval"],
)
def test_budget_garbage_is_a_parse_error(value):
    with pytest.raises(ParseError) as error:
        parse_budget(value, "en")
    assert str(error.value) == f"the budget {value!r} is not a number"


@pytest.mark.parametrize("value", [v for v in BUDGET_PLACEHOLDERS if v])
def test_budget_placeholders_on_a_page_give_none_and_a_warning(value):
    result = parse(
        project_text(("Projects ID", "AB.1"), ("Budget Amount (USD)", value), ("Year", "2017"))
    )
    assert result.page.budget_usd is None
    if value in ("-", "—", "--"):
        # On a page a lone dash cannot be told from the dash that opens the next field.
        assert result.warnings == ["the budget is empty; it gives no amount"]
    else:
        assert result.warnings == [f"the budget {value!r} gives no amount"]


def test_project_fixture_with_a_budget_to_be_confirmed():
    result = parse_fixture("project_budget_placeholder.txt")
    assert (result.page.project_code, result.page.budget_usd) == ("KE.0912", None)
    assert result.warnings == ["the budget 'To be confirmed' gives no amount"]


def test_project_with_chrome_doubled_title_and_caption_before_its_metadata():
    text = CHROME + "\n" + project_text(("Projects ID", "AB.0002"), ("Year", "2018"), title="Wells")
    text = text.replace("Wells\n", "Wells\nWells\n© IOM 2018 / A. Photographer\n", 1)
    page = project(text)
    assert (page.title, page.project_code, page.year) == ("Wells", "AB.0002", 2018)
    assert page.paragraphs == ["The project helps migrants in many ways across the region."]


def test_project_field_variants_inline_and_dash_item_labels():
    inline = project(
        "Wells\n-\nStart Date: 2019\n-\nProjects ID: WS.1\nThe project drills wells.\n"
    )
    assert (inline.project_code, inline.start) == ("WS.1", PartialDate(2019))
    dash_item = project(
        "Wells\n- Start Date\n2019\n- Projects ID\nWS.2\nThe project drills wells.\n"
    )
    assert (dash_item.project_code, dash_item.start) == ("WS.2", PartialDate(2019))


def test_states_listed_one_per_line_are_all_kept():
    page = project(
        "Title\n-\nProjects ID\nAB.1\n-\nBenefiting Member States\nColombia\nEcuador\nPeru\n"
        "The project description follows here and is a long sentence about things.\n"
    )
    assert [s.code for s in page.benefiting_states] == ["CO", "EC", "PE"]
    assert page.paragraphs == [
        "The project description follows here and is a long sentence about things."
    ]


def test_states_label_without_value_does_not_eat_the_description():
    page = project(
        "Title\n-\nProjects ID\nAB.1\n-\nBenefiting Member States\n"
        "The department of Norte de Santander in Colombia has been affected by the closure.\n"
    )
    assert page.benefiting_states == []
    assert page.paragraphs[0].startswith("The department of Norte de Santander")


def test_end_before_start_and_unreadable_values_warn():
    result = parse(
        project_text(
            ("Projects ID", "AB.1"),
            ("Start Date", "2019"),
            ("End Date", "2017"),
            ("Year", "next year"),
        )
    )
    assert "the end date 2017 is before the start date 2019" in result.warnings
    assert "the year 'next year' could not be read" in result.warnings
    assert result.page.year is None


# --- countries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Iran (Islamic Republic of)", "IR"),
        ("United Republic of Tanzania", "TZ"),
        ("Republic of Moldova", "MD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Viet Nam", "VN"),
        ("Lao People's Democratic Republic", "LA"),
        ("Syrian Arab Republic", "SY"),
        ("Russian Federation", "RU"),
        ("Republic of Korea", "KR"),
        ("State of Palestine", "PS"),
        ("the Gambia", "GM"),
        ("St. Lucia", "LC"),
        ("COLOMBIA", "CO"),
        ("Équateur", "EC"),
        ("Colombie", "CO"),
        ("Royaume-Uni", "GB"),
        ("Allemagne", "DE"),
        ("Afrique du Sud", "ZA"),
        ("Chine", "CN"),
        ("Perú", "PE"),
        ("Peru", "PE"),
        ("Estados Unidos", "US"),
        ("Países Bajos", "NL"),
        ("Costa de Marfil", "CI"),
        ("Japón", "JP"),
    ],
)
def test_resolve_country(name, code):
    assert resolve_country(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "Korea", "Kosovo", "", "Latin America"])
def test_unknown_or_ambiguous_countries_resolve_to_none(name):
    assert resolve_country(name) is None


def test_alias_tables_do_not_contradict_the_iso_names():
    assert countries.ALIAS_CONFLICTS == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Colombia Ecuador Peru", [("Colombia", "CO"), ("Ecuador", "EC"), ("Peru", "PE")]),
        ("El Salvador Costa Rica", [("El Salvador", "SV"), ("Costa Rica", "CR")]),
        (
            "Venezuela (Bolivarian Republic of) Colombia",
            [("Venezuela (Bolivarian Republic of)", "VE"), ("Colombia", "CO")],
        ),
        ("Colombia, Ecuador and Peru", [("Colombia", "CO"), ("Ecuador", "EC"), ("Peru", "PE")]),
        ("Sudan South Sudan", [("Sudan", "SD"), ("South Sudan", "SS")]),
        ("Guinea Equatorial Guinea", [("Guinea", "GN"), ("Equatorial Guinea", "GQ")]),
        ("Trinidad and Tobago", [("Trinidad and Tobago", "TT")]),
        ("Atlantis Utopia Chile", [("Atlantis Utopia", None), ("Chile", "CL")]),
    ],
)
def test_split_country_list_is_greedy(text, expected):
    assert countries.split_country_list(text) == expected


# --- decoding, normalizing, hashing -----------------------------------------------------


def test_decode_utf8_with_bom_and_crlf():
    text, warnings = decode(fixture("news_crlf_bom.txt"))
    assert warnings == []
    assert "\r" not in text and not text.startswith("\ufeff")
    page = parse(text).page
    assert page.title == "Winter Assistance Reaches 4,000 Families in Northern Iraq"
    assert page.contacts[0].emails == ["scollins@iom.int"]


def test_decode_windows_1252_with_a_warning():
    data = fixture("news_cp1252.txt")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is not UTF-8
    text, warnings = decode(data)
    assert warnings == ["the file is not UTF-8; it was read as Windows-1252"]
    page = parse(text).page
    assert page.title == "IOM Helps Stranded Fishermen Return to Côte d'Ivoire"
    assert (
        page.paragraphs[1]
        == "“We had lost hope,” said Sékou Ouattara, the captain of one of the boats."
    )
    assert page.dateline == "Abidjan"
    assert page.contacts[0].name == "Aminata Koné"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\r\n\t", "the file is empty"),
        (b"\xef\xbb\xbf\r\n", "the file is empty"),
        (b"abc\x00def", "the file looks binary, not text"),
        (bytes(range(1, 32)) * 10, "the file looks binary, not text"),
        (b"\xff\x81\x8d\x8f\x90", "the file is neither UTF-8 nor Windows-1252 text"),
    ],
)
def test_decode_rejects_with_plain_reasons(data, reason):
    with pytest.raises(ParseError) as error:
        decode(data)
    assert str(error.value) == reason


def test_decode_rejects_binary_fixture():
    with pytest.raises(ParseError, match="binary"):
        decode(fixture("binary.txt"))


def test_decode_rejects_empty_fixture():
    with pytest.raises(ParseError, match="empty"):
        decode(fixture("empty.txt"))


def test_decode_utf8_cut_inside_a_character_keeps_the_rest():
    text, warnings = decode("Título\nCafé".encode()[:-1])
    assert text == "Título\nCaf"
    assert warnings == ["the file ends in the middle of a character (it may be truncated)"]


def test_decode_utf8_with_bom_cut_inside_a_character_keeps_the_rest():
    # "utf-8-sig" counts error offsets after the BOM; the cut must still be recognised.
    text, warnings = decode("\ufeffTitle\nErbil – Aid".encode()[:-5])
    assert text == "Title\nErbil "
    assert warnings == ["the file ends in the middle of a character (it may be truncated)"]


def test_decode_repairs_doubly_encoded_accents():
    text, warnings = decode("José Gómez – Bogotá".encode().decode("cp1252").encode())
    assert text == "José Gómez – Bogotá"
    assert warnings == ["accents were encoded twice (mojibake); they were repaired"]


def test_decode_utf16_with_bom():
    text, warnings = decode("Title\r\nBody".encode("utf-16"))
    assert text == "Title\nBody"
    assert warnings == ["the file is UTF-16 text; it was read as such"]


def test_normalize_and_content_hash():
    messy = "\ufeff\n\nTitle  \r\nCafe\u0301\t\r\n\r\n"
    assert normalize(messy) == "Title\nCafé"
    assert content_hash(messy) == content_hash("Title\nCafé\n")
    assert content_hash("Title\nCafé") != content_hash("Title\nCafe")
    assert len(content_hash("x")) == 64


# --- the parse() contract ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("   \n\t\n", "the file is empty"),
        ("a\x00b\nc", "the file looks binary, not text"),
        ("<script>alert(1)</script>\n<p></p>", "the file has no readable text"),
        ("Just a title\n", "only one line of content was found (a title without text)"),
    ],
)  # fmt: skip
def test_parse_rejects_with_plain_reasons(text, reason):
    with pytest.raises(ParseError) as error:
        parse(text)
    assert str(error.value).startswith(reason)


def test_parse_rejects_non_text():
    with pytest.raises(ParseError):
        parse(b"bytes are not text")  # type: ignore[arg-type]


def test_parse_turns_an_internal_failure_into_a_parse_error(monkeypatch):
    import legacy.parser as parser_module

    def broken(*args, **kwargs):
        raise IndexError("boom")

    monkeypatch.setattr(parser_module, "build_news", broken)
    with pytest.raises(ParseError, match="unexpected layout \\(IndexError\\)"):
        parse("Title\nBody text.\n")


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


def test_news_page_result_types():
    result = parse_fixture("news_french.txt")
    assert result.kind == "news"
    assert isinstance(result.page, NewsPage)
    assert all(isinstance(c, Contact) for c in result.page.contacts)
    assert isinstance(result.page.published_on, datetime.date)
