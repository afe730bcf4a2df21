"""Classes of news pages from issue 12: captions before the dateline, kinds, French and Spanish
contact blocks, truncated pages. Parser units first, then the same pages through the
``import_legacy`` command. All texts and fixtures are our own, in the old site's layout.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from legacy.parser import Contact, NewsPage, decode, parse
from legacy.parsing import captions
from legacy.parsing.kinds import classify
from legacy.parsing.layout import stops_mid_sentence
from legacy.parsing.news import TRUNCATED
from news.models import NewsItem

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "demo" / "legacy"
CHROME = "\n".join((DEMO / "demo_001.txt").read_text(encoding="utf-8").split("\n")[:22])

DATELINE = (
    "Cox's Bazar, 12 April 2019 – Some 2,000 Rohingya volunteers trained by IOM spent the "
    "past month clearing drains and reinforcing slopes in the camps."
)
SECOND = "The volunteers work in teams of ten, each with a team leader."
CONTACTS = "For more information please contact:\nOlivia Headon\nIOM Bangladesh\nE-mail: oh@iom.int"


def page_of(text: str):
    result = parse(text)
    assert result.kind == "news"
    return result.page, result.warnings


def news_page(*lines: str, title: str = "Volunteers Ready Camps for the Cyclone Season"):
    return page_of("\n".join([CHROME, title, *lines]) + "\n")


def fixture_page(name: str):
    text, _ = decode((FIXTURES / name).read_bytes())
    return page_of(text)


# --- captions: single lines ------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "© IOM 2017",
        "© IOM 2017/Rabia Qureshi",
        "(c) IOM 2015",
        "Photo: IOM/Jane Doe",
        "Photo : OIM",
        "Foto: OIM",
        "Crédit photo : OIM/Amadou Diallo",
        "Photo by Jane Doe",
        "Migrants wait at the port of Catania. Photo: IOM/Francesco Malavolta",
        "A nurse checks a child's temperature (Photo: Daniel Ortega Vela)",
    ],
)
def test_caption_markers(line):
    assert captions.is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "She pointed at the photo: her son, who left in 2015.",
        "The photos were shown at the exhibition in Geneva.",
        "IOM 2030 Strategy Launched in Nairobi",
        "IOM and UNHCR",
        "IOM-Ecuador",
        "IOM – Jane Doe, Email: jdoe@iom.int",
    ],
)
def test_prose_offices_and_contact_lines_are_not_captions_or_credits(line):
    assert not captions.is_caption(line)
    assert not captions.is_credit(line)


@pytest.mark.parametrize(
    "line",
    ["IOM 2017", "IOM/Muse Mohammed", "OIM / Juan Pérez", "UN Migration Agency (IOM) 2018",
     "2019 IOM", "IOM 2017/Amanda Nero", "© IOM", "Foto: OIM"],
)  # fmt: skip
def test_credit_lines(line):
    assert captions.is_credit(line)


def test_slideshow_counters_and_bare_years_are_widget_debris():
    assert captions.is_widget_debris("1 of 3")
    assert captions.is_widget_debris("2/5")
    assert captions.is_widget_debris("2017")
    assert not captions.is_widget_debris("12 of 2017")  # not a counter: 12 > ... 2017
    assert not captions.is_widget_debris("2017 was a hard year.")
    assert captions.caption_text("1 of 3 Migrants queue at the border") == (
        "Migrants queue at the border"
    )


# --- captions before the dateline (class 3) --------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["© IOM 2019"], ["© IOM 2019"]),
        (["Photo: IOM/Olivia Headon"], ["Photo: IOM/Olivia Headon"]),
        (["IOM 2019"], ["IOM 2019"]),
        (["IOM 2019", "IOM 2019"], ["IOM 2019"]),  # printed twice, kept once
        (["1 of 3", "Volunteers clear a drain. © IOM 2019"],
         ["Volunteers clear a drain. © IOM 2019"]),
        (["2019", "IOM/Olivia Headon"], ["IOM/Olivia Headon"]),
        (
            ["1 of 3 Volunteers clear a drain in Camp 11", "IOM 2019"],
            ["Volunteers clear a drain in Camp 11", "IOM 2019"],
        ),
        (
            ["Volunteers clear a drainage channel in Camp 11.", "© IOM 2019/Olivia Headon"] * 2,
            ["Volunteers clear a drainage channel in Camp 11.", "© IOM 2019/Olivia Headon"],
        ),
        # No marker at all, but it stands between the title and the dateline paragraph.
        (["Volunteers clear a drainage channel in Camp 11"],
         ["Volunteers clear a drainage channel in Camp 11"]),
        (
            ["A volunteer explains the flag system to a family.", "Photo: IOM/Mashrif Abdullah"],
            ["A volunteer explains the flag system to a family.", "Photo: IOM/Mashrif Abdullah"],
        ),
    ],
)  # fmt: skip
def test_captions_before_the_dateline_are_kept_apart_and_the_dateline_is_found(header, expected):
    page, warnings = news_page(*header, DATELINE, SECOND, CONTACTS)
    assert page.captions == expected
    assert page.dateline == "Cox's Bazar"
    assert page.published_on.isoformat() == "2019-04-12"
    assert page.paragraphs == [DATELINE, SECOND]
    assert warnings == []


def test_a_caption_and_a_date_line_in_either_order_before_the_dateline():
    page, _ = news_page("© IOM 2019", "Date: 12 April 2019", DATELINE, SECOND)
    assert page.captions == ["© IOM 2019"]
    assert page.paragraphs[0] == DATELINE
    page, _ = news_page("12 April 2019", "Photo: IOM", DATELINE, SECOND)
    assert page.captions == ["Photo: IOM"]
    assert page.paragraphs[0] == DATELINE


def test_captions_above_the_title_are_kept_too():
    page, _ = page_of(f"{CHROME}\n© IOM 2019\nThe Title of the Release\n{DATELINE}\n{SECOND}\n")
    assert page.title == "The Title of the Release"
    assert page.captions == ["© IOM 2019"]
    assert page.paragraphs == [DATELINE, SECOND]


def test_a_dateline_paragraph_is_never_a_caption():
    page, _ = news_page(DATELINE, "IOM 2019", SECOND)
    assert page.paragraphs == [DATELINE, SECOND]
    assert page.dateline == "Cox's Bazar"
    assert page.captions == ["IOM 2019"]


def test_an_undated_first_paragraph_is_never_taken_for_a_caption():
    first = "A group of displaced women are earning a living making sacks for coffee."
    page, _ = news_page(first, "The 70 women belong to an association in Bucaramanga.")
    assert page.paragraphs[0] == first
    assert page.captions == []


def test_a_credit_above_an_undated_first_paragraph_is_a_caption():
    first = "Amina was 17 when she left her village in the north with only a small bag."
    page, _ = news_page("IOM/Muse Mohammed", first, SECOND)
    assert page.captions == ["IOM/Muse Mohammed"]
    assert page.paragraphs == [first, SECOND]


def test_hard_wrapped_text_whose_third_line_looks_like_a_dateline_is_not_eaten():
    wrapped = [
        "The mobile teams travelled from the capital to the towns of the south",
        "coast this month, visiting camps and villages along the road and ending",
        "in Port Salut – Each visit lasted two days and included health checks",
        "and a vaccination session for the children of the camp and the village.",
        "The teams will go back in June, when the rains have ended and the roads",
        "are open again for the trucks that carry the vaccines and the tents.",
    ]
    page, _ = news_page(*wrapped)
    assert page.captions == []
    assert page.paragraphs[0].startswith("The mobile teams travelled")
    assert page.dateline is None


def test_captions_between_paragraphs_are_kept_in_order_and_removed_from_the_body():
    page, _ = news_page(
        "© IOM 2019",
        DATELINE,
        "A volunteer explains the flag system to a family",
        "Photo: IOM/Mashrif Abdullah",
        SECOND,
        "IOM 2019/Olivia Headon",
        "The programme is funded by the United Kingdom.",
    )
    assert page.captions == [
        "© IOM 2019",
        "A volunteer explains the flag system to a family",
        "Photo: IOM/Mashrif Abdullah",
        "IOM 2019/Olivia Headon",
    ]
    assert page.paragraphs == [DATELINE, SECOND, "The programme is funded by the United Kingdom."]


def test_a_full_sentence_above_a_credit_between_paragraphs_stays_in_the_body():
    # Between paragraphs only a line without a full stop is taken for the credit's caption:
    # a finished sentence there is more likely the story's own.
    page, _ = news_page(DATELINE, SECOND, "Photo: IOM/Mashrif Abdullah", "The end of it.")
    assert page.paragraphs == [DATELINE, SECOND, "The end of it."]
    assert page.captions == ["Photo: IOM/Mashrif Abdullah"]


@pytest.mark.parametrize(
    ("name", "dateline", "first_caption", "office"),
    [
        ("news_captions_en.txt", "Cox's Bazar",
         "Volunteers clear a drainage channel in Camp 11 ahead of the monsoon.", "IOM Bangladesh"),
        ("news_captions_fr.txt", "Niamey", "Photo : OIM", "OIM Niger"),
        ("news_captions_es.txt", "Cúcuta", "Foto: OIM", "OIM Colombia"),
    ],
)  # fmt: skip
def test_full_pages_with_captions_in_three_languages(name, dateline, first_caption, office):
    page, warnings = fixture_page(name)
    assert page.dateline == dateline
    assert page.published_on is not None
    assert page.captions[0] == first_caption
    assert page.paragraphs[0].startswith(f"{dateline}, ")
    assert not any(c in p for c in page.captions for p in page.paragraphs)
    assert [c.office for c in page.contacts] == [office]
    assert warnings == []


# --- kinds (class 5) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("IOM Statement on International Migrants Day 2017", "statement"),
        ("Statement by the Director General on World Refugee Day", "statement"),
        ("Joint Statement of UNHCR and IOM on the Rohingya Crisis", "statement"),
        ("Director General's Statement on the Global Compact", "statement"),
        ("IOM and UNHCR Joint Statement on Libya", "statement"),
        ("Director General António Vitorino's Statement on World Refugee Day", "statement"),
        ("Declaración del Director General de la OIM en el Día del Migrante", "statement"),
        ("Déclaration du Directeur général de l'OIM à l'occasion de la Journée", "statement"),
        ("Declaración conjunta ACNUR-OIM sobre la situación en Venezuela", "statement"),
        ("Remarks by the Director General at the Opening of the Council", "statement"),
        ("IOM Press Briefing Notes", "briefing"),
        ("Notes for the Press: Mediterranean, Yemen, Bangladesh", "briefing"),
        ("Point de presse du 3 mars", "briefing"),
        ("Nota informativa: respuesta en Venezuela", "briefing"),
        ("Libya Crisis Update", "update"),
        ("Flash Update #3: Cyclone Idai", "update"),
        ("Situation Report 12 – Rohingya Refugee Crisis", "update"),
        ("Mise à jour : la situation au Mozambique", "update"),
        ("Actualización sobre la situación en el Darién", "update"),
        ("Mediterranean Migrant Arrivals Reach 100,000 in 2017; Deaths Reach 2,300", "update"),
        ("Llegadas de migrantes por el Mediterráneo superan las 50.000", "update"),
        # Words that only look like a kind's.
        ("Ministers Adopt Statement on Migration", "press-release"),
        ("Governments Sign Statement of Intent on Labour Mobility", "press-release"),
        ("Déclaration de Bamako adoptée par les ministres", "press-release"),
        ("IOM Updates Guidelines on Labour Migration", "press-release"),
    ],
)  # fmt: skip
def test_kind_from_the_title(title, kind):
    page, _ = news_page(DATELINE, SECOND, CONTACTS, title=title)
    assert classify(page) == kind


def test_a_contacts_block_makes_a_press_release_a_dateline_alone_does_not():
    undated = "IOM trained 300 border officials in the north of the country this year."
    with_contacts, _ = news_page(undated, SECOND, CONTACTS)
    assert classify(with_contacts) == "press-release"
    with_dateline, _ = news_page(DATELINE, SECOND)
    assert classify(with_dateline) == "news"


@pytest.mark.parametrize("label", ["Communiqué", "Comunicado", "Press Release"])
def test_a_type_line_above_the_title_is_what_the_page_says_it_is(label):
    page, _ = page_of(f"{CHROME}\n{label}\nLocal\nThe Title of the Release\n{DATELINE}\n{SECOND}\n")
    assert page.title == "The Title of the Release"
    assert page.label == label
    assert page.paragraphs == [DATELINE, SECOND]
    assert classify(page) == "press-release"


def test_a_title_that_is_a_type_word_stays_the_title():
    page, _ = page_of(f"{CHROME}\nUpdate\n{DATELINE}\n{SECOND}\n")
    assert page.title == "Update"
    assert page.paragraphs == [DATELINE, SECOND]


def test_a_scope_line_alone_above_the_title_is_skipped():
    page, _ = page_of(f"{CHROME}\nGlobal\nThe Title of the Release\n{DATELINE}\n{SECOND}\n")
    assert page.title == "The Title of the Release"
    assert page.label == ""
    assert classify(page) == "news"


def test_a_statements_url_makes_a_statement():
    page, _ = news_page(DATELINE, SECOND, title="On International Migrants Day, IOM Recalls")
    assert classify(page) == "news"
    assert classify(page, url="https://www.iom.int/es/statements/en-el-dia") == "statement"


def test_plain_undated_news_without_contacts_is_news():
    page, _ = news_page(
        "A two-day international conference on assistance to victims of trafficking was held.",
        "Participants called for a national plan in each country.",
        title="Bogotá Hosts Conference on Assistance to Victims of Trafficking",
    )
    assert classify(page) == "news"


@pytest.mark.parametrize(
    ("title", "first"),
    [
        ("Starting Over in Kismayo", "Hodan Warsame, 61, opens her shop at seven every morning."),
        ("Starting Over in Kismayo", "“I had nothing when I came back,” says Hodan Warsame."),
        ("Starting Over in Kismayo", "I left Aden with two bags and my sewing scissors."),
        ("Recommencer à Agadez", "Quand je suis arrivé à Agadez, je ne connaissais personne."),
        ("Empezar de nuevo en Cúcuta", "A los 17 años, María cruzó la frontera con su hermano."),
        ("“I Want My Children to Go to School”", "The camp has one school for 4,000 children."),
        ("My Journey Across the Sahara", "The desert crossing took eleven days."),
        ("Voices from the Camps: Teachers", "The camp has one school for 4,000 children."),
        ("Témoignage : une enseignante à Diffa", "L'école du camp accueille 400 enfants."),
    ],
)
def test_a_feature_without_dateline_or_contacts_is_a_story(title, first):
    page, _ = news_page(first, SECOND, title=title)
    assert page.dateline is None
    assert classify(page) == "story"


def test_a_dated_page_that_opens_on_a_quotation_is_not_a_story():
    quote = "“I had nothing when I came back,” says Hodan."
    page, _ = news_page(DATELINE.split(" – ")[0] + " – " + quote, SECOND, title="Returns")
    assert classify(page) == "news"


@pytest.mark.parametrize(
    ("lede", "kind"),
    [
        ("Cox’s Bazar (IOM) – Rahima stood in an aid distribution line in Balukhali.", "story"),
        ("Djibouti (IOM) – Early in October three boys told staff they missed home.", "story"),
        ("Geneva – IOM has welcomed the report of the High-Level Panel on displacement.", "news"),
        ("Dakar – Depuis le 9 septembre, la mission de l’OIM au Sénégal travaille.", "news"),
    ],
)
def test_a_photo_led_dated_page_is_a_story_when_it_opens_on_people(lede, kind):
    page, _ = news_page("Families wait at the distribution point. Photo: IOM/Muse Mohammed", lede,
                        SECOND, title="A Mother Waits")  # fmt: skip
    assert page.opens_with_photo
    assert page.dateline in ("Cox’s Bazar", "Djibouti", "Geneva", "Dakar")
    assert classify(page) == kind


def test_a_photo_led_page_without_dateline_or_contacts_is_a_photo_story():
    page, _ = news_page(
        "IOM and UNHCR register evacuees. © IOM 2013 (Photo by Leonard Doyle)",
        "IOM, the Government and UNHCR are registering the evacuees leaving the city.",
        title="Registration of evacuees in Tacloban",
    )
    assert classify(page) == "story"
    page, _ = news_page(
        "IOM, the Government and UNHCR are registering the evacuees leaving the city.",
        SECOND,
        title="Registration of evacuees in Tacloban",
    )
    assert classify(page) == "news"  # no photo


def test_a_photo_led_page_with_a_date_is_a_report_not_a_story():
    page, _ = news_page(
        "The settlement in Calais, August 2015. ©IOM/Amanda Nero 2015",
        "March 4, 2016 - IOM warned today that the violence in the camp exposes migrants.",
        SECOND,
        title="IOM Calls for a Solution in Calais",
    )
    assert page.published_on.isoformat() == "2016-03-04"
    assert classify(page) == "news"


@pytest.mark.parametrize(
    ("opening", "place"),
    [
        ("Cox’s Bazar (IOM) – Rahima stood in an aid distribution line.", "Cox’s Bazar"),
        ("Tapachula (México) / Tecún Umán (Guatemala). - Representantes de la OIM visitaron.",
         "Tapachula (México) / Tecún Umán (Guatemala)"),
        ("Kabul (Afghanistan) – IOM opened a reception centre at the border today.",
         "Kabul (Afghanistan)"),
    ],
)  # fmt: skip
def test_datelines_with_brackets(opening, place):
    page, _ = news_page(opening, SECOND)
    assert page.dateline == place


def test_a_first_person_quote_in_a_news_lede_does_not_make_a_story():
    lede = "IOM opened a centre in Metema, where “we see 300 people a week,” an official said."
    page, _ = news_page(lede, SECOND, title="IOM Opens Centre in Metema")
    assert classify(page) == "news"


@pytest.mark.parametrize(
    "signature",
    [
        ["António Vitorino, Director General"],
        ["William Lacy Swing", "IOM Director General"],
        ["António Vitorino", "Directeur général", "Genève, 18 décembre 2017"],
    ],
)
def test_a_body_that_ends_with_a_signature_is_a_statement(signature):
    text = "On this day we remember the migrants who lost their lives on the way."
    page, _ = news_page(text, SECOND, *signature, title="On International Migrants Day")
    assert classify(page) == "statement"


def test_a_body_that_ends_with_a_name_and_an_office_is_not_a_signature():
    page, _ = news_page(
        "IOM trained 300 border officials this year.", "Jane Doe", "IOM Kenya", title="Training"
    )
    assert classify(page) == "news"


def test_classify_needs_only_the_page():
    page = NewsPage(title="IOM Statement on Migrants Day", paragraphs=["Text."])
    assert classify(page) == "statement"
    page = NewsPage(title="Clinic Opens", paragraphs=["Text."], contacts=[Contact(name="A B")])
    assert classify(page) == "press-release"


# --- French and Spanish contact blocks (class 2) ---------------------------------------

FR_BODY = (
    "Dakar – L'OIM a lancé aujourd'hui un nouveau programme d'aide au retour volontaire.\n"
    "Le programme durera deux ans.\n"
)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "Pour plus d'informations, veuillez contacter :\nAïssatou Ndiaye\nOIM Sénégal\n"
            "Tél. : +221 33 869 62 00\nPortable : +221 77 450 12 34\nCourriel : andiaye@iom.int",
            [Contact(name="Aïssatou Ndiaye", office="OIM Sénégal", phones=["+221 33 869 62 00"],
                     mobiles=["+221 77 450 12 34"], emails=["andiaye@iom.int"])],
        ),
        (
            "Pour plus d'information, contactez :\nFlorence Kim, Chargée de communication\n"
            "OIM Niger\nTél. +227 20 72 32 58\nCourriel: fkim@iom.int",
            [Contact(name="Florence Kim", office="OIM Niger", job_title="Chargée de communication",
                     phones=["+227 20 72 32 58"], emails=["fkim@iom.int"])],
        ),
        (
            "Contact presse\nJean-Baptiste Moreau\n"
            "Bureau régional de l'OIM pour l'Afrique de l'Ouest et du Centre, Dakar\n"
            "Tél. : +221 33 869 62 00 / Mob. : +221 78 620 62 13\n"
            "Adresse électronique : jbmoreau@iom.int",
            [Contact(name="Jean-Baptiste Moreau",
                     office="Bureau régional de l'OIM pour l'Afrique de l'Ouest et du Centre, "
                     "Dakar",
                     phones=["+221 33 869 62 00"], mobiles=["+221 78 620 62 13"],
                     emails=["jbmoreau@iom.int"])],
        ),
        (
            "Pour plus d'informations :\nAïssatou Ndiaye\n"
            "Organisation internationale pour les migrations (OIM) – Sénégal\n"
            "Tél. : +221 33 869 62 00\nE-mail : andiaye@iom.int",
            [Contact(name="Aïssatou Ndiaye",
                     office="Organisation internationale pour les migrations (OIM), Sénégal",
                     phones=["+221 33 869 62 00"], emails=["andiaye@iom.int"])],
        ),
        (
            "Pour toute information complémentaire, merci de contacter :\n"
            "Mme Awa Diallo, OIM Guinée, Tél. : +224 622 00 00 00, awadiallo@iom.int\n"
            "M. Ibrahima Sow, OIM Guinée, Tél. : +224 655 11 11 11, isow@iom.int",
            [Contact(name="Awa Diallo", office="OIM Guinée", phones=["+224 622 00 00 00"],
                     emails=["awadiallo@iom.int"]),
             Contact(name="Ibrahima Sow", office="OIM Guinée", phones=["+224 655 11 11 11"],
                     emails=["isow@iom.int"])],
        ),
        (
            "Para mayor información, por favor contactar a:\nDaniela Ruiz\nOIM Colombia\n"
            "Tel. +57 1 639 7777 ext. 1147\nMóvil: +57 310 555 1234\nCorreo: druiz@iom.int",
            [Contact(name="Daniela Ruiz", office="OIM Colombia",
                     phones=["+57 1 639 7777 ext. 1147"], mobiles=["+57 310 555 1234"],
                     emails=["druiz@iom.int"])],
        ),
        (
            "Para más información, contactar:\nJuan Carlos Pérez, Oficial de Comunicaciones\n"
            "OIM Perú\nTeléfono: +51 1 633 0000\nCorreo electrónico: jcperez@iom.int",
            [Contact(name="Juan Carlos Pérez", office="OIM Perú",
                     job_title="Oficial de Comunicaciones", phones=["+51 1 633 0000"],
                     emails=["jcperez@iom.int"])],
        ),
        (
            "Contacto de prensa\nMaría Fernanda Gómez\n"
            "Oficina Regional de la OIM para Centroamérica, Norteamérica y el Caribe, San José\n"
            "Tel.: +506 2212 5300\nCel.: +506 8888 1234\nCorreo electrónico: mfgomez@iom.int",
            [Contact(name="María Fernanda Gómez",
                     office="Oficina Regional de la OIM para Centroamérica, Norteamérica y el "
                     "Caribe, San José",
                     phones=["+506 2212 5300"], mobiles=["+506 8888 1234"],
                     emails=["mfgomez@iom.int"])],
        ),
        (
            "Contacto de prensa:\nOIM Colombia\nCarolina Reyes, Oficial de Comunicación\n"
            "Teléfono: (57) 1 639 7777 Ext. 1147\nCorreo electrónico: creyes@iom.int",
            [Contact(name="Carolina Reyes", office="OIM Colombia",
                     job_title="Oficial de Comunicación", phones=["(57) 1 639 7777 Ext. 1147"],
                     emails=["creyes@iom.int"])],
        ),
        (
            "Contactos:\nEn Quito: Ana López, OIM Ecuador, Tel: +593 2 299 4100, alopez@iom.int\n"
            "En Ginebra: Leonard Doyle, OIM Ginebra, Móvil: +41 79 285 7123, ldoyle@iom.int",
            [Contact(name="Ana López", office="OIM Ecuador", phones=["+593 2 299 4100"],
                     emails=["alopez@iom.int"]),
             Contact(name="Leonard Doyle", office="OIM Ginebra", mobiles=["+41 79 285 7123"],
                     emails=["ldoyle@iom.int"])],
        ),
    ],
)  # fmt: skip
def test_french_and_spanish_contact_blocks(block, expected):
    page, warnings = page_of(f"Titre\n{FR_BODY}{block}\n")
    assert page.contacts == expected
    assert page.paragraphs[-1] == "Le programme durera deux ans."
    assert warnings == []


@pytest.mark.parametrize(
    "block",
    [
        "Pour plus d'informations :\nhttps://www.iom.int/fr/news",
        "Para más información:\nVisite www.oim.org.co y las redes sociales de la OIM.",
    ],
)
def test_an_information_heading_without_a_contact_below_stays_in_the_body(block):
    page, warnings = page_of(f"Titre\n{FR_BODY}{block}\n")
    assert page.contacts == []
    assert page.paragraphs[-1] == block.split("\n")[1]
    assert not any("contacts heading" in warning for warning in warnings)


# --- truncated pages (class 8) ---------------------------------------------------------


@pytest.mark.parametrize(
    "ending",
    [
        "Today she employs two young women from her neighbourhood and trains three more, who",
        "The project is funded by the European Union, the United Kingdom and the",
        "The centre will open in June and will receive migrants returning from Libya and Alg",
        "Le programme est financé par l'Union européenne et sera étendu à Agadez,",
        "El proyecto beneficiará a 120 familias retornadas en Cúcuta y en los municipios de",
    ],
)
def test_a_body_that_stops_mid_sentence_is_flagged(ending):
    page, warnings = news_page(DATELINE, ending)
    assert warnings == [TRUNCATED]
    assert page.paragraphs[-1] == ending  # still imported as it is


@pytest.mark.parametrize(
    "ending",
    [
        "The project is funded by the European Union.",
        "“We will stay with them until it is over.”",
        "The report is online (see annex 2)",
        "More information: https://www.iom.int/news",
        "Questions: media@iom.int",
        "- a hotline for migrants in distress",
        "Figure 1: Arrivals to Italy, Greece and Spain by month and by country of origin",
        "António Vitorino, Director General of the International Organization for Migration",
        "Geneva, 18 December 2017",
        "Key figures",
    ],
)
def test_bodies_that_end_properly_are_not_flagged(ending):
    _, warnings = news_page(DATELINE, ending)
    assert TRUNCATED not in warnings


def test_an_end_marker_or_a_contacts_block_means_the_text_is_whole():
    cut = "The project is funded by the European Union, the United Kingdom and the"
    _, warnings = news_page(DATELINE, cut, "###")
    assert TRUNCATED not in warnings
    _, warnings = news_page(DATELINE, cut, CONTACTS)
    assert TRUNCATED not in warnings


def test_stops_mid_sentence_on_hard_wrapped_text_reflowed():
    assert stops_mid_sentence("According to government figures, the department received 3,988 in")
    assert not stops_mid_sentence("Key figures")


# --- through the import command ----------------------------------------------------------


def run_import(*paths, report=None):
    out, err = io.StringIO(), io.StringIO()
    options = {"report": str(report)} if report else {}
    call_command("import_legacy", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_keeps_captions_apart_and_finds_the_dateline(tmp_path):
    report = tmp_path / "report.json"
    run_import(
        *(FIXTURES / f"news_captions_{lang}.txt" for lang in ("en", "fr", "es")), report=report
    )
    items = {item.dateline: item for item in NewsItem.objects.all()}
    assert set(items) == {"Cox's Bazar", "Niamey", "Cúcuta"}

    english = items["Cox's Bazar"]
    assert english.captions.split("\n") == [
        "Volunteers clear a drainage channel in Camp 11 ahead of the monsoon.",
        "© IOM 2019/Olivia Headon",
        "A volunteer explains the flag system to a family",
        "Photo: IOM/Mashrif Abdullah",
    ]
    assert english.published_on.isoformat() == "2019-04-12"
    assert english.lead.startswith("Cox's Bazar, 12 April 2019 – Some 2,000")
    assert "Headon" not in english.body and "flag system to a family" not in english.body
    assert english.kind == "press-release"

    french = items["Niamey"]
    assert french.captions.split("\n") == [
        "Photo : OIM",
        "Des migrants de retour reçoivent leur kit de démarrage à Niamey.",
        "OIM 2018",
    ]
    assert french.published_on.isoformat() == "2018-03-05"
    assert [(c.name, c.office) for c in french.contacts.all()] == [("Aïssata Traoré", "OIM Niger")]

    spanish = items["Cúcuta"]
    assert spanish.published_on.isoformat() == "2019-05-03"
    assert spanish.lead.startswith("Cúcuta, 3 de mayo de 2019")
    assert [(c.name, c.office) for c in spanish.contacts.all()] == [
        ("Daniela Ruiz", "OIM Colombia")
    ]

    records = {
        f["record"]["dateline"]: f["record"] for f in json.loads(report.read_text())["files"]
    }
    assert records["Niamey"]["captions"][0] == "Photo : OIM"
    assert records["Niamey"]["kind"] == "press-release"


@pytest.mark.django_db
def test_import_of_a_french_page_with_a_submenu_a_type_line_and_a_caption(tmp_path):
    report = tmp_path / "report.json"
    run_import(FIXTURES / "news_french_type_line.txt", report=report)
    item = NewsItem.objects.get()
    assert item.title == "Des points d'eau réhabilités pour les éleveurs du Kanem"
    assert item.kind == "press-release"  # the page's own "Communiqué" line
    assert item.dateline == "Mao"
    assert (
        item.captions
        == "Un éleveur abreuve son troupeau au puits réhabilité de Mao. Photo : OIM Tchad"
    )
    assert item.lead.startswith("Mao – L'OIM et les autorités provinciales")
    assert "Directrice" not in item.body and "Communiqué" not in item.body
    (contact,) = item.contacts.all()
    assert (contact.name, contact.office, contact.email) == (
        "Mahamat Abakar",
        "OIM Tchad",
        "mabakar@iom.int",
    )
    (entry,) = json.loads(report.read_text())["files"]
    assert entry["warnings"] == []


@pytest.mark.django_db
def test_import_gives_each_kind(tmp_path):
    undated = ["IOM trained 300 border officials in the north of the country this year.", SECOND]
    pages = {
        "statement.txt": ("Déclaration du Directeur général sur la Journée des migrants",
                          [DATELINE, SECOND]),
        "briefing.txt": ("Nota informativa: respuesta en Venezuela", undated),
        "update.txt": ("Mediterranean Migrant Arrivals Reach 100,000 in 2017",
                       [DATELINE, SECOND]),
        "story.txt": ("Starting Over in Kismayo",
                      ["Hodan Warsame, 61, opens her shop at seven.", SECOND]),
        "release.txt": ("IOM Trains Border Officials", [*undated, *CONTACTS.split("\n")]),
        "news.txt": ("IOM Trains Border Officials in the North", undated),
    }  # fmt: skip
    for name, (title, body) in pages.items():
        write(tmp_path, name, "\n".join([CHROME, title, *body]) + "\n")
    run_import(tmp_path)
    kinds = {item.source_file: item.kind for item in NewsItem.objects.all()}
    assert kinds == {
        "statement.txt": "statement",
        "briefing.txt": "briefing",
        "update.txt": "update",
        "story.txt": "story",
        "release.txt": "press-release",
        "news.txt": "news",
    }


@pytest.mark.django_db
def test_import_warns_about_a_truncated_page_and_still_imports_it(tmp_path):
    report = tmp_path / "report.json"
    out = run_import(FIXTURES / "news_story_truncated.txt", report=report)
    assert TRUNCATED in out
    (entry,) = json.loads(report.read_text())["files"]
    assert entry["outcome"] == "created"
    assert entry["warnings"] == [TRUNCATED]
    item = NewsItem.objects.get()
    assert item.kind == "story"
    assert item.captions == "IOM/Muse Mohammed"
    assert item.body.rstrip().endswith("who hope to open</p>")


@pytest.mark.django_db
def test_demo_texts_kinds_and_no_false_truncation(tmp_path):
    report = tmp_path / "report.json"
    run_import(DEMO, report=report)
    files = json.loads(report.read_text())["files"]
    assert not any(TRUNCATED in f["warnings"] for f in files)
    kinds = {item.source_file: item.kind for item in NewsItem.objects.all()}
    assert kinds.pop("demo_009.txt") == "statement"  # "IOM Statement on International ..."
    assert kinds.pop("demo_013.txt") == "news"  # a dateline, but no contacts
    assert set(kinds.values()) == {"press-release"}  # all have contacts


# --- section lines, date lines and datelines the holdout set showed -----------------------


@pytest.mark.parametrize(
    ("section", "title", "kind"),
    [
        ("Statements and Speeches", "Address to the Regional Ministerial Meeting", "statement"),
        ("Déclarations et discours", "Allocution devant le Conseil de l'OIM", "statement"),
        ("Declaraciones y discursos del director general", "Ante el Consejo de la OIM",
         "statement"),
        ("Communiqués", "L'OIM ouvre un centre à Agadez", "press-release"),
        ("Notas informativas", "La OIM abre un centro en Tapachula", "briefing"),
        ("Histoires", "Recommencer à Diffa", "story"),
    ],
)  # fmt: skip
def test_a_section_line_and_a_date_line_above_the_title(section, title, kind):
    page, _ = page_of(f"{CHROME}\n{section}\n3 Dec 2023\n{title}\n{DATELINE}\n{SECOND}\n")
    assert page.title == title
    assert page.label == section
    assert page.published_on.isoformat() == "2019-04-12"  # the dateline's date wins
    assert page.paragraphs == [DATELINE, SECOND]
    assert classify(page) == kind
    undated = "Cox's Bazar – Volunteers cleared drains in the camps this month."
    page, _ = page_of(f"{CHROME}\n{section}\n3 Dec 2023\n{title}\n{undated}\n{SECOND}\n")
    assert page.published_on.isoformat() == "2023-12-03"  # else the date line above the title


def test_a_sentence_is_not_a_section_line():
    page, _ = page_of(f"{CHROME}\nStatements and speeches.\nThe Title\n{DATELINE}\n{SECOND}\n")
    assert page.title == "Statements and speeches."


@pytest.mark.parametrize(
    ("opening", "place", "date"),
    [
        ("Obock, Djibouti (updated on 15/04/2021) – A boat overturned before dawn.",
         "Obock, Djibouti", "2021-04-15"),
        ("Niamey (mis à jour le 3 mars 2020) – Le centre de transit a rouvert.", "Niamey",
         "2020-03-03"),
        ("Geneva/ Djibouti, 24 April – A boat carrying 77 migrants capsized.", "Geneva/ Djibouti",
         None),  # a day without a year is no date
        ("San José, 3 de marzo – La OIM abrió una oficina.", "San José", None),
        ("Geneva On Monday, the State of Kuwait gave USD 10 million to IOM.", "Geneva", None),
        ("Ciudad de Guatemala El Gobierno y la OIM firmaron un acuerdo.", "Ciudad de Guatemala",
         None),
    ],
)  # fmt: skip
def test_datelines_with_a_note_a_slash_a_day_or_a_lost_dash(opening, place, date):
    page, _ = news_page(opening, SECOND)
    assert page.dateline == place
    assert (page.published_on.isoformat() if page.published_on else None) == date


@pytest.mark.parametrize(
    "opening",
    [
        "Help Arrives In time for the planting season, farmers say.",
        "Mission Accomplished The volunteers said.",  # not a place the gazetteer knows
        "IOM The Organization said.",
    ],
)
def test_a_capitalised_word_after_an_unknown_place_is_no_lost_dash(opening):
    page, _ = news_page(opening, SECOND)
    assert page.dateline is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Director General's Report to the 109th Session of the Council", "statement"),
        ("Informe del Director General ante el Consejo", "statement"),
        ("IOM Report Finds Remittances Rose in 2023", "news"),  # no head of the organization
        ("Arrivées de migrants en Europe par la Méditerranée : 71 000 ; décès : 1 650", "update"),
        ("Llegadas a Europa por el Mediterráneo: 50 000; muertes: 1 200", "update"),
    ],
)
def test_kind_from_report_and_figures_titles(title, kind):
    page, _ = news_page(DATELINE, SECOND, title=title)
    assert classify(page) == kind


def test_a_photo_led_report_whose_title_opens_on_a_figure_is_not_a_story():
    page, _ = news_page(
        "A girl boards a boat in Yemen, headed for Somalia. Photo: IOM 2017",
        "Yemen – After five months of ordeal, 316 Somali migrants are back in Somalia.",
        SECOND,
        title="316 Somalis Arrive Home from Yemen",
    )
    assert page.opens_with_photo
    assert classify(page) == "news"
