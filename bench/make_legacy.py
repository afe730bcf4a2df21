"""Write N synthetic "legacy texts" (old-website page scrapes) to benchmark the legacy importer.

Usage:
    python bench/make_legacy.py --count 10000 --out /tmp/legacy10k [--seed 1]

Standard library only; the same --seed always gives byte-identical files. About 70% of the files
are news items (press releases, stories, statements) and 30% project pages, in the format of the
old site: the fixed navigation chrome, a title line, then either a news body (hard-wrapped at
~62-72 columns for older items, one paragraph per line for newer ones; datelines; contact blocks
in several spellings, drawn from a pool of 300 press officers so that contacts repeat across
files; in older items one person in ten is given with phones only) or a project page (`-` /
label / value metadata triples, then description paragraphs).

About 2% of the files are damaged (empty, navigation chrome only, truncated in the middle of the
metadata, a budget that is not a number, random binary bytes) so that the importer's failure path
is exercised; about 1% use CRLF line endings and 1% are encoded in Windows-1252.

Every name, quote, project and figure is invented; e-mails are at iom.int or example.org.
"""

import argparse
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

CHROME = [
    "-",
    "Who we are",
    "WHO WE AREThe International Organization for Migration (IOM) is part of the United Nations"
    " System as the leading inter-governmental organization promoting since 1951 humane and"
    " orderly migration for the benefit of all, with 175 member states and a presence in 171"
    " countries.",
    "-",
    "Our Work",
    "Our WorkAs the leading inter-governmental organization promoting since 1951 humane and"
    " orderly migration, IOM plays a key role to support the achievement of the 2030 Agenda"
    " through different areas of intervention that connect both humanitarian assistance and"
    " sustainable development.",
    "What We Do",
    "What We Do",
    "Partnerships",
    "Partnerships",
    "Highlights",
    "Highlights",
    "- Where we work",
    "-",
    "Take Action",
    "Take Action",
    "Work with us",
    "Work with us",
    "Get involved",
    "Get involved",
    "- Data and Research",
    "- 2030 Agenda",
]

LAC = "Latin America and the Caribbean"
EHA = "East and Horn of Africa"
WCA = "West and Central Africa"
SAF = "Southern Africa"
MENA = "Middle East and North Africa"
ASIA = "Asia and the Pacific"
SEE = "South-Eastern Europe, Eastern Europe and Central Asia"

# name, ISO code, dialling code, IDF region, name pool, cities (the first is the capital)
COUNTRIES = [
    ("Colombia", "CO", "57", LAC, "latin", ["Bogotá", "Cúcuta", "Medellín"]),
    ("Ecuador", "EC", "593", LAC, "latin", ["Quito", "Guayaquil", "Lago Agrio"]),
    ("Peru", "PE", "51", LAC, "latin", ["Lima", "Tumbes", "Cusco"]),
    ("El Salvador", "SV", "503", LAC, "latin", ["San Salvador", "San Miguel"]),
    ("Guatemala", "GT", "502", LAC, "latin", ["Guatemala City", "Quetzaltenango"]),
    ("Honduras", "HN", "504", LAC, "latin", ["Tegucigalpa", "San Pedro Sula"]),
    ("Mexico", "MX", "52", LAC, "latin", ["Mexico City", "Tapachula", "Tijuana"]),
    ("Haiti", "HT", "509", LAC, "latin", ["Port-au-Prince", "Les Cayes"]),
    ("Dominican Republic", "DO", "1", LAC, "latin", ["Santo Domingo", "Dajabón"]),
    ("Bolivia", "BO", "591", LAC, "latin", ["La Paz", "Santa Cruz"]),
    ("Brazil", "BR", "55", LAC, "latin", ["Brasília", "Boa Vista", "São Paulo"]),
    ("Costa Rica", "CR", "506", LAC, "latin", ["San José", "Upala"]),
    ("Panama", "PA", "507", LAC, "latin", ["Panama City", "Metetí"]),
    ("Chile", "CL", "56", LAC, "latin", ["Santiago", "Arica"]),
    ("Argentina", "AR", "54", LAC, "latin", ["Buenos Aires", "Mendoza"]),
    ("Kenya", "KE", "254", EHA, "eastafrica", ["Nairobi", "Mombasa", "Busia"]),
    ("Ethiopia", "ET", "251", EHA, "eastafrica", ["Addis Ababa", "Dire Dawa", "Metema"]),
    ("Somalia", "SO", "252", EHA, "eastafrica", ["Mogadishu", "Kismayo", "Baidoa"]),
    ("Djibouti", "DJ", "253", EHA, "eastafrica", ["Djibouti", "Obock"]),
    ("South Sudan", "SS", "211", EHA, "eastafrica", ["Juba", "Malakal", "Wau"]),
    ("Uganda", "UG", "256", EHA, "eastafrica", ["Kampala", "Gulu"]),
    ("Tanzania", "TZ", "255", EHA, "eastafrica", ["Dar es Salaam", "Kigoma"]),
    ("Burundi", "BI", "257", EHA, "eastafrica", ["Bujumbura", "Gitega"]),
    ("Niger", "NE", "227", WCA, "westafrica", ["Niamey", "Agadez", "Zinder"]),
    ("Mali", "ML", "223", WCA, "westafrica", ["Bamako", "Gao", "Mopti"]),
    ("Nigeria", "NG", "234", WCA, "westafrica", ["Abuja", "Lagos", "Maiduguri"]),
    ("Senegal", "SN", "221", WCA, "westafrica", ["Dakar", "Tambacounda"]),
    ("Ghana", "GH", "233", WCA, "westafrica", ["Accra", "Tamale"]),
    ("Guinea", "GN", "224", WCA, "westafrica", ["Conakry", "Kankan"]),
    ("Chad", "TD", "235", WCA, "westafrica", ["N'Djamena", "Abéché"]),
    ("Cameroon", "CM", "237", WCA, "westafrica", ["Yaoundé", "Maroua"]),
    ("Burkina Faso", "BF", "226", WCA, "westafrica", ["Ouagadougou", "Kaya"]),
    ("Zimbabwe", "ZW", "263", SAF, "southernafrica", ["Harare", "Beitbridge"]),
    ("Mozambique", "MZ", "258", SAF, "southernafrica", ["Maputo", "Pemba", "Beira"]),
    ("Malawi", "MW", "265", SAF, "southernafrica", ["Lilongwe", "Blantyre"]),
    ("South Africa", "ZA", "27", SAF, "southernafrica", ["Pretoria", "Johannesburg"]),
    ("Zambia", "ZM", "260", SAF, "southernafrica", ["Lusaka", "Chipata"]),
    ("Iraq", "IQ", "964", MENA, "arabic", ["Baghdad", "Erbil", "Mosul"]),
    ("Jordan", "JO", "962", MENA, "arabic", ["Amman", "Mafraq"]),
    ("Lebanon", "LB", "961", MENA, "arabic", ["Beirut", "Tripoli"]),
    ("Yemen", "YE", "967", MENA, "arabic", ["Aden", "Sana'a", "Marib"]),
    ("Libya", "LY", "218", MENA, "arabic", ["Tripoli", "Benghazi", "Sabha"]),
    ("Tunisia", "TN", "216", MENA, "arabic", ["Tunis", "Sfax", "Medenine"]),
    ("Morocco", "MA", "212", MENA, "arabic", ["Rabat", "Oujda"]),
    ("Egypt", "EG", "20", MENA, "arabic", ["Cairo", "Alexandria"]),
    ("Sudan", "SD", "249", MENA, "arabic", ["Khartoum", "Kassala", "El Fasher"]),
    ("Bangladesh", "BD", "880", ASIA, "southasia", ["Dhaka", "Cox's Bazar", "Sylhet"]),
    ("Nepal", "NP", "977", ASIA, "southasia", ["Kathmandu", "Pokhara"]),
    ("Pakistan", "PK", "92", ASIA, "southasia", ["Islamabad", "Peshawar", "Karachi"]),
    ("Afghanistan", "AF", "93", ASIA, "southasia", ["Kabul", "Herat", "Jalalabad"]),
    ("Sri Lanka", "LK", "94", ASIA, "southasia", ["Colombo", "Jaffna"]),
    ("Philippines", "PH", "63", ASIA, "seasia", ["Manila", "Tacloban", "Cotabato"]),
    ("Indonesia", "ID", "62", ASIA, "seasia", ["Jakarta", "Banda Aceh", "Makassar"]),
    ("Thailand", "TH", "66", ASIA, "seasia", ["Bangkok", "Mae Sot", "Ranong"]),
    ("Cambodia", "KH", "855", ASIA, "seasia", ["Phnom Penh", "Battambang"]),
    ("Viet Nam", "VN", "84", ASIA, "seasia", ["Hanoi", "Ho Chi Minh City"]),
    ("Myanmar", "MM", "95", ASIA, "seasia", ["Yangon", "Sittwe"]),
    ("Ukraine", "UA", "380", SEE, "easteurope", ["Kyiv", "Lviv", "Dnipro"]),
    ("Moldova", "MD", "373", SEE, "easteurope", ["Chisinau", "Balti"]),
    ("Tajikistan", "TJ", "992", SEE, "easteurope", ["Dushanbe", "Khujand"]),
    ("Kyrgyzstan", "KG", "996", SEE, "easteurope", ["Bishkek", "Osh"]),
    ("Serbia", "RS", "381", SEE, "easteurope", ["Belgrade", "Preševo"]),
    ("Bosnia and Herzegovina", "BA", "387", SEE, "easteurope", ["Sarajevo", "Bihać"]),
    ("Georgia", "GE", "995", SEE, "easteurope", ["Tbilisi", "Batumi"]),
    ("Türkiye", "TR", "90", SEE, "easteurope", ["Ankara", "Gaziantep", "Van"]),
]

