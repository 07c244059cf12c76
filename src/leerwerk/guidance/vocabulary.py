"""The first version of the national vocabulary, from DESIGN §4 (counting rules).

Used by the seed migration; kept here so tests and the reports can refer to the codes.
"""

import datetime

VERSION_1_EFFECTIVE_FROM = datetime.date(2023, 1, 1)

# code constants the counting rules refer to
INTAKE = "intake"
ADVICE_CONVERSATION = "adviesgesprek"
INFORMATION_CONTACT = "informatiecontact"
COMPETENCE_TEST = "competentietest-ctc"
EMPLOYER_ADVICE = "werkgever-advies"
EMPLOYER_GROUP_SESSION = "werkgever-groepsbijeenkomst"
EMPLOYER_LEARNING_WORK = "werkgever-leerwerktraject"

# (kind, code, name, needs_trajectory, description)
VERSION_1 = [
    (
        "contact_moment",
        INTAKE,
        "Intake",
        True,
        "Eerste gesprek om de vraag van de klant scherp te krijgen. Telt niet als adviesgesprek.",
    ),
    (
        "contact_moment",
        ADVICE_CONVERSATION,
        "Ontwikkel- en adviesgesprek",
        True,
        "Een gehouden adviesgesprek over leren en werken, via elk kanaal.",
    ),
    (
        "contact_moment",
        INFORMATION_CONTACT,
        "Informatie- en adviesmoment",
        False,
        "Een korte vraag die is beantwoord zonder traject (inloop, telefoon, chat, e-mail).",
    ),
    (
        "instrument",
        COMPETENCE_TEST,
        "Competentietest (CTC)",
        True,
        "Afgenomen competentietest. Deelnemers en testgesprekken worden apart geteld.",
    ),
    ("instrument", "basisvaardighedentest", "Basisvaardighedentest", True, ""),
    ("instrument", "loopbaan-apk", "Loopbaan-APK", True, ""),
    ("instrument", "werkscan", "Werkscan", True, ""),
    ("instrument", "loopbaanzelfonderzoek", "Loopbaanzelfonderzoek", True, ""),
    ("instrument", "competentieatlas", "Competentieatlas", True, ""),
    ("instrument", "ander-instrument", "Ander instrument", True, ""),
    (
        "referral",
        "evc",
        "EVC-procedure",
        True,
        "Doorverwijzing voor erkenning van verworven competenties.",
    ),
    ("referral", "assessment", "Assessment", True, ""),
    ("referral", "diplomawaardering", "Diplomawaardering (IDW)", True, ""),
    ("referral", "basisvaardigheden-cursus", "Cursus basisvaardigheden", True, ""),
    ("referral", "opleider", "Opleider", True, ""),
    ("referral", "vrijstelling", "Vrijstelling", True, ""),
    ("referral", "andere-dienst", "Andere dienst", True, ""),
    (
        "employer_activity",
        EMPLOYER_ADVICE,
        "Adviescontact met werkgever",
        False,
        "Telt voor werkgevers individueel bereikt.",
    ),
    (
        "employer_activity",
        EMPLOYER_GROUP_SESSION,
        "Werkgever aanwezig bij groepsbijeenkomst",
        False,
        "Telt voor werkgevers in groepen bereikt.",
    ),
    (
        "employer_activity",
        EMPLOYER_LEARNING_WORK,
        "Werkgever in leerwerktraject",
        False,
        "Telt voor werkgevers bereikt via leerwerktrajecten.",
    ),
]
