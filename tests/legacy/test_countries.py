"""The countries of an imported news item (legacy/countries.py news_countries and its parts).

Unit tests of the pure functions, then the rule through `import_legacy` and the demo texts.
Every text here is invented for the test.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from legacy import countries
from legacy.countries import (
    countries_named,
    news_countries,
    office_countries,
    office_country,
    place_country,
)
from news.models import NewsItem

DEMO = Path(__file__).resolve().parents[2] / "demo" / "legacy"
CHROME = "\n".join((DEMO / "demo_001.txt").read_text(encoding="utf-8").split("\n")[:22])


# -- country names in a text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Floods in Niger and Nigeria", ["NE", "NG"]),
        ("Nigeria Welcomes Returnees", ["NG"]),
        ("Niger Welcomes Returnees", ["NE"]),
        ("Traders from Guinea-Bissau", ["GW"]),
        ("Papua New Guinea Joins Scheme", ["PG"]),
        ("Equatorial Guinea and Guinea Sign", ["GQ", "GN"]),
        ("Sudan and South Sudan Open Border", ["SD", "SS"]),
        ("IOM Opens Centre on the Ethiopia–Sudan Border", ["ET", "SD"]),
        ("Ahead of Haiti's Rainy Season", ["HT"]),
        ("Job Fairs in the Republic of Moldova", ["MD"]),
        ("Returns to the Democratic Republic of the Congo", ["CD"]),
        ("L'OIM au Sénégal", ["SN"]),
        ("La OIM en el Perú", ["PE"]),
        ("Retour volontaire vers la Côte d'Ivoire", ["CI"]),
        ("Trinidad and Tobago Hosts Forum", ["TT"]),
        ("Radio Drama Warns Young Guatemalans", []),  # a people is not a country name
        ("a turkey and a chad", []),  # lower-case common nouns
        ("Nigerian Nurses", []),
    ],
)
def test_countries_named_whole_words_longest_first(text, expected):
    assert countries_named(text) == expected


# -- dateline places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("Addis Ababa", "ET"),
        ("Bangkok", "TH"),
        ("Cox’s Bazar", "BD"),  # typographic apostrophe
        ("Cox's Bazar", "BD"),
        ("Port-au-Prince", "HT"),
        ("Ras Ajdir", "TN"),  # not in the gazetteer: the supplement table
        ("Kutupalong", "BD"),
        ("Geneva", "CH"),  # not Geneva, New York
        ("Vienna", "AT"),
        ("Vienne", "AT"),  # a capital's exonym beats the French town's own name
        ("Londres", "GB"),
        ("Ginebra", "CH"),
        ("San José", "CR"),  # the capital, not the larger San Jose in California
        ("Kingston", "JM"),
        ("Busia", "KE"),  # in Kenya and in Uganda: the larger
        ("Haiti", "HT"),  # a country
        ("Djibouti", "DJ"),  # a country and a city: the same answer
        ("Panama", "PA"),  # the country, whatever towns share its name
        ("San José, Costa Rica", "CR"),  # "City, Country"
        ("Dakar, Sénégal", "SN"),
        ("Tripoli, Lebanon", "LB"),  # the country after the comma beats the larger Tripoli
        ("Lemuria", None),
        ("Media", None),  # a word some gazetteer entry is called, never a dateline city
        ("", None),
        (None, None),
    ],
)
def test_place_country(place, code):
    assert place_country(place) == code


# -- offices -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("office", "codes"),
    [
        ("IOM Colombia", ["CO"]),
        ("IOM El Salvador, Guatemala and Honduras", ["SV", "GT", "HN"]),
        ("OIM Sénégal", ["SN"]),
        ("OIM Perú", ["PE"]),
        ("IOM-Ecuador", ["EC"]),
        ("IOM Trinidad and Tobago", ["TT"]),
        ("IOM Tunis", ["TN"]),
        ("IOM Bangkok", ["TH"]),
        ("IOM Regional Office, Vienna", ["AT"]),
        (
            "IOM Regional Office for Central America, North America and the Caribbean, San José",
            ["CR"],
        ),
        ("IOM Regional Office for East and Horn of Africa, Nairobi", ["KE"]),
        ("IOM Regional Office for East and Horn of Africa", []),
        ("Bureau de l'OIM pour le Niger et le Tchad, Niamey", ["NE", "TD"]),
        ("Oficina Regional de la OIM, San José", ["CR"]),
        ("IOM HQ", []),
        ("IOM Media Unit", []),
        ("UN Resident Coordinator's Office, El Salvador", []),  # not an IOM office
        ("", []),
        (None, []),
    ],
)
def test_office_countries(office, codes):
    assert office_countries(office) == codes


def test_office_country_is_the_first_for_contacts():
    assert office_country("IOM El Salvador, Guatemala and Honduras") == "SV"
    assert office_country("IOM Tunis") == "TN"
    assert office_country("IOM HQ") is None
    assert office_country("Ministry of Labour") is None


# -- the rule -------------------------------------------------------------------------------


def test_the_story_country_beats_the_reporting_office_seat():
    codes = news_countries(
        "IOM Assists Flood-Displaced in Somalia",
        "Nairobi – IOM is helping displaced families in Somalia rebuild their shelters.",
        "Nairobi",
        ["IOM Somalia"],
    )
    assert codes == ["SO"]


def test_a_dateline_named_by_the_first_paragraph_is_kept():
    codes = news_countries(
        "Flood Response Scaled Up",
        "Nairobi – Kenya's county governments and IOM have reached 5,000 families in Somalia.",
        "Nairobi",
        ["IOM Somalia"],
    )
    assert codes == ["KE", "SO"]


def test_a_text_that_names_no_country_keeps_the_dateline():
    codes = news_countries(
        "IOM Statement on International Migrants Day",
        "Geneva – On International Migrants Day, IOM pays tribute to the world's migrants.",
        "Geneva",
        ["IOM HQ"],
    )
    assert codes == ["CH"]


def test_a_second_contact_at_headquarters_adds_nothing():
    codes = news_countries(
        "Flood Survivors Receive Shelter Kits in Sindh",
        "IOM has distributed 12,500 shelter kits to families in Sindh province.",
        None,
        ["IOM Pakistan", "IOM Geneva"],
    )
    assert codes == ["PK"]


def test_countries_named_only_in_passing_do_not_empty_the_page():
    # The first paragraph names where migrants go home to; the story is in Agadez, Niger.
    codes = news_countries(
        "L'OIM soutient le retour de migrants bloqués à Agadez",
        "Agadez, 14 février 2018 – L'OIM a organisé le retour de 312 migrants vers le Mali "
        "et la Guinée.",
        "Agadez",
        ["OIM Niger"],
    )
    assert codes == ["NE"]


def test_a_people_counts_as_naming_its_country():
    codes = news_countries(
        "Returnees in Kismayo Start Small Businesses",
        "Mogadishu, 26 March 2019 – More than 400 Somalis who returned from Yemen and Kenya "
        "have opened small businesses.",
        "Mogadishu",
        ["IOM Nairobi", "IOM Somalia"],
    )
    assert codes == ["SO", "KE"]


def test_a_regional_office_gives_every_country_it_names():
    codes = news_countries(
        "Returned Children in Honduras Find Support",
        "San Pedro Sula – The Government of Honduras and IOM opened a reception centre.",
        "San Pedro Sula",
        ["IOM El Salvador, Guatemala and Honduras"],
    )
    assert codes == ["HN", "SV", "GT"]


def test_a_dateline_naming_city_and_country():
    codes = news_countries(
        "Migrant Workers Trained",
        "Dakar, Sénégal – IOM trained 300 migrant workers this week.",
        "Dakar, Sénégal",
        [],
    )
    assert codes == ["SN"]


def test_title_countries_come_first_and_only_once():
    codes = news_countries(
        "Evacuation Flights Continue from Tunisia's Border with Libya",
        "Ras Ajdir – IOM today flew another 1,150 migrant workers home.",
        "Ras Ajdir",
        ["IOM Tunis"],
    )
    assert codes == ["TN", "LY"]


def test_a_page_without_sources_is_placed_by_its_text_not_by_every_country_it_names():
    # "in Herat" in the title, confirmed by its country in the first paragraph; Iran is only
    # where Arjun came back from.
    codes = news_countries(
        "A Day in Herat with Arjun",
        "Arjun remembers the day he came back to Afghanistan from Iran.",
        None,
        ["IOM HQ"],
    )
    assert codes == ["AF"]
    assert news_countries(
        "La OIM proporciona asistencia a un albergue",
        "Esta semana la OIM en México entregó suministros a un albergue de Ixtepec.",
        None,
        [],
    ) == ["MX"]
    # Countries in another role than the story's place: nothing rather than a guess.
    assert (
        news_countries(
            "Seminar Calls on Governments to Address Migrant Health",
            "The Governments of Portugal and Spain held a lunch seminar on migrant health.",
            None,
            [],
        )
        == []
    )


def test_where_the_text_places_the_story_overrules_the_datelines_seat():
    codes = news_countries(
        "IOM Addresses Regional Health Meeting",
        "Switzerland - IOM spoke at the regional committee, held on 12-15 September 2016 in "
        "Copenhagen, Denmark.",
        "Switzerland",
        [],
    )
    assert codes == ["DK"]
    codes = news_countries(
        "L'OIM et le HCR déplorent des pertes en vies humaines à Nador-Melilla",
        "Genève – Les deux organisations sont attristées par les morts signalés à la barrière "
        "qui sépare Nador, au Maroc, de Melilla, en Espagne.",
        "Genève",
        [],
    )
    assert codes == ["MA", "ES"]


def test_a_country_named_in_another_role_does_not_overrule_the_dateline():
    codes = news_countries(
        "UN Migration Agency Concludes Council Session",
        "Geneva – The Director General addressed member states and welcomed its newest "
        "member, Uzbekistan.",
        "Geneva",
        [],
    )
    assert codes == ["CH"]


def test_a_confirmed_dateline_is_not_widened_by_a_list_of_places():
    codes = news_countries(
        "Se contabilizan 213.581 llegadas en el Mediterráneo",
        "Italia - Unos 213.581 migrantes llegaron por mar y desembarcaron en Italia, Grecia, "
        "Chipre y España.",
        "Italia",
        [],
    )
    assert codes == ["IT"]


def test_a_city_in_the_first_paragraph_keeps_its_countrys_dateline_and_office():
    codes = news_countries(
        "Evacuation of Migrants Fleeing Libya Gathers Pace",
        "Ras Ajdir – Evacuations from the transit camps at the border gather pace, with 1,450 "
        "Egyptians leaving this morning for the port of Sfax.",
        "Ras Ajdir",
        ["IOM Tunis"],
    )
    assert codes == ["LY", "TN"]


@pytest.mark.parametrize(
    ("title", "first_paragraph", "codes"),
    [
        ("A Day in Herat with Arjun", "It was a morning like any other in Herat.", ["AF"]),
        ("In Gao, Moussa Finds a Way Forward", "The road to Gao is long and dusty.", ["ML"]),
        ("Cúcuta Hosts a Job Fair", "Hundreds of young people came to Cúcuta's fair.", ["CO"]),
        # A title-case word after "in" that some town is called, not named again: nothing.
        ("Help Arrives in Time", "The first trucks reached the villages on Monday.", []),
        ("Care in Mobile Clinics", "The mobile clinics reached 300 people.", []),
    ],
)
def test_a_story_is_placed_by_the_city_it_says_it_is_in(title, first_paragraph, codes):
    assert news_countries(title, first_paragraph, None, []) == codes


def test_nothing_to_go_on_gives_nothing():
    assert news_countries("In 2017, a Record Year", "In 2017 – the year of ...", None, []) == []


@pytest.mark.parametrize(
    "name",
    ["Addis Ababa", "The Hague", "St. Louis", "Ste-Foy", "Port St Johns", "Nathe", "A & B"],
)
def test_the_gazetteers_fast_key_is_lookup_key(name):
    assert countries._name_key(name) == countries.lookup_key(name)


def test_the_gazetteer_is_built_once():
    countries._gazetteer()
    before = countries._gazetteer.cache_info().misses
    place_country("Addis Ababa")
    office_countries("IOM Tunis")
    assert countries._gazetteer.cache_info().misses == before == 1


def test_the_cached_gazetteer_is_the_built_one_and_a_damaged_cache_is_rebuilt(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("IOMCMS_GAZETTEER_CACHE", str(tmp_path))
    built = countries._build_gazetteer()
    countries._gazetteer.cache_clear()
    try:
        first = countries._gazetteer()  # builds and writes the cache
        path = countries._cache_path()
        assert path.parent == tmp_path and path.is_file()
        countries._gazetteer.cache_clear()
        assert countries._gazetteer() == first == built  # read back from the cache
        path.write_bytes(b"not a marshalled gazetteer")
        countries._gazetteer.cache_clear()
        assert countries._gazetteer() == built
        assert path.read_bytes() != b"not a marshalled gazetteer"  # written again
    finally:
        countries._gazetteer.cache_clear()


def test_the_gazetteer_cache_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("IOMCMS_GAZETTEER_CACHE", "off")
    assert countries._cache_path() is None


# -- through import_legacy --------------------------------------------------------------------


def news_text(title, body, contacts=()):
    return "\n".join([CHROME, title, *body, *contacts])


def codes(item):
    """The item's country codes as stored (CountryField keeps them in alphabetical order)."""
    return [country.code for country in item.countries]


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_legacy", str(path), stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.django_db
def test_import_places_the_item_by_dateline_title_and_offices(tmp_path):
    (tmp_path / "a.txt").write_text(
        news_text(
            "Migrants Stranded on the Niger–Libya Border Receive Water",
            [
                "Addis Ababa – IOM's regional office today sent water and food to 900 migrants "
                "stranded in the desert."
            ],
        ),
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        news_text(
            "Monsoon Preparations in the Camps",
            ["Cox’s Bazar, 8 June 2021 – Volunteers spent the past weeks preparing the camps."],
        ),
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text(
        news_text(
            "In 2017 – a Record Year for Returns",
            ["In 2017 – the year just ended – more people returned home than ever before."],
            ["For more information, please contact:", "Ana Ruiz", "IOM HQ", "E-mail: a@iom.int"],
        ),
        encoding="utf-8",
    )
    (tmp_path / "d.txt").write_text(
        news_text(
            "Young Returnees Find Work",
            ["San Pedro Sula – Two hundred young people returned from Mexico found jobs."],
            [
                "For more information, please contact:",
                "Luis Mejía",
                "IOM El Salvador, Guatemala and Honduras",
                "E-mail: lmejia@iom.int",
            ],
        ),
        encoding="utf-8",
    )
    out = run(tmp_path)
    assert "4 created" in out
    by_title = {item.title: codes(item) for item in NewsItem.objects.all()}
    # The title names NE and LY; Addis Ababa (ET) is the reporting office's seat.
    assert by_title["Migrants Stranded on the Niger–Libya Border Receive Water"] == ["LY", "NE"]
    assert by_title["Monsoon Preparations in the Camps"] == ["BD"]
    assert by_title["In 2017 – a Record Year for Returns"] == []
    # Mexico is named, but none of the sources' countries: the dateline stands in.
    assert by_title["Young Returnees Find Work"] == ["GT", "HN", "SV"]


# What each demo release is about, read from the texts (title, dateline, first paragraph).
DEMO_COUNTRIES = {
    "demo_001.txt": ["GT"],  # Guatemala's western highlands; IOM Guatemala
    "demo_002.txt": ["PE"],  # Tumbes, Peru; IOM Peru
    "demo_003.txt": ["TH"],  # "in Thailand"; IOM Bangkok
    "demo_004.txt": ["HT"],  # Haiti; the IOM Geneva contact is left out
    "demo_004_fr.txt": ["HT"],  # its French and Spanish versions: "Haïti", "Haití"
    "demo_004_es.txt": ["HT"],
    "demo_005.txt": ["TN", "LY"],  # "Tunisia's Border with Libya"; Ras Ajdir; IOM Tunis
    "demo_006.txt": ["ET", "SD"],  # Ethiopia–Sudan border; Nairobi regional office left out
    "demo_007.txt": ["PH"],  # Tacloban
    "demo_008.txt": ["KE"],  # Kenya; Busia
    "demo_009.txt": ["CH"],  # a global statement from Geneva
    "demo_010.txt": ["HN", "SV", "GT"],  # Honduras, and the regional office's three
    "demo_011.txt": ["SO", "KE"],  # Mogadishu, Somalis; IOM Nairobi (Kenya is named)
    "demo_012.txt": ["IQ"],  # Erbil
    "demo_013.txt": ["BD"],  # Cox's Bazar
    "demo_014.txt": ["UA", "MD"],  # refugees from Ukraine in the Republic of Moldova
}


@pytest.mark.django_db
def test_every_demo_release_gets_its_countries():
    run(DEMO)
    got = {item.source_file: codes(item) for item in NewsItem.objects.all()}
    assert got == {name: sorted(expected) for name, expected in DEMO_COUNTRIES.items()}


def test_french_and_spanish_peoples_keep_their_countrys_dateline_and_office():
    # "Colombiens" (a noun) and "tunisienne" (an adjective, lower case) name their countries.
    assert news_countries(
        "L'OIM aide les Colombiens expulsés du Venezuela",
        "Colombie - L'OIM vient en aide à plus d'un millier de Colombiens expulsés.",
        "Colombie",
        [],
    ) == ["VE", "CO"]
    assert news_countries(
        "L'évacuation des migrants fuyant la Libye s'accélère",
        "Les évacuations depuis la région frontalière tunisienne s'accélèrent.",
        None,
        ["OIM Tunis"],
    ) == ["LY", "TN"]
    assert news_countries(
        "Más retornos asistidos desde la frontera sur",
        "Ciudad de Guatemala – Cientos de personas hondureñas volvieron a casa esta semana.",
        "Ciudad de Guatemala",
        ["OIM Honduras"],
    ) == ["HN"]


def test_a_list_of_places_joined_by_o_or_ou():
    assert news_countries(
        "Más de mil migrantes retornaron con asistencia de la OIM",
        "La OIM ayuda a las personas migrantes que están en México o Guatemala sin medios.",
        None,
        [],
    ) == ["MX", "GT"]