REGIONAL_OFFICES = {
    LAC: ("San José", "506"),
    EHA: ("Nairobi", "254"),
    WCA: ("Dakar", "221"),
    SAF: ("Pretoria", "27"),
    MENA: ("Cairo", "20"),
    ASIA: ("Bangkok", "66"),
    SEE: ("Vienna", "43"),
}

REGION_AREAS = {
    LAC: ["Central America", "the Andean region", "the Caribbean", "South America"],
    EHA: ["the Horn of Africa", "East Africa", "the Great Lakes region"],
    WCA: ["the Sahel", "West Africa", "the Lake Chad Basin"],
    SAF: ["Southern Africa", "the SADC region"],
    MENA: ["North Africa", "the Middle East", "the Mashreq"],
    ASIA: ["South Asia", "South-East Asia", "the Bay of Bengal", "the Mekong region"],
    SEE: ["the Western Balkans", "Central Asia", "the South Caucasus", "Eastern Europe"],
}

NAMES = {
    "latin": (
        "María José Ana Luis Carmen Jorge Lucía Andrés Patricia Diego Gabriela Fernando Rosa"
        " Ricardo Claudia Héctor Mónica Julio Silvia Óscar",
        "García Rodríguez Martínez López Hernández Gómez Díaz Morales Castillo Ramírez Vargas"
        " Rojas Mendoza Peña Salazar Ortiz Quintero Núñez Aguilar Beltrán",
    ),
    "eastafrica": (
        "Amina Daniel Grace Peter Faith Abdi Halima Samuel Mercy Yonas Hiwot Joseph Wanjiru"
        " Hassan Esther Dawit Fatuma Brian Nasra Tesfaye",
        "Otieno Kamau Wanjiku Mwangi Achieng Alemu Tadesse Abdullahi Okello Mugisha Nyambura"
        " Kiprop Girma Warsame Njoroge Bekele Ochieng Mohamed Uwase Wekesa",
    ),
    "westafrica": (
        "Aminata Moussa Fatou Ibrahim Adama Kofi Ama Oumar Mariama Chinedu Ngozi Souleymane Awa"
        " Yaw Kadiatou Emeka Aïssatou Boubacar Abena Sékou",
        "Diallo Traoré Ndiaye Coulibaly Sow Mensah Ouédraogo Keita Okafor Adeyemi Barry Cissé"
        " Boateng Sy Camara Mahamadou Touré Eze Asante Kaboré",
    ),
    "southernafrica": (
        "Tendai Thandiwe Chipo Blessing Sipho Nomsa Tatenda Lindiwe Joaquim Memory Chikondi Farai",
        "Moyo Ncube Dube Banda Phiri Sithole Mabunda Chirwa Mutasa Nkosi Mwale Zulu",
    ),
    "arabic": (
        "Layla Ahmed Rania Omar Mariam Khaled Nour Youssef Hala Karim Salma Tariq Dina Hussein"
        " Reem Bilal Sara Mahmoud Yasmin Sami",
        "Haddad Khalil Mansour Saleh Nasser Hamdan Aziz Farouk Rahman Jaber Issa Qasim Darwish"
        " Hamid Suleiman Shami Taha Bakri Othman Zayed",
    ),
    "southasia": (
        "Farhana Rahul Sunita Arjun Nasrin Bishnu Ayesha Imran Priya Sanjay Rukhsana Kamal"
        " Anjali Sabina Dipak Zainab",
        "Rahman Shrestha Khan Ahmed Gurung Sharma Hossain Thapa Akter Malik Karki Chowdhury"
        " Perera Iqbal Rai Begum",
    ),
    "seasia": (
        "Siriporn Joel Dewi Sokha Anh Budi Thida Ramon Putri Somchai Ligaya Vannak Hoa Arief"
        " Marites Kyaw",
        "Santos Reyes Chaiyasit Wibowo Sok Tran Pham Kusuma Srisuk Lim Chea Bautista Saetang"
        " Hidayat Mendoza Aung",
    ),
    "easteurope": (
        "Natalia Ion Olena Andriy Elena Dmitri Aigerim Bakhtiyor Marina Nino Giorgi Jelena"
        " Marko Ana Farrukh Dilnoza Arman Svetlana Emir Zeynep",
        "Munteanu Kovalenko Cebotari Rahimov Petrović Beridze Nazarova Hodžić Shevchenko"
        " Karimova Jovanović Rusu Abdullaev Kapanadze Popescu Tkachenko Nurlanov Yılmaz"
        " Demir Sadykova",
    ),
    "intl": (
        "Thomas Sophie Jonas Claire Marco Ingrid Paul Hélène Lukas Emma Pierre Anna Matteo"
        " Sarah Jan Isabel Olivier Kristin David Laura",
        "Reinholt Bergqvist Dubois Moretti Schneider Fischer Laurent Jansen O'Brien Keller"
        " Lindqvist Rossi Martin Novak Hansen Weber Costa Meyer Andersen Blanc",
    ),
}
NAMES = {key: (first.split(), last.split()) for key, (first, last) in NAMES.items()}

JOB_TITLES = [
    "Communications Officer",
    "Media and Communications Officer",
    "Public Information Officer",
    "Regional Media and Communications Officer",
    "Spokesperson",
    "Programme Officer",
    "Project Coordinator",
    "Senior Media Officer",
]

DONORS = [
    "the European Union",
    "the Government of Japan",
    "the Government of Canada",
    "the United States Agency for International Development",
    "the US Department of State's Bureau of Population, Refugees and Migration",
    "the Government of Germany",
    "the Government of the Netherlands",
    "the Government of Sweden",
    "the Government of Switzerland",
    "the United Kingdom",
    "the Government of Norway",
    "the Government of Australia",
    "the Republic of Korea",
    "the IOM Development Fund",
    "the UN Central Emergency Response Fund",
    "the Government of Italy",
    "the Government of Denmark",
    "the Government of Belgium",
]

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Per-topic vocabulary. Title-case forms are used in titles, plain forms in sentences.
TOPICS = {
    "trafficking": {
        "benef": ["victims of trafficking", "survivors of trafficking", "women and girls at risk"],
        "Benef": ["Victims of Trafficking", "Trafficking Survivors", "Women at Risk"],
        "staff": ["police officers", "prosecutors", "labour inspectors", "social workers"],
        "act": [
            "a national hotline for victims of trafficking",
            "a shelter for survivors of trafficking",
            "a referral mechanism for victims of trafficking",
            "an awareness campaign on the risks of trafficking",
        ],
        "Act": ["Anti-Trafficking Hotline", "Shelter for Survivors", "Referral Mechanism"],
        "aid": ["shelter, medical care and legal aid", "counselling and vocational training"],
        "partner": ["Ministry of the Interior", "Ministry of Justice", "National Police"],
        "problem": ["a rise in cases of trafficking for labour and sexual exploitation"],
        "hardship": [
            "were recruited with false job offers and had their documents taken from them",
            "were forced to work without pay to repay debts to the people who recruited them",
        ],
        "Phrase": ["Human Trafficking", "Counter-Trafficking", "Assistance to Victims"],
        "outcome": ["Return Home Safely", "Receive Protection", "Start New Lives"],
        "quote": [
            "Every victim we identify is a person who can finally be helped, and a network that"
            " can be dismantled",
            "Traffickers rely on silence. This campaign is about breaking it",
            "The survivors we work with are not only victims; they are people with plans and"
            " skills",
        ],
    },
    "emergency": {
        "benef": ["displaced families", "internally displaced persons", "flood-affected families"],
        "Benef": ["Displaced Families", "Displaced People", "Flood-Affected Families"],
        "staff": ["camp managers", "volunteers", "local officials", "engineers"],
        "act": [
            "an emergency shelter programme",
            "a distribution of non-food items",
            "a displacement tracking exercise",
            "a cash assistance programme",
        ],
        "Act": ["Emergency Shelter Programme", "Cash Assistance Programme", "Relief Operation"],
        "aid": ["shelter kits, blankets and hygiene items", "clean water and sanitation"],
        "partner": ["National Disaster Management Authority", "Ministry of Humanitarian Affairs"],
        "problem": ["repeated waves of displacement caused by conflict and natural hazards"],
        "hardship": [
            "are living in makeshift shelters with little access to clean water",
            "fled with almost nothing and are staying with host families or in public buildings",
        ],
        "Phrase": ["Displacement", "Emergency Response", "Disaster Preparedness"],
        "outcome": ["Receive Emergency Shelter", "Return Home", "Receive Relief Items"],
        "quote": [
            "Families have lost everything, and the rains are coming. We have very little time",
            "What people ask for first is a roof and a way to earn a living again",
            "The needs are growing faster than the funds available to meet them",
        ],
    },
    "health": {
        "benef": ["migrants and host communities", "mobile populations", "migrant workers"],
        "Benef": ["Migrants", "Mobile Populations", "Border Communities"],
        "staff": ["health workers", "nurses", "community health volunteers", "port health staff"],
        "act": [
            "a mobile health clinic",
            "a tuberculosis screening programme",
            "a vaccination campaign",
            "a mental health and psychosocial support programme",
        ],
        "Act": ["Mobile Health Clinics", "Health Screening Programme", "Vaccination Campaign"],
        "aid": ["free medical consultations and referrals", "screening and treatment"],
        "partner": ["Ministry of Health", "National Public Health Institute"],
        "problem": ["gaps in health services for people on the move"],
        "hardship": [
            "have never seen a doctor since they left home",
            "cannot afford treatment or fear being reported if they seek care",
        ],
        "Phrase": ["Migrant Health", "Health Security", "Disease Surveillance at Borders"],
        "outcome": ["Receive Health Screening", "Gain Access to Health Care", "Get Vaccinated"],
        "quote": [
            "Diseases do not stop at borders, and neither should health care",
            "A migrant who is healthy is safer for his family and for the community he lives in",
            "We go where the people are, not where it is easy for us",
        ],
    },
    "labour": {
        "benef": ["migrant workers", "seasonal workers", "young jobseekers", "domestic workers"],
        "Benef": ["Migrant Workers", "Seasonal Workers", "Young Jobseekers", "Domestic Workers"],
        "staff": ["labour officials", "recruitment agencies", "employment counsellors"],
        "act": [
            "a pre-departure orientation programme",
            "an ethical recruitment initiative",
            "a skills recognition scheme",
            "a job-matching platform",
        ],
        "Act": ["Pre-Departure Orientation", "Ethical Recruitment Initiative", "Job Centre"],
        "aid": ["pre-departure orientation and contract checks", "language and skills training"],
        "partner": ["Ministry of Labour", "National Employment Agency"],
        "problem": ["high recruitment fees and a lack of information for workers going abroad"],
        "hardship": [
            "paid several months' wages to intermediaries before they even started work",
            "found on arrival that their contracts had been changed",
        ],
        "Phrase": ["Labour Migration", "Fair Recruitment", "Skills Mobility"],
        "outcome": ["Find Jobs", "Receive Pre-Departure Training", "Have Skills Recognized"],
        "quote": [
            "A worker who knows his rights before leaving is much harder to exploit",
            "Migration should be a choice made with full information, not a gamble",
            "Employers told us they need these skills. Now they know where to find them",
        ],
    },
    "return": {
        "benef": ["returning migrants", "returnees", "migrants returned from abroad"],
        "Benef": ["Returning Migrants", "Returnees", "Returned Migrants"],
        "staff": ["case workers", "business mentors", "municipal staff"],
        "act": [
            "a reintegration programme",
            "a business start-up scheme for returnees",
            "a reception centre for returned migrants",
            "a psychosocial support service for returnees",
        ],
        "Act": ["Reintegration Programme", "Reception Centre", "Business Start-Up Scheme"],
        "aid": ["reintegration grants and business training", "counselling and job placement"],
        "partner": ["Ministry of Foreign Affairs", "Ministry of Social Development"],
        "problem": ["a steady increase in the number of nationals returned from abroad"],
        "hardship": [
            "came back with debts and without the savings they had hoped to bring home",
            "feel ashamed to face their families after a failed journey",
        ],
        "Phrase": ["Return and Reintegration", "Sustainable Reintegration"],
        "outcome": ["Start Small Businesses", "Rebuild Their Lives", "Receive Reintegration Aid"],
        "quote": [
            "Coming back is not the end of the story. With support, it can be a new beginning",
            "The first weeks after return decide whether someone stays or leaves again",
            "Returnees bring skills and ideas back with them. Our job is to help them use them",
        ],
    },
    "border": {
        "benef": ["border officials", "immigration officers", "cross-border traders"],
        "Benef": ["Border Officials", "Immigration Officers", "Cross-Border Traders"],
        "staff": ["immigration officers", "border police", "customs officials"],
        "act": [
            "a border management information system",
            "a new one-stop border post",
            "a training centre for immigration officers",
            "a document examination laboratory",
        ],
        "Act": ["Border Management System", "Border Post", "Training Centre for Officers"],
        "aid": ["equipment and training", "document examination kits and training"],
        "partner": ["Directorate of Immigration", "Ministry of the Interior", "Border Police"],
        "problem": ["growing pressure on long and porous borders"],
        "hardship": [
            "work at remote posts without electricity or reliable communications",
            "have received little training on fraudulent documents",
        ],
        "Phrase": ["Border Management", "Document Security", "Cross-Border Cooperation"],
        "outcome": ["Complete Training", "Receive New Equipment", "Strengthen Cooperation"],
        "quote": [
            "Good border management means faster crossings for honest travellers and fewer"
            " opportunities for criminals",
            "Our officers now have the tools to do their job properly",
            "Cooperation with our neighbours is the only way to manage a border like this one",
        ],
    },
    "climate": {
        "benef": ["drought-affected communities", "coastal communities", "pastoralist families"],
        "Benef": ["Drought-Affected Communities", "Coastal Communities", "Pastoralists"],
        "staff": ["community leaders", "district officials", "extension workers"],
        "act": [
            "an early warning system",
            "a climate-resilient livelihoods programme",
            "a community-based disaster risk reduction plan",
            "a network of water points",
        ],
        "Act": ["Early Warning System", "Resilience Programme", "Water Points"],
        "aid": ["drought-resistant seeds and irrigation", "water and livelihood support"],
        "partner": ["Ministry of Environment", "Ministry of Agriculture"],
        "problem": ["longer droughts, stronger storms and rising seas"],
        "hardship": [
            "have lost most of their livestock in successive droughts",
            "see their fields flooded by salt water more often every year",
        ],
        "Phrase": ["Climate Change and Migration", "Disaster Risk Reduction", "Resilience"],
        "outcome": ["Adapt to Climate Change", "Prepare for Disasters", "Secure Water Supplies"],
        "quote": [
            "People do not want to leave their land. They want to be able to stay",
            "When the rains fail, the young people are the first to go",
            "Preparing costs far less than responding after a disaster",
        ],
    },
    "development": {
        "benef": ["diaspora members", "local entrepreneurs", "young people", "women's groups"],
        "Benef": ["Diaspora Entrepreneurs", "Local Entrepreneurs", "Young People", "Women"],
        "staff": ["municipal officials", "business advisers", "community leaders"],
        "act": [
            "a diaspora investment fund",
            "a skills transfer programme for diaspora professionals",
            "a small business grant scheme",
            "a community development fund",
        ],
        "Act": ["Diaspora Investment Fund", "Skills Transfer Programme", "Small Grants Scheme"],
        "aid": ["small grants and business coaching", "training and start-up capital"],
        "partner": ["Ministry of Economy", "Diaspora Affairs Office", "local municipalities"],
        "problem": ["high youth unemployment and the departure of many young people"],
        "hardship": [
            "see migration as the only way to support their families",
            "have ideas for businesses but no access to credit",
        ],
        "Phrase": ["Diaspora Engagement", "Local Development", "Remittances and Investment"],
        "outcome": ["Launch Businesses", "Invest in Home Communities", "Create Jobs"],
        "quote": [
            "Our diaspora wants to help, but it needs channels it can trust",
            "Every job created here is one less reason for a young person to leave",
            "Remittances keep families going; investment keeps communities alive",
        ],
    },
}

PROJECT_TYPES = [
    ("Labour Mobility and Human Development", "LM", "labour"),
    ("Immigration and Border Management", "IB", "border"),
    ("Counter-Trafficking", "CT", "trafficking"),
    ("Community and Economic Development", "CE", "development"),
    ("Migration Health", "MH", "health"),
    ("Migration, Environment and Climate Change", "CC", "climate"),
    ("Return and Reintegration", "RR", "return"),
]

# ---------------------------------------------------------------------------------------------
# Sentence templates. Slots: {city} {country} {area} {benef} {staff} {act} {aid} {partner}
# {problem} {hardship} {donor} {year} {since} {n1}..{n4} {pct} {today} {person} {role}.

LEADS = [
    "IOM and the {partner} {today} launched {act} that will benefit some {n1} {benef} in {city}"
    " and surrounding areas.",
    "More than {n1} {benef} in {city} have received {aid} from IOM since the beginning of the"
    " year, the Organization said {today}.",
    "The {partner} and IOM {today} opened {act} in {city}, the first of its kind in {country}.",
    "IOM has stepped up its support to {benef} in {country}, where {problem} has stretched local"
    " services to the limit.",
    "A {n4}-day workshop that ended {today} in {city} brought together {n3} {staff} from across"
    " {country} to improve the way the country responds to {problem}.",
    "IOM {today} started work on {act} in {city}, with the aim of reaching {n1} {benef} over"
    " the next {n4} months.",
    "{n1} {benef} in the {city} area will benefit from {act} launched {today} by IOM and the"
    " {partner}.",
]

STATEMENT_LEADS = [
    "IOM is deeply concerned about the situation of {benef} in {country}, where {problem} has"
    " left many without protection or assistance.",
    "IOM welcomes the decision announced {today} by the {partner} to step up its response to"
    " {problem}.",
    "IOM calls on all parties to ensure the safety and dignity of {benef} in and around {city}.",
]

STORY_LEADS = [
    "When {who} arrived in {city}, everything the family owned fitted into two bags and a"
    " cardboard box.",
    "{who} remembers the day everything changed. It was a morning like any other in {city}.",
    "For {n4} years, {who} worked far from home. Today, {who_first} is back in {city}.",
    "The road to {city} is long and dusty, and {who} knows every turn of it.",
]

SENTENCES = {
    "context": [
        "{country} has faced {problem} in recent years.",
        "According to official figures, {n2} {benef} were registered in the country last year,"
        " {pct} per cent more than the year before.",
        "Many of them {hardship}.",
        "The area around {city} is among the poorest in {country}, and many families depend on"
        " remittances sent by relatives abroad.",
        "Local authorities say that needs have grown much faster than the services available.",
        "The situation is part of a wider pattern across {area}.",
        "Women and children make up more than half of those affected.",
        "Some have been waiting for assistance for several months.",
        "Previous efforts were limited by a lack of reliable data and coordination.",
    ],
    "activity": [
        "Over the coming months, the project will train {n3} {staff} and provide {aid} to"
        " {benef} in {n4} municipalities.",
        "Teams made up of IOM staff and local volunteers visit communities every week.",
        "Participants received a handbook and a directory of services in their region.",
        "Each participant also received a follow-up visit three months later.",
        "The activities were designed together with the {partner} and local civil society.",
        "Special attention is paid to women, children and people with disabilities.",
        "A second phase, planned for next year, will extend the activities to {area}.",
        "Information sessions are held in local languages in schools, markets and places of"
        " worship.",
        "IOM will also help the authorities collect data to monitor progress.",
    ],
    "figures": [
        "Since {since}, IOM has assisted more than {n2} {benef} in {country}, {pct} per cent of"
        " them women and children.",
        "So far, {n3} {staff} have been trained and {n1} people reached.",
        "In the first {n4} months alone, {n1} people were assisted.",
        "The programme has a budget of USD {money} over two years.",
        "IOM estimates that a further {n1} people will need assistance before the end of {year}.",
        "Nearly {pct} per cent of those assisted are under 18 years of age.",
        "Around {n1} people remain on a waiting list.",
        "Funding received so far covers only {pct} per cent of the needs identified.",
    ],
    "partners": [
        "The initiative is implemented in partnership with the {partner}, local authorities and"
        " civil society organizations.",
        "IOM works closely with UN agencies and NGOs to avoid duplication and fill gaps.",
        "Local officials have committed to continue the activities after the project ends.",
        "The {partner} has assigned staff to each of the project sites.",
        "Several local NGOs run the day-to-day activities with technical support from IOM.",
        "Community leaders helped to select the families who took part.",
        "Universities in {country} are documenting the results so they can be replicated.",
    ],
}

DONOR_LINES = [
    "The project is funded by {donor}.",
    "The programme is funded by {donor} and {donor2}.",
    "The activities are funded by {donor}, with additional support from {donor2}.",
    "{Donor} provided the funding for this initiative.",
    "IOM's work in {country} is supported by {donor}, {donor2} and other donors.",
]

QUOTE_ROLES = [
    "IOM Chief of Mission in {country}",
    "IOM's programme coordinator in {city}",
    "head of IOM's office in {city}",
    "an IOM project officer",
    "a senior official at the {partner}",
    "the mayor of {city}",
]

LINK_INTROS = [
    "The report is available on the IOM website:",
    "More information is available at:",
    "The guide can be downloaded from:",
]

PROJECT_SENTENCES = {
    "objective": [
        "The project aims to support the {partner} in addressing {problem}.",
        "This project proposes to strengthen national capacities to respond to {problem}.",
        "The overall objective is to improve the situation of {benef} in {where}.",
        "The project will contribute to safe, orderly and regular migration in {where}.",
    ],
    "activity": [
        "It will 1) train {n3} {staff}, 2) develop standard operating procedures and 3) provide"
        " {aid} to {benef}.",
        "Activities include the establishment of {act} and the training of {staff}.",
        "The project will pilot {act} in {n4} locations before it is extended nationally.",
        "Technical assistance will be provided to the {partner} to review policies and procedures.",
        "A baseline assessment will be carried out in the first months of implementation.",
    ],
    "closing": [
        "The project is aligned with national development plans and with the Sustainable"
        " Development Goals, in particular target 10.7.",
        "Gender considerations are integrated throughout the project.",
        "Lessons learned will be documented and shared with other Member States in {area}.",
        "The project builds on previous IOM work in {where} and on the priorities of the"
        " Government.",
        "Sustainability will be ensured through the involvement of national institutions from"
        " the start.",
    ],
}

PROJECT_TITLES = [
    "Strengthening {Phrase} Capacities in {where}",
    "Enhancing {Phrase} in {where}",
    "Support to the {Partner} on {Phrase}",
    "{Act} for {Benef} in {where}",
    "Building Resilience through {Phrase} in {where}",
    "Towards Evidence-Based {Phrase} Policies in {where}",
    "Pilot {Act} in {where}",
]

CONTACT_HEADERS = [
    "For more information please contact:",
    "For more information, please contact:",
    "For further information, please contact:",
    "For further information please contact:",
    "For more information, contact:",
]

STATUS_WEIGHTS = [("Completed", 60), ("Active", 30), ("Pipeline", 5), ("Suspended", 3)]

DAMAGE_KINDS = ["empty", "chrome-only", "truncated", "bad-budget", "binary"]
BAD_BUDGETS = ["TBD", "n/a", "USD 1.2 million", "to be confirmed", "250,000 (estimated)", "-"]

_QUOTES = re.compile(r'"([^"]*)"')


class Slots(dict):
    """Template values; every {n1}..{n4}, {pct} and {money} gets a fresh number."""

    def __init__(self, rng, number, **values):
        super().__init__(**values)
        self.rng = rng
        self.number = number

    def __missing__(self, key):
        rng = self.rng
        if key in ("n1", "n2"):
            return self.number()
        if key == "n3":
            return str(rng.randint(12, 250))
        if key == "n4":
            return str(rng.randint(2, 18))
        if key == "pct":
            return str(rng.randint(8, 72))
        if key == "money":
            if rng.random() < 0.3:
                return f"{rng.randint(11, 49) / 10:.1f} million"
            return fmt_int(rng.randrange(150, 990, 5) * 1000)
        raise KeyError(key)


def ascii_fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def fmt_int(n):
    return f"{n:,}"


class Person:
    __slots__ = ("email", "mobile", "name", "offices", "tel", "title")

    def __init__(self, name, email, offices, tel, mobile, title):
        self.name = name
        self.email = email
        self.offices = offices
        self.tel = tel
        self.mobile = mobile
        self.title = title


def phone(rng, dial):
    return (dial, str(rng.randint(1, 99)), str(rng.randint(100, 999)), str(rng.randint(1000, 9999)))


def fmt_phone(parts, style, ext=None):
    dial, area, a, b = parts
    text = f"+{dial}.{area}.{a}.{b}" if style == 0 else f"+{dial} {area} {a} {b}"
    return f"{text} ext. {ext}" if ext else text


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        # A stream of its own for which older blocks leave out the e-mail, so that adding it
        # left every other draw, and so every other byte of the batch, as it was.
        self.email_rng = random.Random(f"{seed}-email")
        self.titles = set()
        self.code_next = {prefix: self.rng.randint(1, 60) for _, prefix, _ in PROJECT_TYPES}
        self.prima_next = self.rng.randint(1, 40)
        self.by_country = {}
        self.by_region = {}
        self.hq = []
        self.people = self._people()

    # -- people -------------------------------------------------------------------------------
    def _new_person(self, pool, offices, dial, used, domain="iom.int"):
        rng = self.rng
        first_names, last_names = NAMES["intl" if rng.random() < 0.2 else pool]
        first, last = rng.choice(first_names), rng.choice(last_names)
        if rng.random() < 0.15:
            last = f"{last} {rng.choice(last_names)}"
        name = f"{first} {last}"
        f_ascii = re.sub(r"[^a-z]", "", ascii_fold(first).lower())
        l_ascii = re.sub(r"[^a-z]", "", ascii_fold(last.split()[0]).lower())
        candidates = [f"{f_ascii[0]}{l_ascii}", f"{f_ascii}.{l_ascii}"]
        candidates += [f"{f_ascii[0]}{l_ascii}{i}" for i in range(2, 99)]
        local = next(c for c in candidates if c not in used)
        used.add(local)
        title = rng.choice(JOB_TITLES) if rng.random() < 0.4 else None
        mobile = phone(rng, dial) if rng.random() < 0.6 else None
        return Person(name, f"{local}@{domain}", offices, phone(rng, dial), mobile, title)

    def _people(self):
        used = set()
        people = []
        for name, _iso, dial, _region, pool, cities in COUNTRIES:
            offices = [f"IOM {name}", f"IOM-{name}", f"IOM {cities[0]}", f"IOM Mission in {name}"]
            group = [self._new_person(pool, offices, dial, used) for _ in range(4)]
            self.by_country[name] = group
            people += group
        for region, (city, dial) in REGIONAL_OFFICES.items():
            pool = next(c[4] for c in COUNTRIES if c[3] == region)
            offices = [f"IOM Regional Office for {region}, {city}", f"IOM {city}"]
            group = [self._new_person(pool, offices, dial, used) for _ in range(5)]
            self.by_region[region] = group
            people += group
        hq_offices = ["IOM Geneva", "IOM HQ", "IOM Headquarters, Geneva", "IOM Media Centre"]
        while len(people) < 300:
            domain = "example.org" if len(self.hq) % 6 == 5 else "iom.int"
            person = self._new_person("intl", hq_offices, "41", used, domain)
            self.hq.append(person)
            people.append(person)
        return people

    # -- helpers ------------------------------------------------------------------------------
    def number(self):
        rng = self.rng
        magnitude = rng.choice([(20, 200, 1), (100, 2000, 10), (1000, 60000, 100)])
        lo, hi, step = magnitude
        return fmt_int(rng.randrange(lo, hi, step))

    def slots(self, country, topic, year):
        rng = self.rng
        name, _iso, _dial, region, _pool, cities = country
        vocab = TOPICS[topic]
        donor, donor2 = rng.sample(DONORS, 2)
        return Slots(
            rng,
            self.number,
            city=rng.choice(cities),
            country=name,
            area=rng.choice(REGION_AREAS[region]),
            benef=rng.choice(vocab["benef"]),
            staff=rng.choice(vocab["staff"]),
            act=rng.choice(vocab["act"]),
            aid=rng.choice(vocab["aid"]),
            partner=rng.choice(vocab["partner"]),
            problem=rng.choice(vocab["problem"]),
            hardship=rng.choice(vocab["hardship"]),
            donor=donor,
            donor2=donor2,
            Donor=donor[0].upper() + donor[1:],
            year=str(year),
            since=str(rng.randint(max(1995, year - 12), year - 1)),
            today="today",
        )

    def paragraph(self, pools, role, slots, count):
        rng = self.rng
        pool = pools.setdefault(role, [])
        chosen = []
        for _ in range(count):
            if not pool:
                pool.extend(SENTENCES[role])
                rng.shuffle(pool)
            template = pool.pop()
            if template not in chosen:
                chosen.append(template)
        return " ".join(t.format_map(slots) for t in chosen)

    def person_name(self, pool):
        first_names, last_names = NAMES[pool]
        return f"{self.rng.choice(first_names)} {self.rng.choice(last_names)}"

    def unique_title(self, make):
        title = make()
        for _ in range(12):
            if title not in self.titles:
                break
            title = make()
        self.titles.add(title)
        return title

    # -- news ---------------------------------------------------------------------------------
    def news_title(self, kind, slots, vocab, country):
        rng = self.rng
        place = slots["city"] if rng.random() < 0.6 else country[0]
        if kind == "statement":
            return rng.choice(
                [
                    f"IOM Statement on the Situation of {rng.choice(vocab['Benef'])} in {place}",
                    f"IOM Concerned over {rng.choice(vocab['Phrase'])} Situation in {place}",
                    f"IOM Welcomes {country[0]}'s New Policy on {rng.choice(vocab['Phrase'])}",
                    f"Statement on {rng.choice(vocab['Phrase'])} in {place}, {slots['year']}",
                ]
            )
        if kind == "story":
            who = slots["who_first"]
            return rng.choice(
                [
                    f"In {place}, {who} Finds a Way Forward",
                    f"{who}'s Story: Starting Over in {place}",
                    f"From {place}, {rng.choice(vocab['Benef'])} Share Their Stories",
                    f"A Day in {place} with {who}",
                ]
            )
        benef = rng.choice(vocab["Benef"])
        act = rng.choice(vocab["Act"])
        phrase = rng.choice(vocab["Phrase"])
        n = self.number()
        return rng.choice(
            [
                f"IOM {rng.choice(['Assists', 'Supports', 'Trains', 'Reaches', 'Helps'])}"
                f" {n} {benef} in {place}",
                f"{place} Hosts {rng.choice(['Regional Conference', 'National Workshop', 'Forum'])}"
                f" on {phrase}",
                f"{n} {benef} {rng.choice(vocab['outcome'])} in {place}",
                f"{country[0]} and IOM {rng.choice(['Launch', 'Open', 'Unveil'])} {act} in {place}",
                f"New {act} to Help {n} {benef} in {place}",
                f"IOM Appeals for Support as {benef} in {place} Face Growing Needs",
            ]
        )

    def dateline(self, slots, year, modern):
        rng = self.rng
        city = slots["city"]
        r = rng.random()
        dash = " – " if rng.random() < 0.94 else rng.choice([" - ", " — "])
        if r < 0.3:
            return f"{city}, {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}{dash}"
        if r < 0.55:
            slots["today"] = f"today ({rng.randint(1, 28):02d}/{rng.randint(1, 12):02d})"
            return f"{city}{dash}"
        if r < (0.8 if modern else 0.62):
            return f"{(city.upper() if rng.random() < 0.05 else city)}{dash}"
        return ""

    def contacts(self, country, modern):
        rng = self.rng
        name, _iso, _dial, region = country[:4]
        chosen = []
        for _ in range(rng.choices([1, 2, 3], [60, 30, 10])[0]):
            r = rng.random()
            group = self.by_country[name] if r < 0.7 else self.by_region[region] if r < 0.9 else []
            person = rng.choice(group or self.hq)
            if person not in chosen:
                chosen.append(person)
        style = rng.choices(["multi", "office-first", "one-line", "inline"], [45, 15, 30, 10])[0]
        if not modern and style == "one-line":
            style = "multi"
        phone_style = rng.randint(0, 1)
        lines = [rng.choice(CONTACT_HEADERS)]
        for person in chosen:
            office = person.offices[0] if rng.random() < 0.75 else rng.choice(person.offices)
            tel = fmt_phone(
                person.tel, phone_style, rng.choice([None, None, rng.randint(100, 299)])
            )
            if style == "one-line":
                extra = f", Tel: {tel}" if rng.random() < 0.3 else ""
                label = rng.choice(["Email:", "Email:", "E-mail:"])
                lines.append(f"{office} – {person.name}{extra}, {label} {person.email}")
                continue
            block = [office, person.name] if style == "office-first" else [person.name]
            if style != "office-first":
                if person.title and rng.random() < 0.7:
                    block.append(person.title)
                block.append(office)
            block.append(f"{rng.choice(['Tel:', 'Tel:', 'Tel.', 'Phone:'])} {tel}")
            if person.mobile and rng.random() < 0.8:
                label = rng.choice(["Mobile", "Mobile:", "Mob.", "Cell:"])
                block.append(f"{label} {fmt_phone(person.mobile, phone_style)}")
            if not modern and self.email_rng.random() < 0.1:
                lines += block  # older releases often gave phone numbers only
                continue
            if style == "inline":
                block.append(f"Email: {person.email}")
            else:
                block += ["E-mail:", f'"mailto:{person.email}">{person.email}']
            lines += block
        return lines

    def news(self):
        rng = self.rng
        country = rng.choice(COUNTRIES)
        year = rng.choice(range(2001, 2025))
        modern = rng.random() < (0.85 if year >= 2012 else 0.2)
        kind = rng.choices(["press-release", "story", "statement"], [75, 15, 10])[0]
        topic = rng.choice(list(TOPICS))
        vocab = TOPICS[topic]
        slots = self.slots(country, topic, year)

        def make_title():
            # A story is about someone: draw a new person with each attempt at a unique title.
            who = self.person_name(country[4])
            slots["who"], slots["who_first"] = who, who.split()[0]
            return self.news_title(kind, slots, vocab, country)

        title = self.unique_title(make_title)
        dateline = self.dateline(slots, year, modern)
        pools = {}
        leads = {"statement": STATEMENT_LEADS, "story": STORY_LEADS}.get(kind, LEADS)
        paragraphs = [dateline + rng.choice(leads).format_map(slots)]
        quotes = rng.sample(vocab["quote"], len(vocab["quote"]))
        roles = ["context", "activity", "quote", "figures", "activity", "partners", "context"]
        roles += ["quote", "activity", "figures", "context"]
        body_count = rng.randint(3, 12) - 1
        with_donor = body_count >= 2 and rng.random() < 0.7
        link_at = rng.randint(1, body_count) if rng.random() < 0.05 else -1
        for i in range(body_count - with_donor):
            role = roles[i] if rng.random() < 0.7 else rng.choice(list(SENTENCES))
            if role == "quote":
                who = self.person_name(country[4])
                role_text = rng.choice(QUOTE_ROLES).format_map(slots)
                quote = quotes.pop() if quotes else rng.choice(vocab["quote"])
                paragraphs.append(f'"{quote}," said {who}, {role_text}.')
            else:
                paragraphs.append(self.paragraph(pools, role, slots, rng.randint(1, 4)))
            if i + 1 == link_at:
                paragraphs[-1] += " " + rng.choice(LINK_INTROS)
                url = f"http://www.example.org/{country[1].lower()}/{rng.randint(10, 9999)}.pdf"
                paragraphs.append([f'"{url}"', 'target="_blank" title=', f'"">{url}'])
        if with_donor:
            paragraphs.append(rng.choice(DONOR_LINES).format_map(slots))
        if modern:
            paragraphs = [p if isinstance(p, list) else curly(p) for p in paragraphs]
        width = rng.randint(62, 72)
        lines = [title]
        for p in paragraphs:
            if isinstance(p, list):
                lines += p
            elif modern:
                lines.append(p)
            else:
                lines += wrap(p, width)
        with_contacts = (
            rng.random() < {"press-release": 0.92, "story": 0.35, "statement": 0.7}[kind]
        )
        if with_contacts:
            lines += self.contacts(country, modern)
        return kind, lines

    # -- projects -----------------------------------------------------------------------------
    def project(self, bad_budget=False):
        rng = self.rng
        type_name, prefix, topic = rng.choice(PROJECT_TYPES)
        vocab = TOPICS[topic]
        coverage = rng.choices(["National", "Regional", "Global"], [65, 25, 10])[0]
        country = rng.choice(COUNTRIES)
        region = country[3]
        if coverage == "National":
            states = [country]
            where = country[0]
        elif coverage == "Regional":
            neighbours = [c for c in COUNTRIES if c[3] == region and c is not country]
            states = [country, *rng.sample(neighbours, rng.randint(1, 3))]
            where = rng.choice(REGION_AREAS[region])
        else:
            states = rng.sample(COUNTRIES, rng.randint(2, 4))
            region = "Global" if rng.random() < 0.6 else states[0][3]
            where = "selected Member States"
        start = rng.randint(2004, 2024)
        end = start + rng.randint(1, 4)
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        if end >= 2025 and status == "Completed":
            status = "Active"
        if end < 2023 and status in ("Active", "Pipeline"):
            status = "Completed"
        year = start if rng.random() < 0.8 else start - 1
        budget = rng.randrange(30, 800) * 1000 + (
            rng.choice([0, 0, 0, 50, 25]) * rng.randint(1, 19)
        )
        budget_text = rng.choice(BAD_BUDGETS) if bad_budget else f"{budget:.2f}"
        code = f"{prefix}.{self.code_next[prefix]:04d}"
        self.code_next[prefix] += rng.randint(1, 3)
        prima = f"{states[0][1]}{rng.choice(['10', '11', '12'])}P{self.prima_next:04d}"
        self.prima_next += rng.randint(1, 4)
        slots = self.slots(country, topic, year)
        slots["where"] = where
        title_slots = {
            "Phrase": rng.choice(vocab["Phrase"]),
            "Act": rng.choice(vocab["Act"]),
            "Benef": rng.choice(vocab["Benef"]),
            "Partner": slots["partner"].title().replace(" Of ", " of ").replace(" The ", " the "),
            "where": where if coverage != "Global" else "Migrants' Countries of Origin",
        }
        title = rng.choice(PROJECT_TITLES).format_map(title_slots)
        if coverage == "Regional" and rng.random() < 0.5:
            title = f"{title} (Phase {rng.choice(['I', 'II', 'III'])})"
        meta = [
            ("Start Date", str(start)),
            ("End Date", str(end)),
            ("Project Status", status),
            ("Project Type", type_name),
            ("Budget Amount (USD)", budget_text),
            ("Coverage", coverage),
            ("Year", str(year)),
            ("IDF Region", region),
            ("Prima ID", prima),
            ("Projects ID", code),
            ("Benefiting Member States", " ".join(c[0] for c in states)),
        ]
        if rng.random() < 0.03:
            del meta[rng.choice([1, 8])]  # an End Date or a Prima ID that was never filled in
        lines = [title]
        for label, value in meta:
            lines += ["-", label, value]
        modern = start >= 2012
        paragraphs = [
            self.paragraph({}, "context", slots, rng.randint(2, 3)),
            " ".join(s.format_map(slots) for s in rng.sample(PROJECT_SENTENCES["objective"], 2)),
        ]
        activities = rng.sample(PROJECT_SENTENCES["activity"], rng.randint(0, 5))
        while activities:
            k = rng.randint(1, 3)
            paragraphs.append(" ".join(s.format_map(slots) for s in activities[:k]))
            del activities[:k]
        if rng.random() < 0.7:
            paragraphs.append(rng.choice(PROJECT_SENTENCES["closing"]).format_map(slots))
        lines += [curly(p) if modern else p for p in paragraphs]
        return lines

    # -- files --------------------------------------------------------------------------------
    def damaged(self, kind):
        rng = self.rng
        if kind == "empty":
            return b""
        if kind == "binary":
            return rng.randbytes(rng.randint(64, 4096))
        if kind == "chrome-only":
            return "\n".join(CHROME).encode("utf-8")
        lines = CHROME + self.project(bad_budget=kind == "bad-budget")
        if kind == "truncated":
            meta_end = len(CHROME) + 1 + 33
            lines = lines[: rng.randint(len(CHROME) + 2, meta_end - 1)]
            text = "\n".join(lines)
            if rng.random() < 0.5:
                text = text[: -rng.randint(1, max(1, len(lines[-1]) - 1))]
            return text.encode("utf-8")
        return "\n".join(lines).encode("utf-8")

    def file(self):
        """One file's bytes and its kind (for the summary)."""
        rng = self.rng
        r = rng.random()
        if r < 0.02:
            kind = rng.choice(DAMAGE_KINDS)
            return self.damaged(kind), f"damaged:{kind}"
        if r < 0.30:
            kind, lines = "project", self.project()
        else:
            kind, lines = self.news()
        text = "\n".join(CHROME + lines)
        if rng.random() < 0.1:
            text += "\n"
        r = rng.random()
        if r < 0.01:
            return text.replace("\n", "\r\n").encode("utf-8"), kind + ":crlf"
        if r < 0.02:
            return text.encode("cp1252", errors="replace"), kind + ":cp1252"
        return text.encode("utf-8"), kind


def curly(text):
    """Typographic quotes, as the newer pages of the old site have them."""
    return _QUOTES.sub("“\\1”", text).replace("'", "’")


def wrap(text, width):
    """Greedy hard wrap, as the older pages were stored."""
    lines, current, length = [], [], 0
    for word in text.split(" "):
        if current and length + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, length = [word], len(word)
        else:
            length += len(word) + (1 if current else 0)
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="how many files (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    generator = Generator(args.seed)
    digits = max(3, len(str(args.count - 1)))
    counts = Counter()
    for i in range(args.count):
        data, kind = generator.file()
        name = f"{i:0{digits}d}_{generator.rng.getrandbits(64):016x}.txt"
        (args.out / name).write_bytes(data)
        counts[kind.split(":")[0]] += 1
        if ":" in kind:
            counts[kind] += 1
    news = counts["press-release"] + counts["story"] + counts["statement"]
    damaged = ", ".join(f"{k} {counts['damaged:' + k]}" for k in DAMAGE_KINDS)
    crlf = sum(v for k, v in counts.items() if k.endswith(":crlf"))
    cp1252 = sum(v for k, v in counts.items() if k.endswith(":cp1252"))
    print(
        f"wrote {args.count} files to {args.out} in {time.perf_counter() - started:.1f} s:"
        f" {news} news ({counts['press-release']} press releases, {counts['story']} stories,"
        f" {counts['statement']} statements), {counts['project']} projects,"
        f" {counts['damaged']} damaged ({damaged}); of the good ones {crlf} CRLF,"
        f" {cp1252} Windows-1252"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
